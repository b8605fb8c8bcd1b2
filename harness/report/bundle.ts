import type { Report } from '../model/index.js';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ALLURE_RESULTS, finishAllureResults } from './allure.js';
import { writeReportHtml } from './html.js';
import { writeReportJson } from './json.js';
import { writeJunit } from './junit.js';
import { MANIFEST, writeManifest } from './manifest.js';
import { SIGNATURE, signManifest, SIGNER_KEY, writeSignerKey, type SigningKey } from './signature.js';

/** What a run writes into its bundle folder; evidence/ and allure-results/ fill up while the checks run. */
const BUNDLE_ENTRIES = ['report.json', 'junit.xml', 'report.html', MANIFEST, SIGNATURE, SIGNER_KEY, ALLURE_RESULTS, 'evidence'];

/** Makes the bundle folder ready for a run: stale outputs of an earlier run in the same place must not mix in. */
export function prepareBundleDir(dir: string): void {
  mkdirSync(dir, { recursive: true });
  for (const name of BUNDLE_ENTRIES) rmSync(join(dir, name), { recursive: true, force: true });
}

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
