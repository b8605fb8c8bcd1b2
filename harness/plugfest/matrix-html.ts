import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { escapeText } from '../report/html/markup.js';
import type { PlugfestResult, PlugfestRunResult } from './matrix-json.js';

export const PLUGFEST_HTML = 'plugfest.html';

// Everything shown comes from targets (names, AppIds, messages): escaped as report.html escapes it, quotes included
const escapeHtml = escapeText;

/** A link to a file of the bundle: a relative path, each segment percent-encoded, so no target data can form a URL of its own. */
function href(relativePath: string): string {
  return escapeHtml(relativePath.split('/').map(encodeURIComponent).join('/'));
}

const OUTCOME_CLASS: Readonly<Record<string, string>> = {
  PASS: 'pass',
  FAIL: 'fail',
  WARN: 'warn',
  NA: 'na',
  NOT_EXECUTED: 'ne',
  ERROR: 'error',
  WAIVED: 'waived',
  CONFORMANT: 'pass',
  NOT_CONFORMANT: 'fail',
  INCOMPLETE: 'warn',
  NOT_RUN: 'ne',
};

const SHORT: Readonly<Record<string, string>> = { PASS: 'P', FAIL: 'F', WARN: 'W', NA: '–', NOT_EXECUTED: 'NE', ERROR: 'E', WAIVED: 'WV' };

const CSS = `
body{font:14px/1.4 system-ui,-apple-system,"Segoe UI",sans-serif;margin:1.5rem;color:#1d2329;background:#fff}
h1{font-size:1.4rem;margin:0 0 .3rem}h2{font-size:1.1rem;margin:1.8rem 0 .5rem;border-bottom:1px solid #d0d7de;padding-bottom:.2rem}
table{border-collapse:collapse;margin:.3rem 0}th,td{border:1px solid #d0d7de;padding:.25rem .45rem;vertical-align:top;text-align:left}
th{background:#f3f5f7;font-weight:600}.meta td,.meta th{border:none;padding:.1rem .8rem .1rem 0}
.badge{display:inline-block;padding:.05rem .4rem;border-radius:3px;font-weight:600;font-size:.8rem;color:#fff}
.pass{background:#1f883d;color:#fff}.fail{background:#cf222e;color:#fff}.warn{background:#bf8700;color:#fff}
.error{background:#8250df;color:#fff}.ne{background:#6e7781;color:#fff}.na{background:#eaeef2;color:#57606a}.waived{background:#0a7d8c;color:#fff}
a.badge{text-decoration:none}.small{font-size:.8rem;color:#57606a}.reason{max-width:60rem;word-break:break-word}
.heat td{padding:0;text-align:center;min-width:1.6rem;font-size:.72rem;font-weight:600}.heat td.req{padding:.1rem .4rem;text-align:left;font-weight:400;white-space:nowrap}
.heat th.t{writing-mode:vertical-rl;transform:rotate(180deg);font-weight:500;font-size:.75rem;padding:.3rem .1rem;max-height:14rem;overflow:hidden}
.heat td.deferred{opacity:.45}.empty{background:#fff}
`;

function badge(verdict: string, link?: string | null): string {
  const cls = OUTCOME_CLASS[verdict] ?? 'ne';
  return link ? `<a class="badge ${cls}" href="${href(link)}">${escapeHtml(verdict)}</a>` : `<span class="badge ${cls}">${escapeHtml(verdict)}</span>`;
}

function counts(run: PlugfestRunResult): string {
  if (!run.counts) return '';
  const parts = Object.entries(run.counts).filter(([, n]) => n > 0).map(([o, n]) => `${n} ${o}`);
  return parts.length ? `<div class="small">${escapeHtml(parts.join(' · '))}</div>` : '';
}

function seconds(ms: number | null): string {
  return ms === null ? '' : `${(ms / 1000).toFixed(1)} s`;
}

function runCell(run: PlugfestRunResult): string {
  const certifying = run.certifying === false ? ' <span class="small">(not certifying)</span>' : '';
  const errors = run.verdict === 'ERROR' || run.verdict === 'NOT_RUN' ? run.errors : run.errors.slice(0, 2);
  return (
    `<td>${badge(run.verdict, run.html ?? run.report)}${certifying}${counts(run)}` +
    `<div class="small">${escapeHtml(seconds(run.durationMs))} · <a href="${href(run.log)}">log</a>${run.report ? ` · <a href="${href(run.report)}">json</a>` : ''}</div>` +
    errors.map((e) => `<div class="small reason">${escapeHtml(e)}</div>`).join('') +
    `</td>`
  );
}

function matrixTable(result: PlugfestResult): string {
  const profiles = [...new Set(result.targets.flatMap((t) => t.runs.map((r) => r.profile)))];
  const head = `<tr><th>target</th><th>AppId / serial</th>${profiles.map((p) => `<th>${escapeHtml(p)}</th>`).join('')}</tr>`;
  const rows = result.targets.map((t) => {
    const who = [t.appId ?? (t.serialNumber !== undefined ? `serial ${t.serialNumber}` : ''), t.sharedBroker ? 'shared broker' : ''].filter(Boolean).join(' · ');
    const faults = t.faults.length ? `<div class="small">faults: ${escapeHtml(t.faults.join(', '))}</div>` : '';
    const cells = profiles.map((p) => {
      const run = t.runs.find((r) => r.profile === p);
      return run ? runCell(run) : '<td class="empty"></td>';
    });
    return `<tr><th>${escapeHtml(t.name)}<div class="small">${escapeHtml(t.reference)}</div>${faults}</th><td class="small reason">${escapeHtml(who)}</td>${cells.join('')}</tr>`;
  });
  return `<table>${head}${rows.join('')}</table>`;
}

function crossSection(result: PlugfestResult): string {
  const { crossTarget } = result;
  const requirements = `<table><tr><th>requirement</th><th>level</th><th>title</th><th>source</th></tr>${result.requirements
    .map((r) => `<tr><td>${escapeHtml(r.id)}</td><td>${escapeHtml(r.level)}</td><td class="reason">${escapeHtml(r.title)}</td><td class="small reason">${escapeHtml(r.source)}</td></tr>`)
    .join('')}</table>`;
  const observer = crossTarget.observer
    ? `<p class="small">observer on the shared broker: ${crossTarget.observer.messages} MAM message(s), ${crossTarget.observer.distinctMams} distinct, ${crossTarget.observer.unreadable} unreadable${crossTarget.observer.dropped ? `, ${crossTarget.observer.dropped} not kept (cap)` : ''}${crossTarget.observer.lostBecause ? `; lost the broker: ${escapeHtml(crossTarget.observer.lostBecause)}` : ''}${crossTarget.observer.evidence ? ` · <a href="${href(crossTarget.observer.evidence)}">evidence</a>` : ''}</p>`
    : '';
  const results = crossTarget.results.length
    ? `<table><tr><th>requirement</th><th>target</th><th>outcome</th><th>reason</th></tr>${crossTarget.results
        .map((r) => `<tr><td>${escapeHtml(r.requirement)}</td><td>${escapeHtml(r.target)}</td><td>${badge(r.outcome)}</td><td class="reason">${escapeHtml(r.reason)}</td></tr>`)
        .join('')}</table>`
    : '';
  return `<h2>Cross-target checks</h2><p>${escapeHtml(crossTarget.reason)}</p>${observer}${results}<h3 class="small">The plugfest's requirements</h3>${requirements}`;
}

function heatSection(result: PlugfestResult): string {
  const { targets, rows } = result.heatMap;
  if (!rows.length) return '<h2>Heat map</h2><p>No run wrote a report.</p>';
  const head = `<tr><th>requirement</th>${targets.map((t) => `<th class="t">${escapeHtml(t)}</th>`).join('')}</tr>`;
  const body = rows.map((row) => {
    const cells = targets.map((t) => {
      const cell = row.cells[t];
      if (!cell) return '<td class="empty"></td>';
      const title = `${row.requirement} on ${t}: ${cell.outcome}${cell.deferred ? ' (deferred by quick mode)' : ''}${cell.profiles.length ? ` — ${cell.profiles.join(', ')}` : ''}`;
      return `<td class="${OUTCOME_CLASS[cell.outcome] ?? 'ne'}${cell.deferred ? ' deferred' : ''}" title="${escapeHtml(title)}">${escapeHtml(SHORT[cell.outcome] ?? cell.outcome)}</td>`;
    });
    return `<tr><td class="req" title="${escapeHtml(row.title)}">${escapeHtml(row.requirement)}</td>${cells.join('')}</tr>`;
  });
  const legend = Object.entries(SHORT)
    .map(([outcome, short]) => `<span class="badge ${OUTCOME_CLASS[outcome] ?? 'ne'}">${escapeHtml(short)}</span> ${escapeHtml(outcome)}`)
    .join(' &nbsp; ');
  return `<h2>Heat map: requirement × target</h2><p class="small">The worst outcome over the target's runs; faded: deferred by quick mode (not decided by any run). ${legend}</p><table class="heat">${head}${body.join('')}</table>`;
}

/** plugfest.html: one self-contained page (inline CSS, no script, nothing fetched), rendered from plugfest.json's content only. */
export function renderPlugfestHtml(result: PlugfestResult): string {
  const runs = Object.entries(result.counts.runs).filter(([, n]) => n > 0).map(([v, n]) => `${n} ${v}`).join(' · ');
  const cross = Object.entries(result.counts.crossTarget).filter(([, n]) => n > 0).map(([o, n]) => `${n} ${o}`).join(' · ');
  const meta = [
    ['verdict', `${badge(result.verdict)} exit code ${result.exitCode}${result.interrupted ? ' — interrupted: the matrix holds what finished' : ''}`],
    ['runs', escapeHtml(runs || 'none')],
    ['cross-target', escapeHtml(cross || 'none')],
    ['mode', escapeHtml(`${result.mode}${result.mode === 'quick' ? ' (not a certification)' : ''}, ${result.concurrency} target(s) at a time`)],
    ['broker', escapeHtml(result.broker ? `${result.broker.url} (embedded, shared)` : 'none shared: every embedded target had its own')],
    ['time', escapeHtml(`${result.startedAt} – ${result.endedAt} (${seconds(result.durationMs)})`)],
    ['file', escapeHtml(`${result.file.name} (sha256 ${result.file.sha256.slice(0, 16)}…)`)],
    ['suite', escapeHtml(`${result.suite.name} ${result.suite.version}`)],
  ]
    .map(([k, v]) => `<tr><th>${k}</th><td>${v}</td></tr>`)
    .join('');
  const errors = result.errors.length ? `<h2>Errors</h2><ul>${result.errors.map((e) => `<li>${escapeHtml(e)}</li>`).join('')}</ul>` : '';
  const title = `Plugfest ${result.name}: ${result.verdict}`;
  return (
    `<!doctype html>\n<html lang="en"><head><meta charset="utf-8">` +
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">` +
    `<meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeHtml(title)}</title><style>${CSS}</style></head><body>` +
    `<h1>Plugfest ${escapeHtml(result.name)}</h1>${result.description ? `<p>${escapeHtml(result.description)}</p>` : ''}` +
    `<table class="meta">${meta}</table>${errors}` +
    `<h2>Matrix: target × profile</h2><p class="small">Each verdict links to the run's own report.</p>${matrixTable(result)}` +
    crossSection(result) +
    heatSection(result) +
    `</body></html>\n`
  );
}

export function writePlugfestHtml(dir: string, result: PlugfestResult): void {
  writeFileSync(join(dir, PLUGFEST_HTML), renderPlugfestHtml(result));
}

