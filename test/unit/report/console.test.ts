import { describe, expect, it } from 'vitest';
import { renderSummary } from '../../../harness/report/index.js';
import { minimalReport, requirementRow } from '../support/report.js';

const plain = { color: false, width: 120 };

const report = minimalReport({
  verdict: 'NOT_CONFORMANT',
  exitCode: 1,
  counts: { PASS: 2, FAIL: 1, WARN: 1, NA: 1, NOT_EXECUTED: 0, ERROR: 1 },
  requirements: [
    requirementRow('A-001', 'PASS'),
    requirementRow('B-001', 'NA', 'optional group "data" is not claimed'),
    requirementRow('C-001', 'WARN', '[c.w] slow answer'),
    requirementRow('D-001', 'FAIL', '[c.f] expected Oi4, saw oi4'),
    requirementRow('E-001', 'PASS'),
    requirementRow('F-001', 'ERROR', '[c.e] broker gone'),
  ],
  notes: ['identity not read: no MAM'],
  errors: ['broker closed the connection'],
});

function rowOrder(text: string): string[] {
  return text.split('\n').filter((l) => /^[A-F]-001 /.test(l)).map((l) => l.slice(0, 5));
}

describe('renderSummary', () => {
  it('lists failures first, then errors, warnings, passes and NA, ids ascending within an outcome', () => {
    expect(rowOrder(renderSummary(report, plain))).toEqual(['D-001', 'F-001', 'C-001', 'A-001', 'E-001', 'B-001']);
  });

  it('shows the reason of a non-pass and the title of a pass', () => {
    const text = renderSummary(report, plain);
    expect(text).toMatch(/D-001 +FAIL +\[c\.f\] expected Oi4, saw oi4/);
    expect(text).toMatch(/A-001 +PASS +title of A-001/);
  });

  it('ends with the counts, notes, run errors and the verdict line', () => {
    const lines = renderSummary(report, plain).trimEnd().split('\n');
    expect(lines.at(-1)).toBe('verdict: NOT_CONFORMANT — test-profile 1.0.0 on unit-target');
    expect(lines).toContain('2 PASS, 1 FAIL, 1 WARN, 1 NA, 1 ERROR');
    expect(lines).toContain('note: identity not read: no MAM');
    expect(lines).toContain('run error: broker closed the connection');
  });

  it('says why a run is not a certification', () => {
    const run = { ...report.run, certifying: false, notCertifyingBecause: ['guideline parameter healthIntervalMs overridden to 1000', 'only 3 requirement(s) selected with --only'] };
    const text = renderSummary({ ...report, run }, plain);
    expect(text).toContain('(not a certification: guideline parameter healthIntervalMs overridden to 1000; only 3 requirement(s) selected with --only)');
  });

  it('keeps each row on one line and within the width', () => {
    const long = minimalReport({ requirements: [requirementRow('A-001', 'FAIL', `line one\nline two ${'x'.repeat(300)}`)] });
    const row = renderSummary(long, { color: false, width: 80 }).split('\n').find((l) => l.startsWith('A-001'))!;
    expect(row.length).toBeLessThanOrEqual(80);
    expect(row).toContain('line one line two');
    expect(row.endsWith('…')).toBe(true);
  });

  it('uses ANSI colours only when asked', () => {
    expect(renderSummary(report, plain)).not.toContain('\x1b[');
    const coloured = renderSummary(report, { color: true, width: 120 });
    expect(coloured).toContain('\x1b[31mFAIL');
    expect(coloured).toContain('\x1b[31mNOT_CONFORMANT\x1b[0m');
  });
});
