import type { EvidenceRead, HttpHeader, HttpRow, InlineLimits, MqttRow, OpcUaRow } from './evidence-read.js';
import { formatBytes, plural, timeOfDay } from './format.js';
import { html, type Markup, type Part } from './markup.js';

/**
 * Evidence as tables on the page: MQTT messages, OPC UA service calls, HTTP exchanges. Each payload is cut to the
 * page limit, and every cut is said next to what was cut, with the file that holds the whole of it.
 */

/** Payload characters the page may still inline: shared by all evidence of one page, so a big run stays readable. */
export interface InlineBudget {
  remaining: number;
}

/** What report.json says about the file: it knows how many records the recorder wrote. */
export interface ListedEvidence {
  readonly sha256?: string;
  readonly records?: number;
  readonly dropped?: number;
}

interface Clipped {
  readonly text: string;
  /** characters left out */
  readonly cut: number;
}

function clip(text: string, max: number): Clipped {
  if (text.length <= max) return { text, cut: 0 };
  // do not split a surrogate pair: half of one would render as a replacement character
  const end = /[\uD800-\uDBFF]/.test(text.charAt(max - 1)) ? max - 1 : max;
  return { text: text.slice(0, end), cut: text.length - end };
}

/** JSON payloads are indented so a reader can find the field a failure names; anything else is shown as sent. */
function prettyText(text: string): string {
  const start = text.trimStart()[0];
  if (start !== '{' && start !== '[') return text;
  try {
    return JSON.stringify(JSON.parse(text) as unknown, null, 2);
  } catch {
    // not JSON after all, or nested too deep to re-indent: show it as it came
    return text;
  }
}

function prettyValue(value: unknown): string {
  try {
    return JSON.stringify(value, null, 2) ?? String(value);
  } catch {
    return String(value);
  }
}

/** A block of payload text, cut to the page limit, charged against the page budget. */
function payloadBlock(text: string, limits: InlineLimits, budget: InlineBudget, notes: Part[] = []): Markup {
  const shown = clip(text, Math.min(limits.maxPayloadChars, Math.max(0, budget.remaining)));
  budget.remaining -= shown.text.length;
  const cutNote =
    shown.cut > 0 && html`<span class="cut">cut here: ${shown.cut} more characters (${formatBytes(limits.maxPayloadChars)} are shown per payload); the whole payload is in the evidence file</span>`;
  return html`<pre class="payload">${shown.text}</pre>${notes.length || cutNote ? html`<p class="payload-notes">${notes}${cutNote}</p>` : ''}`;
}

function mqttRecord(row: MqttRow, limits: InlineLimits, budget: InlineBudget): Markup {
  const notes: Part[] = [];
  if (row.encoding === 'base64') notes.push(html`<span class="flag">not UTF-8: shown as base64</span>`);
  if (row.truncated) notes.push(html`<span class="flag truncated">truncated by the harness: only the first part of the ${formatBytes(row.bytes)} payload was stored</span>`);
  const text = row.encoding === 'utf8' && !row.truncated ? prettyText(row.payload) : row.payload;
  const arrow = row.direction === 'sent' ? '→ sent' : row.direction === 'received' ? '← received' : row.direction;
  return html`<tbody class="record">
<tr class="meta"><td class="num">${row.seq}</td><td title="${row.at}">${timeOfDay(row.at)}</td><td class="dir dir-${row.direction === 'sent' ? 'sent' : 'received'}">${arrow}</td><td class="topic">${row.topic}</td><td class="num">${row.qos}</td><td>${row.retain ? 'retained' : 'no'}</td><td class="num">${formatBytes(row.bytes)}</td></tr>
<tr class="body"><td colspan="7">${payloadBlock(text, limits, budget, notes)}</td></tr>
</tbody>`;
}

/** The OPC UA recorder replaces a huge request or result by {truncated, chars, start}: show the start and say so. */
function opcUaValue(value: unknown, limits: InlineLimits, budget: InlineBudget): Markup {
  if (typeof value === 'object' && value !== null && (value as { truncated?: unknown }).truncated === true) {
    const cut = value as { chars?: unknown; start?: unknown };
    const start = typeof cut.start === 'string' ? cut.start : '';
    const chars = typeof cut.chars === 'number' ? cut.chars : undefined;
    return payloadBlock(start, limits, budget, [html`<span class="flag truncated">truncated by the harness${chars !== undefined && html`: ${chars} characters of JSON`}</span>`]);
  }
  return payloadBlock(prettyValue(value), limits, budget);
}

function opcUaRecord(row: OpcUaRow, limits: InlineLimits, budget: InlineBudget): Markup {
  const good = /^Good/.test(row.status);
  return html`<tbody class="record">
<tr class="meta"><td class="num">${row.seq}</td><td title="${row.at}">${timeOfDay(row.at)}</td><td>${row.service}</td><td class="${good ? 'status-good' : 'status-bad'}">${row.status}</td><td class="num">${row.durationMs !== undefined ? `${row.durationMs} ms` : ''}</td></tr>
<tr class="body"><td colspan="5"><div class="pair"><div><h6>request</h6>${opcUaValue(row.request, limits, budget)}</div><div><h6>result</h6>${row.hasResult ? opcUaValue(row.result, limits, budget) : html`<p class="muted">no result</p>`}</div></div></td></tr>
</tbody>`;
}

function headerList(list: readonly HttpHeader[]): Markup {
  if (list.length === 0) return html`<p class="muted">no headers</p>`;
  return html`<table class="headers">${list.slice(0, 60).map((h) => html`<tr><th>${h.name}</th><td>${h.value}</td></tr>`)}</table>${list.length > 60 && html`<p class="cut">${list.length - 60} more headers in the file</p>`}`;
}

function httpRecord(row: HttpRow, index: number, limits: InlineLimits, budget: InlineBudget): Markup {
  const ok = row.status >= 200 && row.status < 400;
  const body = (text: string | undefined, encoding?: string): Markup =>
    text === undefined || text === ''
      ? html`<p class="muted">no body</p>`
      : payloadBlock(encoding === 'base64' ? text : prettyText(text), limits, budget, encoding === 'base64' ? [html`<span class="flag">base64</span>`] : []);
  return html`<tbody class="record">
<tr class="meta"><td class="num">${index + 1}</td><td title="${row.startedDateTime}">${timeOfDay(row.startedDateTime)}</td><td>${row.method}</td><td class="topic">${row.url}</td><td class="${ok ? 'status-good' : 'status-bad'}">${row.status} ${row.statusText}</td><td class="num">${row.timeMs !== undefined ? `${Math.round(row.timeMs)} ms` : ''}</td></tr>
<tr class="body"><td colspan="6"><div class="pair"><div><h6>request</h6>${headerList(row.requestHeaders)}${body(row.requestBody)}</div><div><h6>response</h6>${headerList(row.responseHeaders)}${body(row.responseBody, row.responseEncoding)}</div></div></td></tr>
</tbody>`;
}

const TITLES = { mqtt: 'MQTT messages', opcua: 'OPC UA service calls', http: 'HTTP exchanges' } as const;

function table(read: EvidenceRead, limits: InlineLimits, budget: InlineBudget): { markup: Markup; rendered: number } {
  const content = read.content;
  let rendered = 0;
  const rows: Markup[] = [];
  const take = <T>(list: readonly T[], render: (row: T, index: number) => Markup): void => {
    for (const [index, row] of list.entries()) {
      // stop before the page grows without bound; the note below says where the rest is
      if (budget.remaining <= 0) return;
      rows.push(render(row, index));
      rendered++;
    }
  };
  if (content.kind === 'mqtt') {
    take(content.rows, (r) => mqttRecord(r, limits, budget));
    return { rendered, markup: html`<table class="evidence mqtt"><thead><tr><th>#</th><th>time (UTC)</th><th>direction</th><th>topic</th><th>QoS</th><th>retain</th><th>size</th></tr></thead>${rows}</table>` };
  }
  if (content.kind === 'opcua') {
    take(content.rows, (r) => opcUaRecord(r, limits, budget));
    return { rendered, markup: html`<table class="evidence opcua"><thead><tr><th>#</th><th>time (UTC)</th><th>service</th><th>status</th><th>duration</th></tr></thead>${rows}</table>` };
  }
  take(content.rows, (r, i) => httpRecord(r, i, limits, budget));
  return { rendered, markup: html`<table class="evidence http"><thead><tr><th>#</th><th>time (UTC)</th><th>method</th><th>URL</th><th>status</th><th>time</th></tr></thead>${rows}</table>` };
}

function fileName(read: EvidenceRead): Markup {
  return read.href ? html`<a href="${read.href}"><code>${read.file}</code></a>` : html`<code>${read.file}</code>`;
}

/** One evidence file: what it is, its records, and a note for everything the page left out. */
export function renderEvidence(read: EvidenceRead, listed: ListedEvidence | undefined, limits: InlineLimits, budget: InlineBudget): Markup {
  const title = TITLES[read.content.kind];
  const facts: Part[] = [
    listed?.records !== undefined && plural(listed.records, 'record'),
    read.problem === undefined && formatBytes(read.sizeBytes),
    listed?.sha256 && html`sha256 <code class="hash">${listed.sha256}</code>`,
  ].filter(Boolean);
  const head = html`<h5>${title}: ${fileName(read)}</h5>${facts.length > 0 && html`<p class="file-facts">${facts.map((f, i) => html`${i > 0 && ' · '}${f}`)}</p>`}`;
  if (read.problem !== undefined) {
    return html`<div class="evidence-file">${head}<p class="problem">Evidence not shown: ${read.problem}.</p></div>`;
  }
  const { markup, rendered } = table(read, limits, budget);
  const read_ = read.content.rows.length;
  const notes: Part[] = [];
  const known = listed?.records ?? read_ + read.notShown;
  if (rendered === read_ && read.notShown === 0 && !read.readCut && known > read_) {
    // everything in the file is shown, yet the report counted more: say so rather than blame a cap
    notes.push(html`<li>The report lists ${plural(known, 'record')} for this file, but the file holds ${read_}.</li>`);
  } else if (rendered < known) {
    const ofWhat = read.readCut && listed?.records === undefined ? `${known} or more` : `${known}`;
    const why = rendered < read_ ? `the page's inline limit of ${formatBytes(limits.maxPageChars)} of payload text is reached` : `at most ${limits.maxRecords} records are shown per file`;
    notes.push(html`<li>Showing the first ${rendered} of ${ofWhat} records (${why}); all of them are in ${fileName(read)}.</li>`);
  }
  if (read.readCut) notes.push(html`<li>The file is ${formatBytes(read.sizeBytes)}; only its first ${formatBytes(limits.maxReadBytes)} were read for this page.</li>`);
  const dropped = read.droppedByRecorder?.dropped ?? listed?.dropped ?? 0;
  if (dropped > 0) {
    notes.push(html`<li>The harness saw ${plural(dropped, 'more record')} but did not store them${read.droppedByRecorder?.reason && html` (${read.droppedByRecorder.reason})`}.</li>`);
  }
  for (const line of read.unrecognised) notes.push(html`<li>Entry ${line.line} is not a record of the expected shape: <code>${line.text}</code></li>`);
  const empty = read_ === 0 && read.unrecognised.length === 0 && html`<p class="muted">The file holds no records.</p>`;
  return html`<div class="evidence-file">${head}${empty || markup}${notes.length > 0 && html`<ul class="cut-notes">${notes}</ul>`}</div>`;
}
