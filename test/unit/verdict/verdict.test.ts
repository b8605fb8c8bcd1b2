import { describe, expect, it } from 'vitest';
import { REQUIREMENT_OUTCOMES, type RequirementOutcome, type RequirementStatus } from '../../../harness/model/index.js';
import { countOutcomes, decideVerdict } from '../../../harness/verdict/index.js';

function status(id: string, outcome: RequirementOutcome, mandatory = true): RequirementStatus {
  return { id, title: `title of ${id}`, level: 'MUST', source: 's', mandatory, outcome, reason: '', checks: [] };
}

describe('decideVerdict', () => {
  it('is CONFORMANT when every mandatory requirement is PASS, WARN or NA', () => {
    expect(decideVerdict([status('A', 'PASS'), status('B', 'WARN'), status('C', 'NA')], [])).toBe('CONFORMANT');
  });

  it('is NOT_CONFORMANT on any mandatory FAIL, even beside ERROR, NOT_EXECUTED and run errors', () => {
    const statuses = [status('A', 'PASS'), status('B', 'ERROR'), status('C', 'NOT_EXECUTED'), status('D', 'FAIL')];
    expect(decideVerdict(statuses, [])).toBe('NOT_CONFORMANT');
    expect(decideVerdict(statuses, ['broker unreachable'])).toBe('NOT_CONFORMANT');
  });

  for (const outcome of ['ERROR', 'NOT_EXECUTED'] as const) {
    it(`is INCOMPLETE when a mandatory requirement is ${outcome} and none FAILs`, () => {
      expect(decideVerdict([status('A', 'PASS'), status('B', outcome)], [])).toBe('INCOMPLETE');
    });
  }

  it('makes a would-be CONFORMANT run INCOMPLETE when the run had errors', () => {
    expect(decideVerdict([status('A', 'PASS')], ['evidence directory not writable'])).toBe('INCOMPLETE');
  });

  it('ignores requirements that are not mandatory (unclaimed optional groups)', () => {
    expect(decideVerdict([status('A', 'PASS'), status('G', 'FAIL', false), status('H', 'ERROR', false)], [])).toBe('CONFORMANT');
  });
});

describe('countOutcomes', () => {
  it('counts every outcome, with zero for the absent ones', () => {
    const counts = countOutcomes([status('A', 'PASS'), status('B', 'PASS'), status('C', 'FAIL', false), status('D', 'NA')]);
    expect(counts).toEqual({ PASS: 2, FAIL: 1, WARN: 0, NA: 1, NOT_EXECUTED: 0, ERROR: 0, WAIVED: 0 });
    expect(Object.keys(counts).sort()).toEqual([...REQUIREMENT_OUTCOMES].sort());
  });

  it('is all zeros for no requirements', () => {
    expect(Object.values(countOutcomes([]))).toEqual(REQUIREMENT_OUTCOMES.map(() => 0));
  });
});
