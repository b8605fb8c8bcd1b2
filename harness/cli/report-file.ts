import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, type Report } from '../model/index.js';
import { readReportFile } from '../report/index.js';

/** Reads report.json from a bundle folder or a file path; anything else is a one-line configuration error. */
export function readReportArgument(path: string): Report {
  const file = existsSync(path) && statSync(path).isDirectory() ? join(path, 'report.json') : path;
  const read = readReportFile(file);
  if (read.ok) return read.report;
  switch (read.kind) {
    case 'missing':
      throw new ConfigError(`${file}: not found`);
    case 'unreadable':
      throw new ConfigError(`${file}: cannot read (${read.code})`);
    case 'not-json':
      throw new ConfigError(`${file}: not JSON`);
    case 'invalid':
      throw new ConfigError(`${file}: not an oi4-conformance report (${read.problem})`);
  }
}
