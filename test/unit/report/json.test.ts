import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Report } from '../../../harness/model/index.js';
import { validateReport, writeReportJson } from '../../../harness/report/index.js';
import { minimalReport } from '../support/report.js';
import { useTempDirs } from '../support/temp.js';

const temp = useTempDirs();

describe('writeReportJson', () => {
  it('writes a valid report as indented JSON that reads back equal', () => {
    const dir = temp.make();
    const report = minimalReport();
    writeReportJson(dir, report);
    const text = readFileSync(join(dir, 'report.json'), 'utf8');
    expect(JSON.parse(text)).toEqual(report);
    expect(text).toContain('\n  "formatVersion": 1,');
    expect(text.endsWith('\n')).toBe(true);
  });

  it('rejects a report that breaks the schema and writes nothing', () => {
    const dir = temp.make();
    const broken = { ...minimalReport(), verdict: 'PASSED' } as unknown as Report;
    expect(() => writeReportJson(dir, broken)).toThrow(/does not match its schema: verdict: must be one of "CONFORMANT", "NOT_CONFORMANT", "INCOMPLETE"/);
    expect(existsSync(join(dir, 'report.json'))).toBe(false);
  });

  it('rejects an unknown field, a bad hash and a bad timestamp, naming where', () => {
    const base = minimalReport();
    const broken = {
      ...base,
      secret: 'x',
      suite: { ...base.suite, sha256: 'not-a-hash' },
      run: { ...base.run, startedAt: 'yesterday' },
    } as unknown as Report;
    const checked = validateReport(broken);
    expect(checked.ok).toBe(false);
    if (checked.ok) return;
    expect(checked.problems).toContain('(top level): unknown field "secret" (allowed: formatVersion, suite, profile, target, run, verdict, exitCode, counts, requirements, checks, errors, notes)');
    expect(checked.problems.some((p) => p.startsWith('suite.sha256: must match pattern'))).toBe(true);
    expect(checked.problems).toContain('run.startedAt: must match format "date-time"');
  });
});
