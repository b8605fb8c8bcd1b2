import type { Report } from '../model/index.js';
import { finishAllureResults } from './allure.js';
import { writeReportHtml } from './html.js';
import { writeReportJson } from './json.js';
import { writeJunit } from './junit.js';
import { writeManifest } from './manifest.js';
import { signManifest, writeSignerKey, type SigningKey } from './signature.js';

/**
 * Writes every file of a report bundle from report.json's content, in the order integrity needs: the renderings
 * first, then the manifest over all of them, then the detached signature of the manifest.
 */
export function writeBundle(dir: string, report: Report, options: { sign?: SigningKey } = {}): void {
  writeReportJson(dir, report);
  writeJunit(dir, report);
  writeReportHtml(dir, report);
  finishAllureResults(dir, report);
  if (options.sign) writeSignerKey(dir, options.sign);
  writeManifest(dir);
  if (options.sign) signManifest(dir, options.sign);
}
