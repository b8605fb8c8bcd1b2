import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, type Report } from '../model/index.js';
import { validateReport } from '../report/index.js';

/** Reads report.json from a bundle folder or a file path; anything else is a one-line configuration error. */
export function readReportArgument(path: string): Report {
  const file = existsSync(path) && statSync(path).isDirectory() ? join(path, 'report.json') : path;
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ConfigError(`${file}: ${code === 'ENOENT' ? 'not found' : code ? `cannot read (${code})` : 'not JSON'}`);
  }
  const checked = validateReport(parsed);
  if (!checked.ok) throw new ConfigError(`${file}: not an oi4-conformance report (${checked.problems[0]})`);
  return checked.value;
}
