import { chmodSync, existsSync, readdirSync, readFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Report } from '../../../harness/model/index.js';
import { ALLURE_RESULTS, finishAllureResults } from '../../../harness/report/allure.js';
import { javaEnvironment } from '../../../harness/report/allure-site.js';
import { checkRow, minimalReport, requirementRow } from '../support/report.js';
import { useTempDirs } from '../support/temp.js';

const temp = useTempDirs();

type Check = Report['checks'][number];
type Decision = Check['decisions'][number];

interface WrittenResult {
  name?: string;
  status?: string;
  stage?: string;
  statusDetails?: { message?: string; trace?: string };
  labels: Array<{ name: string; value: string }>;
  links: Array<{ name: string; url?: string; type: string }>;
  fullName?: string;
  description?: string;
  steps?: unknown[];
}

/** An Allure result as allure-vitest writes one for a check: vitest passed it, whatever the check found. */
function vitestResult(checkId: string | undefined, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    uuid: `uuid-${checkId ?? 'other'}`,
    name: `vitest name of ${checkId ?? 'other'}`,
    fullName: `../../work/suites/test.suite.ts#vitest name of ${checkId ?? 'other'}`,
    status: 'passed',
    stage: 'finished',
    statusDetails: {},
    steps: [{ name: 'evidence.jsonl', attachments: [{ name: 'evidence.jsonl', source: 'a-attachment.jsonl', type: 'text/plain' }] }],
    attachments: [],
    parameters: [],
    labels: [
      { name: 'framework', value: 'vitest' },
      { name: 'package', value: '..........work.suites.test.suite.ts' },
      ...(checkId ? [{ name: 'check', value: checkId }] : []),
    ],
    links: [],
    ...extra,
  };
}

function decision(requirement: string, outcome: Decision['outcome'], message = ''): Decision {
  return { requirement, outcome, message };
}

function check(id: string, outcome: Check['outcome'], message: string, requirements: string[], decisions: Decision[] = []): Check {
  return { ...checkRow(id, outcome, message), requirements, decisions };
}

/** Writes the result files, finishes them against the report, and returns each by its check id (or file name). */
function finish(report: Report, results: Array<Record<string, unknown>>): { dir: string; byCheck: Map<string, WrittenResult> } {
  const dir = temp.make();
  for (const result of results) temp.write(dir, `${ALLURE_RESULTS}/${String(result['uuid'])}-result.json`, JSON.stringify(result));
  finishAllureResults(dir, report);
  const byCheck = new Map<string, WrittenResult>();
  for (const name of readdirSync(join(dir, ALLURE_RESULTS)).filter((n) => n.endsWith('-result.json'))) {
    const written = JSON.parse(readFileSync(join(dir, ALLURE_RESULTS, name), 'utf8')) as WrittenResult;
    byCheck.set(written.labels.find((l) => l.name === 'check')?.value ?? name, written);
  }
  return { dir, byCheck };
}

const tags = (result: WrittenResult | undefined) => (result?.labels ?? []).filter((l) => l.name === 'tag').map((l) => l.value);

describe('finishAllureResults: statuses from the report, not from vitest', () => {
  const checks = [
    check('c.pass', 'PASS', '', ['R-001'], [decision('R-001', 'PASS')]),
    check('c.fail', 'FAIL', 'expected Oi4, saw oi4 (topic level 1)', ['R-002'], [decision('R-002', 'FAIL', 'expected Oi4, saw oi4 (topic level 1)')]),
    check('c.warn', 'WARN', 'HealthScore missing', ['R-003'], [decision('R-003', 'WARN', 'HealthScore missing')]),
    check('c.error', 'ERROR', 'check ended without a result: broker gone', ['R-004']),
    check('c.na', 'NA', 'no Data in the Profile', ['R-005'], [decision('R-005', 'NA', 'no Data in the Profile')]),
    check('c.later', 'NOT_EXECUTED', 'quick mode: run with --mode full', ['R-006'], [{ ...decision('R-006', 'NOT_EXECUTED', 'quick mode'), deferred: true }]),
  ];
  const report = minimalReport({
    requirements: [
      requirementRow('R-001', 'PASS'),
      requirementRow('R-002', 'FAIL', '[c.fail] expected Oi4, saw oi4'),
      requirementRow('R-003', 'WARN'),
      requirementRow('R-004', 'ERROR'),
      requirementRow('R-005', 'NA'),
      requirementRow('R-006', 'NOT_EXECUTED'),
    ],
    checks,
  });
  const brokenTrace = { status: 'broken', statusDetails: { message: 'Test timed out', trace: 'Error: Test timed out\n    at check.ts:60' } };
  const { byCheck } = finish(report, [...checks.filter((c) => c.id !== 'c.error').map((c) => vitestResult(c.id)), vitestResult('c.error', brokenTrace)]);

  it('maps PASS to passed, FAIL to failed, ERROR to broken, NA and NOT_EXECUTED to skipped', () => {
    expect(Object.fromEntries([...byCheck].map(([id, r]) => [id, r.status]))).toEqual({
      'c.pass': 'passed',
      'c.fail': 'failed',
      'c.warn': 'passed',
      'c.error': 'broken',
      'c.na': 'skipped',
      'c.later': 'skipped',
    });
    for (const result of byCheck.values()) expect(result.stage).toBe('finished');
  });

  it("gives a failed result the check's message, and a pass none", () => {
    expect(byCheck.get('c.fail')?.statusDetails).toEqual({ message: 'expected Oi4, saw oi4 (topic level 1)' });
    expect(byCheck.get('c.pass')?.statusDetails).toEqual({});
    expect(byCheck.get('c.later')?.statusDetails?.message).toBe('quick mode: run with --mode full');
  });

  it('shows a WARN as a pass with a WARN tag and what was missed', () => {
    const warn = byCheck.get('c.warn');
    expect(tags(warn)).toEqual(['WARN']);
    expect(warn?.statusDetails?.message).toBe('HealthScore missing');
    expect(tags(byCheck.get('c.pass'))).toEqual([]);
  });

  it("keeps vitest's trace on a broken result (the harness's failure) but says what the report says", () => {
    expect(byCheck.get('c.error')?.statusDetails).toEqual({ message: 'check ended without a result: broker gone', trace: 'Error: Test timed out\n    at check.ts:60' });
  });

  it('names the result by the check title and the project-relative suite path, keeping the attachments', () => {
    const pass = byCheck.get('c.pass')!;
    expect(pass.name).toBe('title of c.pass');
    expect(pass.fullName).toBe('suites/test.suite.ts#c.pass');
    expect(pass.labels).toContainEqual({ name: 'package', value: 'suites.test.suite' });
    expect(pass.labels.filter((l) => l.name === 'package')).toHaveLength(1);
    expect(pass.steps).toHaveLength(1);
  });
});

describe('finishAllureResults: waived FAILs', () => {
  const waiver = (reason: string, expires: string) => ({ reason, expires, waivedOutcome: 'FAIL' as const });
  const waived = (id: string, reason: string, expires: string) => ({ ...requirementRow(id, 'WAIVED', `[c] seen wrong`), waiver: waiver(reason, expires) });

  it('shows a FAIL whose failing requirements are all waived as skipped, tagged WAIVED, with the waiver and the finding', () => {
    const checks = [check('c.waived', 'FAIL', 'no CorrelationId', ['W-001', 'W-002'], [decision('W-001', 'FAIL', 'no CorrelationId'), decision('W-002', 'PASS')])];
    const report = minimalReport({ requirements: [waived('W-001', 'TICKET-42: fixed in 2.4', '2099-12-31'), requirementRow('W-002', 'PASS')], checks });
    const result = finish(report, [vitestResult('c.waived')]).byCheck.get('c.waived');
    expect(result?.status).toBe('skipped');
    expect(tags(result)).toEqual(['WAIVED']);
    expect(result?.statusDetails?.message).toBe('WAIVED until 2099-12-31 (TICKET-42: fixed in 2.4): no CorrelationId');
  });

  it('names each requirement when several are waived, the earliest expiry first', () => {
    const checks = [check('c.two', 'FAIL', 'both wrong', ['W-001', 'W-002'], [decision('W-001', 'FAIL', 'a'), decision('W-002', 'FAIL', 'b')])];
    const report = minimalReport({ requirements: [waived('W-001', 'later fix', '2099-12-31'), waived('W-002', 'sooner fix', '2098-01-31')], checks });
    const result = finish(report, [vitestResult('c.two')]).byCheck.get('c.two');
    expect(result?.statusDetails?.message).toBe('WAIVED until 2098-01-31 (W-002 until 2098-01-31: sooner fix; W-001 until 2099-12-31: later fix): both wrong');
  });

  it('keeps a FAIL failed when only some of its failing requirements are waived', () => {
    const checks = [check('c.part', 'FAIL', 'both wrong', ['W-001', 'W-002'], [decision('W-001', 'FAIL', 'a'), decision('W-002', 'FAIL', 'b')])];
    const report = minimalReport({ requirements: [waived('W-001', 'fix', '2099-12-31'), requirementRow('W-002', 'FAIL', 'b')], checks });
    const result = finish(report, [vitestResult('c.part')]).byCheck.get('c.part');
    expect(result?.status).toBe('failed');
    expect(tags(result)).toEqual([]);
    expect(result?.statusDetails?.message).toBe('both wrong');
  });
});

describe('finishAllureResults: links, description and the run files', () => {
  const checks = [check('c.src', 'PASS', '', ['S-001', 'S-002'], [decision('S-001', 'PASS'), decision('S-002', 'PASS')])];
  const report = minimalReport({
    requirements: [
      { ...requirementRow('S-001', 'PASS'), source: 'OI4 OEC Development Guideline 1.1, section 6.4' },
      { ...requirementRow('S-002', 'PASS'), level: 'SHOULD', source: 'https://example.org/spec#part-2' },
    ],
    checks,
    target: { ...minimalReport().target, name: 'Gerät Ä' },
  });

  it("links each requirement's source by name, and to a URL only when the source is one", () => {
    const { byCheck } = finish(report, [vitestResult('c.src')]);
    expect(byCheck.get('c.src')?.links).toEqual([
      { name: 'S-001: OI4 OEC Development Guideline 1.1, section 6.4', type: 'tms' },
      { name: 'S-002: https://example.org/spec#part-2', type: 'tms', url: 'https://example.org/spec#part-2' },
    ]);
    expect(byCheck.get('c.src')?.description).toBe('- **S-001** (MUST, PASS): title of S-001\n- **S-002** (SHOULD, PASS): title of S-002');
  });

  it('writes environment.properties (escaped for java.util.Properties), executor.json and categories.json', () => {
    const { dir } = finish(report, [vitestResult('c.src')]);
    const properties = readFileSync(join(dir, ALLURE_RESULTS, 'environment.properties'), 'utf8');
    expect(properties).toContain('profile=test-profile\n');
    expect(properties).toContain('target=Ger\\u00e4t \\u00c4\n');
    expect(properties).toContain('endpoint=mqtt://127.0.0.1:1883\n');
    expect(properties).toContain(`suite.sha256=${'a'.repeat(64)}\n`);
    expect(properties).toContain('mode=full\n');
    expect(properties).toContain('certifying=yes\n');
    expect(properties).toMatch(/^[\x20-\x7e\n]*$/);
    const executor = JSON.parse(readFileSync(join(dir, ALLURE_RESULTS, 'executor.json'), 'utf8')) as { reportName: string };
    expect(executor.reportName).toBe('test-profile 1.0.0 on Gerät Ä: CONFORMANT');
    const categories = JSON.parse(readFileSync(join(dir, ALLURE_RESULTS, 'categories.json'), 'utf8')) as Array<{ name: string; matchedStatuses: string[] }>;
    expect(categories.map((c) => c.matchedStatuses)).toEqual([['failed'], ['broken'], ['skipped']]);
  });

  it('gives the same files when it finishes the same results twice', () => {
    const warn = [check('c.warn', 'WARN', 'late', ['S-001'], [decision('S-001', 'WARN', 'late')])];
    const warned = minimalReport({ requirements: [requirementRow('S-001', 'WARN')], checks: warn });
    const { dir } = finish(warned, [vitestResult('c.warn')]);
    const read = () => readdirSync(join(dir, ALLURE_RESULTS)).sort().map((n) => readFileSync(join(dir, ALLURE_RESULTS, n), 'utf8'));
    const once = read();
    finishAllureResults(dir, warned);
    expect(read()).toEqual(once);
  });
});

describe('finishAllureResults: what is not ours', () => {
  it('leaves a result of no check of the report as it was written', () => {
    const other = vitestResult(undefined);
    const unknown = vitestResult('c.gone');
    const { dir } = finish(minimalReport(), [other, unknown]);
    expect(JSON.parse(readFileSync(join(dir, ALLURE_RESULTS, 'uuid-other-result.json'), 'utf8'))).toEqual(other);
    expect(JSON.parse(readFileSync(join(dir, ALLURE_RESULTS, 'uuid-c.gone-result.json'), 'utf8'))).toEqual(unknown);
  });

  it('does nothing when the run wrote no allure-results', () => {
    const dir = temp.make();
    finishAllureResults(dir, minimalReport());
    expect(existsSync(join(dir, ALLURE_RESULTS))).toBe(false);
  });

  it('skips a result file that is not JSON', () => {
    const dir = temp.make();
    temp.write(dir, `${ALLURE_RESULTS}/broken-result.json`, '{ not json');
    expect(() => finishAllureResults(dir, minimalReport())).not.toThrow();
    expect(readFileSync(join(dir, ALLURE_RESULTS, 'broken-result.json'), 'utf8')).toBe('{ not json');
  });
});

describe('javaEnvironment: where allure finds Java', () => {
  function fakeJava(dir: string): string {
    const file = temp.write(dir, 'bin/java', '#!/bin/sh\nexit 0\n');
    chmodSync(file, 0o755);
    return join(dir, 'bin');
  }

  it('takes JAVA_HOME when it holds bin/java', () => {
    const home = temp.make();
    fakeJava(home);
    const env = { PATH: '', JAVA_HOME: home };
    expect(javaEnvironment(env)).toEqual(env);
  });

  it('drops a JAVA_HOME without java when java is on PATH (allure would stop on it)', () => {
    const bin = fakeJava(temp.make());
    expect(javaEnvironment({ PATH: ['/nonexistent', bin].join(delimiter), JAVA_HOME: temp.make() })).toEqual({ PATH: ['/nonexistent', bin].join(delimiter) });
  });

  it('finds none when neither PATH nor JAVA_HOME has java, or java is not executable', () => {
    const dir = temp.make();
    temp.write(dir, 'java', 'not executable');
    expect(javaEnvironment({ PATH: dir })).toBeUndefined();
    expect(javaEnvironment({})).toBeUndefined();
  });
});
