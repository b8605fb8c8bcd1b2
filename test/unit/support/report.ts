import type { Report } from '../../../harness/model/index.js';

type Check = Report['checks'][number];
type RequirementRow = Report['requirements'][number];

const HASH = 'a'.repeat(64);

/** A small report that satisfies the report schema; tests replace the parts they exercise. */
export function minimalReport(overrides: Partial<Report> = {}): Report {
  return {
    formatVersion: 1,
    suite: { name: 'oi4-conformance', version: '0.1.0', sha256: HASH, files: [{ path: 'suites/test.suite.ts', sha256: HASH }] },
    profile: {
      id: 'test-profile',
      title: 'Test profile',
      version: '1.0.0',
      guideline: { name: 'Test guideline', version: '1.0' },
      sha256: HASH,
      claimedGroups: [],
    },
    target: { name: 'unit-target', reference: 'unit-target.yaml', kind: 'oi4-mqtt', endpoint: 'mqtt://127.0.0.1:1883', faults: [], identity: null },
    run: {
      id: 'run-1',
      startedAt: '2025-01-01T00:00:00.000Z',
      endedAt: '2025-01-01T00:00:01.000Z',
      durationMs: 1000,
      phases: { preflightMs: 10, checksMs: 990 },
      mode: 'full',
      certifying: true,
      only: null,
      parameters: { responseTimeoutMs: { value: 2000, kind: 'harness', overridden: false } },
      environment: { node: process.version, platform: process.platform, arch: process.arch },
    },
    verdict: 'CONFORMANT',
    exitCode: 0,
    counts: { PASS: 1, FAIL: 0, WARN: 0, NA: 0, NOT_EXECUTED: 0, ERROR: 0 },
    requirements: [requirementRow('T-001', 'PASS')],
    checks: [checkRow('unit.pass', 'PASS')],
    errors: [],
    notes: [],
    ...overrides,
  };
}

export function requirementRow(id: string, outcome: RequirementRow['outcome'], reason = ''): RequirementRow {
  return { id, title: `title of ${id}`, level: 'MUST', source: 'test', mandatory: true, outcome, reason, checks: [] };
}

export function checkRow(id: string, outcome: Check['outcome'], message = '', suite = 'suites/test.suite.ts'): Check {
  return { id, title: `title of ${id}`, suite, requirements: ['T-001'], outcome, message, durationMs: 12, decisions: [], evidence: [] };
}
