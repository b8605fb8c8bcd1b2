import type { Catalog } from '../../../harness/catalog/index.js';
import type { CheckResult, Decision, Level, Outcome, Profile, Requirement, MqttTarget } from '../../../harness/model/index.js';

/** Hand-built catalogs, profiles, targets and check results, so unit tests do not depend on the real profiles. */

export function requirement(id: string, level: Level = 'MUST', extra: Partial<Requirement> = {}): Requirement {
  return { id, title: `title of ${id}`, level, source: `source of ${id}`, family: 'test', testable: true, ...extra };
}

export function catalogOf(requirements: readonly Requirement[]): Catalog {
  const map = new Map(requirements.map((r) => [r.id, r]));
  return { families: ['test'], requirements: map, get: (id) => map.get(id) };
}

export function profileOf(fields: Partial<Profile> & Pick<Profile, 'requirements'>): Profile {
  return {
    id: 'test-profile',
    title: 'Test profile',
    version: '1.0.0',
    guideline: { name: 'Test guideline', version: '1.0' },
    targetKind: 'oi4-mqtt',
    suites: ['suites/oi4-oec/*.suite.ts'],
    parameters: {},
    family: 'test',
    file: '/nowhere/test-profile.yaml',
    ...fields,
  };
}

export function targetOf(fields: Partial<MqttTarget> = {}): MqttTarget {
  return {
    name: 'unit-target',
    kind: 'oi4-mqtt',
    origin: 'file',
    reference: 'unit-target.yaml',
    broker: { url: 'mqtt://127.0.0.1:1883', clientIdPrefix: 'oi4-conformance' },
    oi4: { appId: 'discover' },
    parameters: {},
    claims: [],
    actions: {},
    faults: [],
    ...fields,
  };
}

/** A check result whose decisions are given as [requirement, outcome, message?] triples. */
export function result(id: string, decisions: readonly [string, Outcome, string?][]): CheckResult {
  const decided: Decision[] = decisions.map(([requirement, outcome, message]) => ({ requirement, outcome, message: message ?? '' }));
  return {
    id,
    title: `title of ${id}`,
    requirements: [...new Set(decided.map((d) => d.requirement))],
    suite: 'suites/test.suite.ts',
    outcome: decided[0]?.outcome ?? 'ERROR',
    message: '',
    decisions: decided,
    durationMs: 1,
    evidence: [],
  };
}
