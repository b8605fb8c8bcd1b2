/**
 * Regression tests for defects found by the unit tests' review; each fails on the code before its fix.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expandGlobs, readYamlFile } from '../../harness/catalog/index.js';
import { CheckEnd, createCheckContext, settleDecisions } from '../../harness/engine/check-context.js';
import { DecisionBook } from '../../harness/engine/decisions.js';
import type { RunContext } from '../../harness/engine/run-context.js';
import { createRedactor, MqttLog } from '../../harness/evidence/index.js';
import { ConfigError } from '../../harness/model/index.js';
import { writeJunit } from '../../harness/report/index.js';
import { loadTargetFile } from '../../harness/targets/index.js';
import { decideRequirements } from '../../harness/verdict/index.js';
import { catalogOf, profileOf, requirement, targetOf } from './support/library.js';
import { minimalReport } from './support/report.js';
import { useTempDirs } from './support/temp.js';
import { readFileSync } from 'node:fs';

const temp = useTempDirs();

describe('evidence never keeps a secret, whatever the payload', () => {
  const secret = 'hunter2pass';

  it('finds a secret inside a payload that is not UTF-8 (stored as base64)', () => {
    const log = new MqttLog(createRedactor([secret]));
    log.record('received', 't', Buffer.concat([Buffer.from([0xff]), Buffer.from(secret)]), 0, false);
    const record = log.records[0]!;
    expect(record.encoding).toBe('base64');
    expect(Buffer.from(record.payload, 'base64').toString('latin1')).not.toContain('hunte');
  });

  it('redacts before truncating, so a cut cannot leave part of a secret', () => {
    const log = new MqttLog(createRedactor([secret]), { maxRecords: 10, maxPayloadBytes: 8 });
    log.record('received', 't', Buffer.from(`pw=${secret}`), 0, false);
    expect(log.records[0]!.payload).toBe('pw=***');
    expect(log.records[0]!.bytes).toBe(3 + secret.length);
  });

  it('keeps a truncated binary payload as base64 of its first bytes', () => {
    const log = new MqttLog(createRedactor([]), { maxRecords: 10, maxPayloadBytes: 8 });
    const bytes = Buffer.from([0xff, 0xfe, 0x00, 0x01, 0x02, 0x03, 0x80, 0x81, 0x82, 0x83]);
    log.record('received', 't', bytes, 0, false);
    expect(log.records[0]).toMatchObject({ encoding: 'base64', truncated: true, payload: bytes.subarray(0, 8).toString('base64') });
  });
});

describe('junit.xml stays well-formed', () => {
  it('replaces U+FFFE, U+FFFF and lone surrogates, which XML 1.0 forbids', () => {
    const dir = temp.make();
    const report = minimalReport();
    const check = { ...report.checks[0]!, outcome: 'FAIL' as const, message: 'field was "\uFFFF\uFFFE\uD800"' };
    writeJunit(dir, { ...report, checks: [check] });
    const xml = readFileSync(join(dir, 'junit.xml'), 'utf8');
    expect(xml).not.toMatch(/[\uFFFE\uFFFF]/);
    expect(xml).toContain('field was &quot;\uFFFD\uFFFD\uFFFD&quot;');
  });
});

describe('decisions', () => {
  it('counts distinct omitted messages, not repeats', () => {
    const book = new DecisionBook(['M-001'], { 'M-001': 'MUST' });
    for (const m of ['m1', 'm2', 'm3', 'm4', 'm5', 'm6', 'm6', 'm6']) book.record('M-001', 'FAIL', m);
    expect(book.toDecisions()[0]!.message).toBe('m1; m2; m3; m4; m5 (and 1 more)');
  });

  it('ending a check with an id it does not declare still settles the check', () => {
    const run = { levels: { 'M-001': 'MUST' }, parameters: {}, target: targetOf() } as unknown as RunContext;
    const redact = createRedactor([]);
    const { book } = createCheckContext({ checkId: 'c', requirements: ['M-001'], run, signal: new AbortController().signal, redact });
    const decisions = settleDecisions(book, 'c', new CheckEnd('NA', 'no data', ['M-002']), redact);
    expect(decisions).toEqual([{ requirement: 'M-001', outcome: 'NOT_EXECUTED', message: 'not reached: no data' }]);
  });
});

describe('configuration input', () => {
  it('an alias bomb in YAML is a configuration error, not an internal one', () => {
    const dir = temp.make();
    const lines = ['a: &a [x, x, x, x, x, x, x, x, x, x]', ...Array.from({ length: 8 }, (_, i) => `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(10).fill(`*${String.fromCharCode(97 + i)}`).join(', ')}]`)];
    const file = temp.write(dir, 'bomb.yaml', lines.join('\n') + '\n');
    expect(() => readYamlFile(file)).toThrow(ConfigError);
  });

  it('tls with an mqtt:// URL is refused even without files', () => {
    const dir = temp.make();
    const file = temp.write(dir, 't.yaml', 'name: t\nkind: oi4-mqtt\nbroker:\n  url: mqtt://127.0.0.1:1883\n  tls:\n    rejectUnauthorized: false\noi4:\n  appId: discover\n');
    expect(() => loadTargetFile(file, {})).toThrow(/use mqtts:\/\//);
  });

  it('a literal password is explained: secrets come from the environment', () => {
    const dir = temp.make();
    const file = temp.write(dir, 't.yaml', 'name: t\nkind: oi4-mqtt\nbroker:\n  url: mqtt://127.0.0.1:1883\n  password: hunter22\noi4:\n  appId: discover\n');
    expect(() => loadTargetFile(file, {})).toThrow(/broker\.password: must be an environment reference/);
  });

  it('a trailing ** matches every file below', () => {
    const dir = temp.make();
    temp.write(dir, 'suites/x/a.suite.ts', '');
    temp.write(dir, 'suites/x/deep/b.suite.ts', '');
    expect(expandGlobs(dir, ['suites/**'])).toEqual(['suites/x/a.suite.ts', 'suites/x/deep/b.suite.ts']);
  });
});

describe('verdict rows', () => {
  it('a requirement in two optional groups is one row, mandatory when either group is claimed', () => {
    const catalog = catalogOf([requirement('A-001'), requirement('B-001')]);
    const profile = profileOf({ requirements: ['A-001'], optionalGroups: { g: ['B-001'], h: ['B-001'] } });
    const rows = decideRequirements({ profile, catalog, results: [], claims: ['h'], selected: null, runErrors: [] });
    expect(rows.filter((r) => r.id === 'B-001')).toHaveLength(1);
    expect(rows.find((r) => r.id === 'B-001')).toMatchObject({ mandatory: true, group: 'h' });
  });
});

describe('quick mode', () => {
  it('a requirement only a skipped slow check decides is deferred, and a deferred requirement does not block the verdict', async () => {
    const { decideVerdict } = await import('../../harness/verdict/index.js');
    const catalog = catalogOf([requirement('A-001'), requirement('L-001')]);
    const profile = profileOf({ requirements: ['A-001', 'L-001'] });
    const results = [
      { id: 'a', title: 'a', suite: 's', requirements: ['A-001'], outcome: 'PASS' as const, message: '', durationMs: 1, evidence: [], decisions: [{ requirement: 'A-001', outcome: 'PASS' as const, message: '' }] },
      {
        id: 'slow',
        title: 'slow',
        suite: 's',
        requirements: ['L-001'],
        outcome: 'NOT_EXECUTED' as const,
        message: 'quick mode',
        durationMs: 0,
        evidence: [],
        decisions: [{ requirement: 'L-001', outcome: 'NOT_EXECUTED' as const, message: 'quick mode: …', deferred: true }],
      },
    ];
    const rows = decideRequirements({ profile, catalog, results, claims: [], selected: null, runErrors: [] });
    expect(rows.find((r) => r.id === 'L-001')).toMatchObject({ outcome: 'NOT_EXECUTED', deferred: true });
    expect(decideVerdict(rows, [])).toBe('CONFORMANT');
  });
});

describe('suite order', () => {
  it('follows the order of the patterns, each file once', () => {
    const dir = temp.make();
    for (const f of ['suites/x/a.suite.ts', 'suites/x/z.suite.ts', 'suites/x/last/l.suite.ts']) temp.write(dir, f, '');
    expect(expandGlobs(dir, ['suites/x/*.suite.ts', 'suites/x/last/*.suite.ts', 'suites/x/a.suite.ts'])).toEqual([
      'suites/x/a.suite.ts',
      'suites/x/z.suite.ts',
      'suites/x/last/l.suite.ts',
    ]);
  });
});
