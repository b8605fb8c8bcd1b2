import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Report } from '../model/index.js';

// Interim page until the full renderer lands (issue 5, report.html); the bundle already names the file.
export function writeReportHtml(dir: string, report: Report): void {
  const text = `${report.profile.id} on ${report.target.name}: ${report.verdict}`.replace(/[&<>]/g, (c) => `&#${c.charCodeAt(0)};`);
  writeFileSync(join(dir, 'report.html'), `<!doctype html><meta charset="utf-8"><title>${text}</title><h1>${text}</h1>\n`);
}
