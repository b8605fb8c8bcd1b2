import { describe, expect, it } from 'vitest';
import type { Outcome, RequirementOutcome } from '../../../harness/model/index.js';
import { decideRequirements, type RequirementInputs } from '../../../harness/verdict/index.js';
import { catalogOf, profileOf, requirement, result } from '../support/library.js';

const catalog = catalogOf([
  requirement('T-001'),
  requirement('T-002', 'SHOULD'),
  requirement('T-003', 'MUST', { testable: false, reason: 'needs a human to read the manual' }),
  requirement('G-001'),
  requirement('G-002'),
]);

function decide(overrides: Partial<RequirementInputs>) {
  return decideRequirements({
    profile: profileOf({ requirements: ['T-001'] }),
    catalog,
    results: [],
    claims: [],
    selected: null,
    runErrors: [],
    ...overrides,
  });
}

function outcomeOf(id: string, overrides: Partial<RequirementInputs>): RequirementOutcome {
  const row = decide(overrides).find((r) => r.id === id);
  if (!row) throw new Error(`no row for ${id}`);
  return row.outcome;
}

describe('decideRequirements: worst outcome across checks', () => {
  // each pair: the worse outcome must win whichever check reported it first
  const ladder: Outcome[] = ['FAIL', 'ERROR', 'NOT_EXECUTED', 'WARN', 'PASS', 'NA'];
  for (let i = 0; i < ladder.length - 1; i++) {
    const worse = ladder[i]!;
    const better = ladder[i + 1]!;
    it(`${worse} beats ${better}`, () => {
      for (const order of [[worse, better], [better, worse]] as const) {
        const results = [result('check.a', [['T-001', order[0]]]), result('check.b', [['T-001', order[1]]])];
        expect(outcomeOf('T-001', { results })).toBe(worse);
      }
    });
  }

  it('FAIL beats every other outcome reported by several checks at once', () => {
    const results = (['NA', 'PASS', 'WARN', 'NOT_EXECUTED', 'ERROR', 'FAIL'] as const).map((o, i) => result(`check.${i}`, [['T-001', o]]));
    expect(outcomeOf('T-001', { results })).toBe('FAIL');
  });

  it('keeps the messages of the worst outcome only, prefixed by their check and de-duplicated', () => {
    const results = [
      result('check.a', [['T-001', 'FAIL', 'expected Oi4, saw oi4']]),
      result('check.b', [['T-001', 'WARN', 'slow answer']]),
      result('check.c', [['T-001', 'FAIL', 'expected Oi4, saw oi4']]),
      result('check.c', [['T-001', 'FAIL', 'expected Oi4, saw oi4']]),
    ];
    const [row] = decide({ results });
    expect(row?.reason).toBe('[check.a] expected Oi4, saw oi4 | [check.c] expected Oi4, saw oi4');
    expect(row?.reason).not.toContain('slow answer');
    // every check that decided it is listed once, whatever its outcome
    expect(row?.checks).toEqual(['check.a', 'check.b', 'check.c']);
  });

  it('copies title, level and source from the catalog and marks profile requirements mandatory', () => {
    const [row] = decide({ results: [result('check.a', [['T-001', 'PASS']])] });
    expect(row).toMatchObject({ id: 'T-001', title: 'title of T-001', level: 'MUST', source: 'source of T-001', mandatory: true, outcome: 'PASS', reason: '' });
  });
});

describe('decideRequirements: requirements nobody decided', () => {
  it('is NOT_EXECUTED without run errors', () => {
    const [row] = decide({});
    expect(row).toMatchObject({ outcome: 'NOT_EXECUTED', reason: 'no check decided this requirement', checks: [] });
  });

  it('is ERROR naming the first run error when the run failed', () => {
    const [row] = decide({ runErrors: ['broker unreachable', 'second problem'] });
    expect(row?.outcome).toBe('ERROR');
    expect(row?.reason).toContain('broker unreachable');
    expect(row?.reason).not.toContain('second problem');
  });

  it('still takes the decisions of checks that did run when there are run errors', () => {
    expect(outcomeOf('T-001', { results: [result('check.a', [['T-001', 'PASS']])], runErrors: ['late failure'] })).toBe('PASS');
  });
});

describe('decideRequirements: non-testable, deselected and optional requirements', () => {
  it('makes a non-testable requirement NA with its reason, even when a check decided it', () => {
    const profile = profileOf({ requirements: ['T-003'] });
    const [row] = decide({ profile, results: [result('check.a', [['T-003', 'FAIL', 'x']])] });
    expect(row?.outcome).toBe('NA');
    expect(row?.reason).toContain('needs a human to read the manual');
  });

  it('makes a requirement left out by --only NOT_EXECUTED', () => {
    const profile = profileOf({ requirements: ['T-001', 'T-002'] });
    const rows = decide({ profile, selected: ['T-002'], results: [result('check.a', [['T-002', 'PASS']])] });
    expect(rows.map((r) => [r.id, r.outcome])).toEqual([
      ['T-001', 'NOT_EXECUTED'],
      ['T-002', 'PASS'],
    ]);
    expect(rows[0]?.reason).toContain('--only');
  });

  it('lists an unclaimed optional group as NA and not mandatory', () => {
    const profile = profileOf({ requirements: ['T-001'], optionalGroups: { data: ['G-001', 'G-002'] } });
    const rows = decide({ profile, results: [result('check.a', [['T-001', 'PASS']])] });
    const groupRows = rows.filter((r) => r.group === 'data');
    expect(groupRows.map((r) => r.id)).toEqual(['G-001', 'G-002']);
    for (const row of groupRows) {
      expect(row.outcome).toBe('NA');
      expect(row.mandatory).toBe(false);
      expect(row.reason).toContain('"data"');
    }
  });

  it('makes a claimed optional group mandatory, so an undecided member is NOT_EXECUTED', () => {
    const profile = profileOf({ requirements: ['T-001'], optionalGroups: { data: ['G-001'] } });
    const rows = decide({ profile, claims: ['data'] });
    expect(rows.find((r) => r.id === 'G-001')).toMatchObject({ mandatory: true, group: 'data', outcome: 'NOT_EXECUTED' });
  });

  it('keeps what a check observed for an unclaimed group member, without making it mandatory', () => {
    const profile = profileOf({ requirements: ['T-001'], optionalGroups: { data: ['G-001'] } });
    const rows = decide({ profile, results: [result('check.a', [['G-001', 'FAIL', 'bad']])] });
    expect(rows.find((r) => r.id === 'G-001')).toMatchObject({ mandatory: false, outcome: 'FAIL' });
  });

  it('lists a requirement that is both mandatory and in a group once, as mandatory', () => {
    const profile = profileOf({ requirements: ['T-001', 'G-001'], optionalGroups: { data: ['G-001', 'G-002'] } });
    const rows = decide({ profile });
    expect(rows.filter((r) => r.id === 'G-001')).toHaveLength(1);
    expect(rows.find((r) => r.id === 'G-001')).toMatchObject({ mandatory: true });
    expect(rows.find((r) => r.id === 'G-001')?.group).toBeUndefined();
  });

  it('throws when the profile lists an id missing from the catalog', () => {
    expect(() => decide({ profile: profileOf({ requirements: ['NOPE-001'] }) })).toThrow(/NOPE-001.*not in the catalog/);
  });
});
