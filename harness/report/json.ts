import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { compileValidator, reportSchema, type Report } from '../model/index.js';

const validateReport = compileValidator<Report>(reportSchema);

/** Writes report.json after validating it against its own schema: an invalid report is a harness defect. */
export function writeReportJson(dir: string, report: Report): void {
  const checked = validateReport(report);
  if (!checked.ok) throw new Error(`report.json does not match its schema: ${checked.problems.slice(0, 3).join('; ')}`);
  writeFileSync(join(dir, 'report.json'), JSON.stringify(report, null, 2) + '\n');
}

export { validateReport };

/** Why a report.json could not be used; each caller says it in its own words. */
export type ReportFileProblem =
  | { readonly kind: 'missing' }
  | { readonly kind: 'unreadable'; readonly code: string }
  | { readonly kind: 'not-json' }
  | { readonly kind: 'invalid'; readonly problem: string };

/** Reads and validates a report.json; never throws, whatever is (or is not) on disk. */
export function readReportFile(file: string): { ok: true; report: Report } | ({ ok: false } & ReportFileProblem) {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    return code === 'ENOENT' ? { ok: false, kind: 'missing' } : { ok: false, kind: 'unreadable', code };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { ok: false, kind: 'not-json' };
  }
  const checked = validateReport(parsed);
  return checked.ok ? { ok: true, report: checked.value } : { ok: false, kind: 'invalid', problem: checked.problems[0] ?? 'invalid' };
}
