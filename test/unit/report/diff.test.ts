import { describe, expect, it } from 'vitest';
import type { RequirementOutcome } from '../../../harness/model/index.js';
import { diffReports } from '../../../harness/report/index.js';
import { minimalReport, requirementRow } from '../support/report.js';

function reportWith(rows: Record<string, RequirementOutcome>, verdict: 'CONFORMANT' | 'NOT_CONFORMANT' | 'INCOMPLETE' = 'CONFORMANT') {
  return minimalReport({ verdict, requirements: Object.entries(rows).map(([id, outcome]) => requirementRow(id, outcome, `reason of ${id} (${outcome})`)) });
}

describe('diffReports', () => {
  it('calls a move to a worse standing a regression, carrying the later reason', () => {
    const diff = diffReports(reportWith({ A: 'PASS', B: 'WARN', C: 'WAIVED', D: 'NA' }), reportWith({ A: 'FAIL', B: 'FAIL', C: 'FAIL', D: 'WARN' }, 'NOT_CONFORMANT'));
    expect(diff.regressions.map((c) => `${c.id} ${c.before}->${c.after}`)).toEqual(['A PASS->FAIL', 'B WARN->FAIL', 'C WAIVED->FAIL', 'D NA->WARN']);
    expect(diff.regressions[0]!.reason).toBe('reason of A (FAIL)');
    expect(diff.fixes).toEqual([]);
    expect(diff.verdict).toEqual({ before: 'CONFORMANT', after: 'NOT_CONFORMANT' });
  });

  it('calls the reverse a fix, and PASS <-> NA neither', () => {
    const diff = diffReports(reportWith({ A: 'FAIL', B: 'WARN', C: 'PASS' }), reportWith({ A: 'WAIVED', B: 'PASS', C: 'NA' }));
    expect(diff.fixes.map((c) => c.id)).toEqual(['A', 'B']);
    expect(diff.regressions).toEqual([]);
    expect(diff.undecided).toEqual([]);
  });

  it('keeps what one run could not decide apart: neither a regression nor a fix', () => {
    const diff = diffReports(reportWith({ A: 'PASS', B: 'ERROR' }), reportWith({ A: 'NOT_EXECUTED', B: 'FAIL' }));
    expect(diff.undecided.map((c) => `${c.id} ${c.before}->${c.after}`)).toEqual(['A PASS->NOT_EXECUTED', 'B ERROR->FAIL']);
    expect(diff.regressions).toEqual([]);
    expect(diff.fixes).toEqual([]);
  });

  it('lists requirements only one of the runs has', () => {
    const diff = diffReports(reportWith({ A: 'PASS', OLD: 'PASS' }), reportWith({ A: 'PASS', NEW: 'FAIL' }));
    expect(diff.added).toEqual(['NEW']);
    expect(diff.removed).toEqual(['OLD']);
    expect(diff.regressions).toEqual([]);
  });
});
