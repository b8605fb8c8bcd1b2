import { describe, expect, test } from 'vitest';
import type { Report, RequirementOutcome } from '../../../harness/model/index.js';
import type { RunRecord } from '../../../harness/plugfest/cells.js';
import { buildMatrix } from '../../../harness/plugfest/matrix.js';
import type { CellVerdict, CrossTargetResult } from '../../../harness/plugfest/matrix-json.js';
import { validatePlugfestResult } from '../../../harness/plugfest/index.js';
import type { PlannedTarget, PlugfestPlan } from '../../../harness/plugfest/plan.js';

type Status = [id: string, outcome: RequirementOutcome, deferred?: boolean];

function record(profile: string, verdict: CellVerdict, statuses: Status[] = []): RunRecord {
  const report = statuses.length
    ? ({ profile: { id: profile }, target: {}, requirements: statuses.map(([id, outcome, deferred]) => ({ id, title: `title of ${id}`, outcome, ...(deferred && { deferred }) })) } as unknown as Report)
    : undefined;
  return {
    ...(report && { report }),
    cell: { profile, profileTitle: profile, verdict, exitCode: null, certifying: null, counts: null, dir: `targets/t/${profile}`, report: null, html: null, log: `targets/t/${profile}.log`, startedAt: null, durationMs: null, errors: [] },
  };
}

const target = (name: string): PlannedTarget => ({ name, reference: 'embedded:oi4-app', runTarget: 'embedded:oi4-app', origin: 'embedded', kind: 'oi4-mqtt', faults: [], onSharedBroker: true, runs: [] });
const plan = { name: 'lab', file: '/x/plugfest.yaml', fileSha256: 'a'.repeat(64), concurrency: 2, mode: 'quick', sharedBroker: true, runTimeoutMs: 1, targets: [], secrets: [] } as PlugfestPlan;

function matrix(runs: Record<string, RunRecord[]>, cross: CrossTargetResult[] = []) {
  const result = buildMatrix({
    plan,
    targets: Object.entries(runs).map(([name, records]) => ({ target: target(name), runs: records })),
    cross: { applies: cross.length > 0, reason: 'r', results: cross },
    startedAt: new Date(0),
    endedAt: new Date(1000),
    interrupted: false,
    errors: [],
  });
  const checked = validatePlugfestResult(result);
  expect(checked.ok ? [] : checked.problems).toEqual([]);
  return result;
}

describe('plugfest matrix', () => {
  test("the heat map takes the worst outcome over a target's runs; a quick run's deferred status only where nothing decided", () => {
    const result = matrix({
      a: [
        record('p1', 'NOT_CONFORMANT', [['R-1', 'PASS'], ['R-2', 'WAIVED'], ['R-3', 'NOT_EXECUTED', true], ['R-4', 'NOT_EXECUTED', true]]),
        record('p2', 'NOT_CONFORMANT', [['R-1', 'FAIL'], ['R-2', 'WARN'], ['R-3', 'PASS']]),
      ],
      b: [record('p1', 'ERROR')],
    });
    const cell = (id: string) => result.heatMap.rows.find((r) => r.requirement === id)!.cells['a'];
    expect(cell('R-1')).toEqual({ outcome: 'FAIL', profiles: ['p1', 'p2'] });
    expect(cell('R-2')).toEqual({ outcome: 'WAIVED', profiles: ['p1', 'p2'] });
    expect(cell('R-3')).toEqual({ outcome: 'PASS', profiles: ['p2', 'p1'] });
    expect(cell('R-4')).toEqual({ outcome: 'NOT_EXECUTED', deferred: true, profiles: ['p1'] });
    // a target without a report has no cells
    expect(result.heatMap.rows.every((r) => r.cells['b'] === undefined)).toBe(true);
    expect(result.heatMap.targets).toEqual(['a', 'b']);
  });

  test('exit code: 1 on any NOT_CONFORMANT or cross-target FAIL, 3 on anything undecided, 0 when all is conformant', () => {
    expect(matrix({ a: [record('p', 'CONFORMANT')] })).toMatchObject({ verdict: 'CONFORMANT', exitCode: 0 });
    expect(matrix({ a: [record('p', 'CONFORMANT')], b: [record('p', 'ERROR')] })).toMatchObject({ verdict: 'INCOMPLETE', exitCode: 3 });
    expect(matrix({ a: [record('p', 'NOT_RUN')] })).toMatchObject({ verdict: 'INCOMPLETE', exitCode: 3 });
    expect(matrix({ a: [record('p', 'NOT_CONFORMANT')], b: [record('p', 'ERROR')] })).toMatchObject({ verdict: 'NOT_CONFORMANT', exitCode: 1 });
    const cross = (outcome: CrossTargetResult['outcome']): CrossTargetResult[] => [{ requirement: 'PLUGFEST-APPID', target: 'a', outcome, reason: 'r' }];
    expect(matrix({ a: [record('p', 'CONFORMANT')] }, cross('FAIL'))).toMatchObject({ exitCode: 1, counts: { crossTarget: { FAIL: 1 } } });
    expect(matrix({ a: [record('p', 'CONFORMANT')] }, cross('NOT_EXECUTED'))).toMatchObject({ exitCode: 3 });
    const withCross = matrix({ a: [record('p', 'CONFORMANT', [['R-1', 'PASS']])] }, cross('PASS'));
    expect(withCross.heatMap.rows.map((r) => r.requirement)).toEqual(['PLUGFEST-APPID', 'R-1']);
    expect(withCross.exitCode).toBe(0);
  });
});
