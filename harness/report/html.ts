import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Report } from '../model/index.js';
import { renderReportHtml } from './html/page.js';

export { renderReportHtml, contentSecurityPolicy } from './html/page.js';
export { INLINE_LIMITS, type InlineLimits } from './html/evidence-read.js';

/**
 * report.html: the human view of report.json for a vendor, a lab and the engineer fixing a failure. One
 * self-contained file (inline style and script, no network), its evidence inlined from `<dir>/evidence/`,
 * so it opens from a mail attachment or an archive exactly as it was written.
 */
export function writeReportHtml(dir: string, report: Report): void {
  writeFileSync(join(dir, 'report.html'), renderReportHtml(dir, report));
}
