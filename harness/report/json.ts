import { writeFileSync } from 'node:fs';
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
