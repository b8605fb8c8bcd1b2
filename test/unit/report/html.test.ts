import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Report } from '../../../harness/model/index.js';
import { INLINE_LIMITS, renderReportHtml, writeReportHtml } from '../../../harness/report/html.js';
import { checkRow, minimalReport, requirementRow } from '../support/report.js';
import { useTempDirs } from '../support/temp.js';

const temp = useTempDirs();

type Check = Report['checks'][number];
type Requirement = Report['requirements'][number];

const HASH = 'b'.repeat(64);
const HOSTILE = `</script><script>window.__pwned=1</script><img src=x onerror="window.__pwned=1"> 'single' "double" & done`;

/** Writes the evidence files and the page into a fresh bundle folder and returns the page's text. */
function renderBundle(report: Report, files: Record<string, string> = {}): { dir: string; page: string } {
  const dir = temp.make();
  for (const [path, text] of Object.entries(files)) temp.write(dir, path, text);
  writeReportHtml(dir, report);
  return { dir, page: readFileSync(join(dir, 'report.html'), 'utf8') };
}

function mqttLine(seq: number, over: Record<string, unknown> = {}): string {
  return JSON.stringify({
    seq,
    at: `2025-01-01T00:00:0${seq % 10}.000Z`,
    direction: seq % 2 ? 'sent' : 'received',
    topic: `Oi4/Utility/acme.com/App/1/SN${seq}/Get/MAM`,
    qos: 0,
    retain: false,
    bytes: 20,
    sha256: HASH,
    payload: `{"MessageId":"m-${seq}","Messages":[]}`,
    encoding: 'utf8',
    truncated: false,
    ...over,
  });
}

function failingCheck(id: string, requirement: string, evidence: Check['evidence'], message = 'expected Oi4, saw oi4'): Check {
  return {
    ...checkRow(id, 'FAIL', message),
    requirements: [requirement],
    decisions: [{ requirement, outcome: 'FAIL', message }],
    evidence,
  };
}

function failingRequirement(id: string, check: string, reason = `[${check}] expected Oi4, saw oi4`): Requirement {
  return { ...requirementRow(id, 'FAIL', reason), checks: [check] };
}

/** The requirement ids in table order, read from the rows' data attributes. */
function tableOrder(page: string): string[] {
  return [...page.matchAll(/<tr data-outcome="[^"]*" data-requirement="([^"]*)"/g)].map((m) => m[1]!);
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" };
const decode = (text: string): string => text.replace(/&(amp|lt|gt|quot|#39);/g, (_, name: string) => ENTITIES[name]!);

interface Tag {
  readonly name: string;
  readonly attributes: ReadonlyMap<string, string>;
}

/**
 * Every real tag of the page. Escaped data can only produce "&lt;", so each raw "<" opens a tag we wrote, and an
 * attribute value never holds a raw quote: a plain scanner finds the page's true structure.
 */
function tags(page: string): Tag[] {
  const body = page.replace(/<script>[\s\S]*?<\/script>/g, '<script></script>').replace(/<style>[\s\S]*?<\/style>/g, '<style></style>');
  return [...body.matchAll(/<([a-zA-Z][a-zA-Z0-9]*)((?:\s+[a-zA-Z-]+(?:="[^"]*")?)*)\s*>/g)].map((m) => ({
    name: m[1]!.toLowerCase(),
    attributes: new Map([...m[2]!.matchAll(/\s+([a-zA-Z-]+)(?:="([^"]*)")?/g)].map((a) => [a[1]!.toLowerCase(), decode(a[2] ?? '')])),
  }));
}

function between(page: string, open: string, close: string): string {
  const start = page.indexOf(open);
  return page.slice(start + open.length, page.indexOf(close, start));
}

describe('report.html', () => {
  it('shows the verdict with the quick-mode and non-certifying marks, the reasons and the counts per outcome', () => {
    const report = minimalReport({
      verdict: 'NOT_CONFORMANT',
      exitCode: 1,
      counts: { PASS: 3, FAIL: 1, WARN: 0, NA: 0, NOT_EXECUTED: 2, ERROR: 0, WAIVED: 1 },
    });
    report.run = { ...report.run, mode: 'quick', certifying: false, notCertifyingBecause: ['quick mode: clock checks skipped', 'guideline parameter healthIntervalMs overridden'] };
    const { page } = renderBundle(report);
    expect(page).toContain('data-verdict="NOT_CONFORMANT"');
    expect(page).toMatch(/class="banner o-NOT_CONFORMANT"/);
    expect(page).toContain('>quick mode</span>');
    expect(page).toContain('>non-certifying</span>');
    expect(page).toContain('<li>quick mode: clock checks skipped</li>');
    expect(page).toContain('<li>guideline parameter healthIntervalMs overridden</li>');
    for (const [outcome, n] of [['FAIL', 1], ['NOT_EXECUTED', 2], ['WAIVED', 1], ['PASS', 3]] as const) {
      expect(page).toMatch(new RegExp(`<li class="count o-${outcome}"><span class="n">${n}</span> ${outcome}</li>`));
    }
  });

  it('shows no mark on a full, certifying run', () => {
    const { page } = renderBundle(minimalReport());
    expect(page).toContain('data-verdict="CONFORMANT"');
    expect(page).not.toContain('>quick mode</span>');
    expect(page).not.toContain('>non-certifying</span>');
  });

  it('orders the requirement table failures first: FAIL, ERROR, NOT_EXECUTED, WAIVED, WARN, PASS, NA, then by id', () => {
    const waived: Requirement = { ...requirementRow('W-001', 'WAIVED', 'seen wrong'), waiver: { reason: 'fix in 2.5', expires: '2099-01-01', waivedOutcome: 'FAIL' } };
    const report = minimalReport({
      requirements: [
        requirementRow('A-002', 'PASS'),
        requirementRow('B-001', 'NA', 'not claimed'),
        requirementRow('C-001', 'WARN', 'slow'),
        waived,
        requirementRow('D-002', 'FAIL', 'wrong'),
        requirementRow('A-001', 'PASS'),
        requirementRow('E-001', 'NOT_EXECUTED', 'no action'),
        requirementRow('F-001', 'ERROR', 'broker gone'),
        requirementRow('D-001', 'FAIL', 'wrong too'),
      ],
    });
    expect(tableOrder(renderBundle(report).page)).toEqual(['D-001', 'D-002', 'F-001', 'E-001', 'W-001', 'C-001', 'A-001', 'A-002', 'B-001']);
  });

  it('shows a waived requirement as WAIVED with the waiver reason, its expiry and the original finding', () => {
    const check = failingCheck('c.waived', 'W-001', [], 'answer came 3 s late');
    const waived: Requirement = {
      ...requirementRow('W-001', 'WAIVED', '[c.waived] answer came 3 s late'),
      checks: ['c.waived'],
      waiver: { reason: 'firmware 2.5 fixes the timer', expires: '2099-06-30', waivedOutcome: 'FAIL' },
    };
    const { page } = renderBundle(minimalReport({ requirements: [waived], checks: [check] }));
    const row = between(page, 'data-requirement="W-001"', '</tr>');
    expect(row).toContain('WAIVED');
    expect(row).toContain('Waived until 2099-06-30:</strong> firmware 2.5 fixes the timer');
    expect(row).toContain('Finding (FAIL):</strong> [c.waived] answer came 3 s late');
    // and a detail section with the same, never hidden
    const detail = between(page, '<section class="detail o-WAIVED"', '</section>');
    expect(detail).toContain('firmware 2.5 fixes the timer');
    expect(detail).toContain('2099-06-30');
    expect(detail).toContain('answer came 3 s late');
  });

  it('inlines the evidence of a failing check, at most 200 records and 8 KB per payload, and says what was cut', () => {
    const big = JSON.stringify({ MessageId: 'big', Messages: [{ Payload: 'x'.repeat(20_000) }] });
    const lines = Array.from({ length: 250 }, (_, i) => mqttLine(i + 1, i === 0 ? { payload: big, bytes: big.length } : {}));
    lines.push(JSON.stringify({ dropped: 7, reason: 'record cap of 250 reached' }));
    const evidence = [{ file: 'evidence/c.flood.jsonl', sha256: HASH, records: 250, dropped: 7 }];
    const report = minimalReport({
      verdict: 'NOT_CONFORMANT',
      requirements: [failingRequirement('T-001', 'c.flood')],
      checks: [failingCheck('c.flood', 'T-001', evidence)],
    });
    const { page } = renderBundle(report, { 'evidence/c.flood.jsonl': lines.join('\n') + '\n' });
    const section = between(page, '<section class="detail o-FAIL"', '</section>');
    expect(section).toContain('Oi4/Utility/acme.com/App/1/SN2/Get/MAM');
    expect(section).toContain('Oi4/Utility/acme.com/App/1/SN200/Get/MAM');
    expect(section).not.toContain('SN201/');
    expect((section.match(/<tbody class="record">/g) ?? []).length).toBe(200);
    expect(section).toContain('Showing the first 200 of 250 records');
    expect(section).toContain('<a href="evidence/c.flood.jsonl"><code>evidence/c.flood.jsonl</code></a>');
    expect(section).toContain('7 more records');
    expect(section).toContain('record cap of 250 reached');
    // the big payload: pretty-printed JSON, cut at 8 KB, the cut stated
    expect(section).toContain('&quot;MessageId&quot;: &quot;big&quot;');
    expect(section).toMatch(/cut here: \d+ more characters/);
    const longest = Math.max(...[...section.matchAll(/<pre class="payload">([^<]*)<\/pre>/g)].map((m) => m[1]!.replace(/&[a-z]+;/g, '_').length));
    expect(longest).toBe(INLINE_LIMITS.maxPayloadChars);
  });

  it('flags payloads the harness stored truncated, and shows base64 payloads as such', () => {
    const evidence = [{ file: 'evidence/c.cut.jsonl', sha256: HASH, records: 2, dropped: 0 }];
    const lines = [mqttLine(1, { payload: '{"Messa', truncated: true, bytes: 70_000 }), mqttLine(2, { payload: 'AAEC', encoding: 'base64' })];
    const report = minimalReport({ requirements: [failingRequirement('T-001', 'c.cut')], checks: [failingCheck('c.cut', 'T-001', evidence)] });
    const { page } = renderBundle(report, { 'evidence/c.cut.jsonl': lines.join('\n') });
    expect(page).toContain('truncated by the harness: only the first part of the 68.4 KB payload was stored');
    expect(page).toContain('not UTF-8: shown as base64');
  });

  it('escapes a hostile topic, payload and report text: no tag, attribute or script of the target reaches the page', () => {
    const evidence = [{ file: 'evidence/c.hostile.jsonl', sha256: HASH, records: 1, dropped: 0 }];
    const hostileCheck = { ...failingCheck('c.hostile', 'T-001', evidence, HOSTILE), title: HOSTILE };
    const report = minimalReport({
      verdict: 'NOT_CONFORMANT',
      target: {
        ...minimalReport().target,
        name: HOSTILE,
        identity: { source: HOSTILE, fields: { [HOSTILE]: HOSTILE } },
        identities: [{ source: HOSTILE, fields: { Manufacturer: HOSTILE } }],
      },
      requirements: [{ ...failingRequirement('T-001', 'c.hostile', HOSTILE), title: HOSTILE, note: HOSTILE, group: HOSTILE }],
      checks: [hostileCheck],
      errors: [HOSTILE],
      notes: [HOSTILE],
    });
    report.run = { ...report.run, parameters: { [HOSTILE]: { value: 1, kind: 'harness', overridden: true } } };
    const { page } = renderBundle(report, { 'evidence/c.hostile.jsonl': mqttLine(1, { topic: HOSTILE, payload: HOSTILE }) + '\n' });
    // exactly one script element, ours, and no element the data could have made
    expect(page.match(/<script/gi)).toHaveLength(1);
    const found = tags(page);
    expect(found.filter((t) => t.name === 'img' || t.name === 'iframe' || t.name === 'object')).toEqual([]);
    expect(found.flatMap((t) => [...t.attributes.keys()].filter((name) => name.startsWith('on')))).toEqual([]);
    // the hostile text is there, as text
    expect(page).toContain('&lt;/script&gt;&lt;script&gt;window.__pwned=1&lt;/script&gt;&lt;img src=x onerror=&quot;window.__pwned=1&quot;&gt; &#39;single&#39; &quot;double&quot; &amp; done');
    expect(page).not.toContain('<img src=x');
    expect(page).not.toContain('</script><script>');
  });

  it('makes bidirectional overrides and control characters visible instead of letting them disguise text', () => {
    const report = minimalReport({ requirements: [requirementRow('T-001', 'FAIL', 'topic Oi4/\u202Egnp.exe\u0007 seen')] });
    const { page } = renderBundle(report);
    expect(page).toContain('topic Oi4/[U+202E]gnp.exe\u2407 seen');
    expect(page).not.toContain('\u202E');
  });

  it('references nothing outside the file: no http(s) src or href, a CSP that fetches nothing, style and script admitted by hash', () => {
    const report = minimalReport({
      target: { ...minimalReport().target, identities: [{ source: 'MAM', fields: { DeviceManual: 'https://vendor.example/manual' } }] },
    });
    const { page } = renderBundle(report);
    for (const tag of tags(page)) {
      for (const name of ['src', 'href', 'action', 'srcset', 'poster', 'data']) {
        const value = tag.attributes.get(name);
        if (value !== undefined) expect(value, `${tag.name} ${name}`).toMatch(/^(#|evidence\/|data:)/);
      }
    }
    expect(page).not.toMatch(/url\(|@import/);
    const csp = tags(page).find((t) => t.name === 'meta' && t.attributes.get('http-equiv') === 'Content-Security-Policy')?.attributes.get('content');
    expect(csp).toBeDefined();
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain('img-src data:');
    expect(csp).not.toContain('unsafe-inline');
    const hash = (text: string) => `sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}`;
    expect(csp).toContain(`script-src '${hash(between(page, '<script>', '</script>'))}'`);
    expect(csp).toContain(`style-src '${hash(between(page, '<style>', '</style>'))}'`);
    // the identity's URL is shown as text, never as a link
    expect(page).toContain('https://vendor.example/manual');
  });

  it('renders a run with no checks at all (preflight failed): the run error, the target, and the undecided requirements', () => {
    const error = 'cannot connect to MQTT broker mqtt://127.0.0.1:9: connection refused';
    const report = minimalReport({
      verdict: 'INCOMPLETE',
      exitCode: 3,
      counts: { PASS: 0, FAIL: 0, WARN: 0, NA: 1, NOT_EXECUTED: 0, ERROR: 2 },
      requirements: [
        requirementRow('T-001', 'ERROR', `not decided because the run failed: ${error}`),
        requirementRow('T-002', 'ERROR', `not decided because the run failed: ${error}`),
        requirementRow('T-003', 'NA', 'optional group "data" is not claimed'),
      ],
      checks: [],
      errors: [error],
      notes: ['identity not read: the broker could not be reached'],
    });
    const { page } = renderBundle(report);
    expect(page).toContain('data-verdict="INCOMPLETE"');
    expect(page).toContain(`<h2>Run errors</h2>`);
    expect(page).toContain(`<li>${error}</li>`);
    expect(page).toContain('<li>identity not read: the broker could not be reached</li>');
    expect(page).toContain("The target's identity could not be read");
    expect(page).toContain('2 requirements without a check that ran');
    expect(page).toContain('No preflight traffic was recorded.');
    expect(tableOrder(page)).toEqual(['T-001', 'T-002', 'T-003']);
  });

  it('states a missing evidence file and a name outside the evidence folder instead of failing or reading it', () => {
    const evidence = [
      { file: 'evidence/c.gone.jsonl', sha256: HASH, records: 3, dropped: 0 },
      { file: 'evidence/../secret.txt', sha256: HASH, records: 1, dropped: 0 },
    ];
    const report = minimalReport({ requirements: [failingRequirement('T-001', 'c.gone')], checks: [failingCheck('c.gone', 'T-001', evidence)] });
    const { page } = renderBundle(report, { 'secret.txt': 'TOP-SECRET-CONTENT\n' });
    expect(page).toContain('Evidence not shown: the file is missing.');
    expect(page).toContain('Evidence not shown: the name points outside the evidence folder; not read.');
    expect(page).not.toContain('TOP-SECRET-CONTENT');
  });

  it('states lines that are not records instead of dropping them silently', () => {
    const evidence = [{ file: 'evidence/c.odd.jsonl', sha256: HASH, records: 2, dropped: 0 }];
    const report = minimalReport({ requirements: [failingRequirement('T-001', 'c.odd')], checks: [failingCheck('c.odd', 'T-001', evidence)] });
    const { page } = renderBundle(report, { 'evidence/c.odd.jsonl': `${mqttLine(1)}\nnot json at all\n` });
    expect(page).toContain('Entry 2 is not a record of the expected shape: <code>not json at all</code>');
    expect(page).toContain('SN1/Get/MAM');
  });

  it('renders OPC UA service calls with request, status and result', () => {
    const line = JSON.stringify({ seq: 1, at: '2025-01-01T00:00:01.000Z', service: 'Read', request: [{ nodeId: 'ns=1;i=1001' }], status: 'BadNodeIdUnknown', result: { value: null }, durationMs: 4 });
    const cut = JSON.stringify({ seq: 2, at: '2025-01-01T00:00:02.000Z', service: 'Browse', request: {}, status: 'Good', result: { truncated: true, chars: 99999, start: '{"refs":[' }, durationMs: 9 });
    const evidence = [{ file: 'evidence/c.ua.opcua.jsonl', sha256: HASH, records: 2, dropped: 0 }];
    const report = minimalReport({ requirements: [failingRequirement('T-001', 'c.ua')], checks: [failingCheck('c.ua', 'T-001', evidence)] });
    const { page } = renderBundle(report, { 'evidence/c.ua.opcua.jsonl': `${line}\n${cut}\n` });
    expect(page).toContain('OPC UA service calls');
    expect(page).toContain('<td>Read</td><td class="status-bad">BadNodeIdUnknown</td>');
    expect(page).toContain('&quot;nodeId&quot;: &quot;ns=1;i=1001&quot;');
    expect(page).toContain('truncated by the harness: 99999 characters of JSON');
  });

  it('renders HTTP exchanges of a HAR file, and states a HAR file that is not one', () => {
    const har = {
      log: {
        version: '1.2',
        creator: { name: 'test', version: '1' },
        entries: [
          {
            startedDateTime: '2025-01-01T00:00:03.000Z',
            time: 12,
            request: { method: 'GET', url: 'http://aas.example/shells', headers: [{ name: 'Accept', value: 'application/json' }] },
            response: { status: 404, statusText: 'Not Found', headers: [], content: { size: 17, mimeType: 'application/json', text: '{"error":"none"}' } },
          },
        ],
      },
    };
    const evidence = [
      { file: 'evidence/c.http.har', sha256: HASH, records: 1, dropped: 0 },
      { file: 'evidence/c.bad.har', sha256: HASH, records: 0, dropped: 0 },
    ];
    const report = minimalReport({ requirements: [failingRequirement('T-001', 'c.http')], checks: [failingCheck('c.http', 'T-001', evidence)] });
    const { page } = renderBundle(report, { 'evidence/c.http.har': JSON.stringify(har), 'evidence/c.bad.har': '{"nope":1}' });
    expect(page).toContain('HTTP exchanges');
    expect(page).toContain('<td>GET</td><td class="topic">http://aas.example/shells</td><td class="status-bad">404 Not Found</td>');
    expect(page).toContain('<th>Accept</th><td>application/json</td>');
    expect(page).toContain('&quot;error&quot;: &quot;none&quot;');
    expect(page).toContain('Evidence not shown: the file is not a HAR document (no log.entries).');
  });

  it('shows the preflight evidence in a collapsed section', () => {
    const { page } = renderBundle(minimalReport(), { 'evidence/preflight.jsonl': mqttLine(1, { topic: 'Oi4/Utility/preflight/MAM' }) + '\n' });
    const preflight = between(page, '<section id="preflight">', '</section>');
    expect(preflight).toMatch(/^<details class="preflight">/);
    expect(preflight).toContain('Oi4/Utility/preflight/MAM');
  });

  it('shows the profile, the suite with its files, the run, the waivers file and the run parameters', () => {
    const report = minimalReport();
    report.run = {
      ...report.run,
      waivers: { file: 'waivers.yaml', sha256: HASH, applied: ['T-009'] },
      parameters: { healthIntervalMs: { value: 2000, kind: 'guideline', overridden: true }, responseTimeoutMs: { value: 2000, kind: 'harness', overridden: false } },
    };
    const { page } = renderBundle(report);
    expect(page).toContain('Test guideline 1.0');
    expect(page).toContain('<details class="suite-files"><summary>1 suite file with their hashes</summary>');
    expect(page).toContain('<code>suites/test.suite.ts</code>');
    expect(page).toContain('<code>waivers.yaml</code>');
    expect(page).toContain('applied to T-009');
    expect(page).toContain('<tr class="overridden"><td><code>healthIntervalMs</code></td><td class="num">2000</td><td>guideline</td><td><strong>yes</strong> (the guideline value was changed)</td></tr>');
    expect(page).toContain('<tr class=""><td><code>responseTimeoutMs</code></td><td class="num">2000</td><td>harness</td><td>no</td></tr>');
  });

  it('renders a big report (100 requirements, 100 checks with evidence) with every row, each evidence inlined once', () => {
    const requirements: Requirement[] = [];
    const checks: Check[] = [];
    const files: Record<string, string> = {};
    for (let i = 0; i < 100; i++) {
      const id = `BIG-${String(i).padStart(3, '0')}`;
      const check = `c.big.${i}`;
      const fail = i % 10 === 0;
      files[`evidence/${check}.jsonl`] = Array.from({ length: 20 }, (_, n) => mqttLine(n + 1)).join('\n');
      const evidence = [{ file: `evidence/${check}.jsonl`, sha256: HASH, records: 20, dropped: 0 }];
      requirements.push(fail ? failingRequirement(id, check) : { ...requirementRow(id, 'PASS'), checks: [check] });
      checks.push(fail ? failingCheck(check, id, evidence) : { ...checkRow(check, 'PASS'), requirements: [id], evidence });
    }
    const started = performance.now();
    const { page } = renderBundle(minimalReport({ verdict: 'NOT_CONFORMANT', requirements, checks }), files);
    expect(performance.now() - started).toBeLessThan(5000);
    expect(tableOrder(page)).toHaveLength(100);
    expect(tableOrder(page).slice(0, 10)).toEqual(['BIG-000', 'BIG-010', 'BIG-020', 'BIG-030', 'BIG-040', 'BIG-050', 'BIG-060', 'BIG-070', 'BIG-080', 'BIG-090']);
    expect(page.match(/<section class="detail o-FAIL"/g)).toHaveLength(10);
    // evidence of passing checks is linked from the files, not inlined
    expect(page.match(/<tbody class="record">/g)).toHaveLength(10 * 20);
  });

  it('stops inlining at the page budget and says where the rest is', () => {
    const lines = Array.from({ length: 10 }, (_, i) => mqttLine(i + 1, { payload: 'p'.repeat(1000) })).join('\n');
    const evidence = [{ file: 'evidence/c.budget.jsonl', sha256: HASH, records: 10, dropped: 0 }];
    const report = minimalReport({ requirements: [failingRequirement('T-001', 'c.budget')], checks: [failingCheck('c.budget', 'T-001', evidence)] });
    const dir = temp.make();
    temp.write(dir, 'evidence/c.budget.jsonl', lines);
    const page = renderReportHtml(dir, report, { ...INLINE_LIMITS, maxPageChars: 3000 });
    expect(page.match(/<tbody class="record">/g)).toHaveLength(3);
    expect(page).toContain("Showing the first 3 of 10 records (the page&#39;s inline limit");
  });
});
