import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Report, RequirementStatus } from '../model/index.js';
import { writeAllureRunFiles } from './allure-run-files.js';
import { allureVerdictOf, type AllureStatus } from './allure-status.js';

/** The folder of a bundle that allure-vitest writes during the checks (see engine/run-checks.ts). */
export const ALLURE_RESULTS = 'allure-results';

type Check = Report['checks'][number];

interface Label {
  name: string;
  value: string;
}

interface Link {
  name: string;
  url?: string;
  type: string;
}

/** The part of an Allure result (`*-result.json`) this post-pass reads or writes; the rest is kept as written. */
interface AllureResult {
  [field: string]: unknown;
  labels: Label[];
  links?: Link[];
  status?: AllureStatus | 'unknown';
  statusDetails?: { message?: string; trace?: string; [field: string]: unknown };
}

/** tags this post-pass adds; removed first, so finishing the same results twice gives the same files */
const OUR_TAGS = new Set(['WARN', 'WAIVED']);

/**
 * Fills in what allure-vitest cannot know, once the verdict exists: each result's status from the check's
 * outcome in the report (vitest passes every check that ended, whatever it found), the requirements' sources as
 * links, and the run-level files. A run that never reached the checks has no allure-results: nothing to do.
 */
export function finishAllureResults(dir: string, report: Report): void {
  const results = join(dir, ALLURE_RESULTS);
  if (!existsSync(results)) return;
  const checks = new Map(report.checks.map((c) => [c.id, c]));
  const requirements = new Map(report.requirements.map((r) => [r.id, r]));
  for (const name of readdirSync(results).filter((n) => n.endsWith('-result.json'))) {
    const file = join(results, name);
    const result = readResult(file);
    // a result that is not one of our checks (or not readable) is left as allure-vitest wrote it
    const check = result && checks.get(result.labels.find((l) => l.name === 'check')?.value ?? '');
    if (!result || !check) continue;
    writeFileSync(file, JSON.stringify(finishResult(result, check, report, requirements)));
  }
  writeAllureRunFiles(results, report);
}

function finishResult(result: AllureResult, check: Check, report: Report, requirements: ReadonlyMap<string, RequirementStatus>): AllureResult {
  const verdict = allureVerdictOf(check, requirements);
  const rows = check.requirements.map((id) => requirements.get(id)).filter((r) => r !== undefined);
  // vitest's error, if any, is about the harness (a check that never ended): its trace stays for the maintainers
  const trace = verdict.status === 'broken' ? result.statusDetails?.trace : undefined;
  const suitePath = check.suite.replace(/\.ts$/, '');
  return {
    ...result,
    name: check.title,
    status: verdict.status,
    stage: 'finished',
    statusDetails: { ...(verdict.message !== undefined && { message: verdict.message }), ...(trace !== undefined && { trace }) },
    // allure-vitest names the test by its path from the working directory; the project-relative suite path and
    // the check id are the same on every machine, so Allure's history follows a check from run to run
    fullName: `${check.suite}#${check.id}`,
    titlePath: [report.profile.id, check.suite],
    testCaseId: md5(`${report.profile.id}#${check.id}`),
    historyId: md5(`${report.profile.id}#${report.target.name}#${check.id}`),
    labels: [
      ...result.labels.filter((l) => !(l.name === 'tag' && OUR_TAGS.has(l.value)) && l.name !== 'package'),
      { name: 'package', value: suitePath.replaceAll('/', '.') },
      ...verdict.tags.map((value) => ({ name: 'tag', value })),
    ],
    links: rows.map(sourceLink),
    description: describeRequirements(rows),
  };
}

/**
 * A requirement's source is a document and section or a repository path, rarely a URL: the link is named by
 * the requirement and its source, and points somewhere only when the source is an http(s) URL (Allure then
 * shows the name as plain text).
 */
function sourceLink(requirement: RequirementStatus): Link {
  const source = requirement.source.trim();
  return { name: `${requirement.id}: ${source}`, type: 'tms', ...(/^https?:\/\/\S+$/.test(source) && { url: source }) };
}

/** The requirements the check decides, as Allure's description (Markdown): level, outcome and rule of each. */
function describeRequirements(rows: readonly RequirementStatus[]): string {
  return rows.map((r) => `- **${r.id}** (${r.level}, ${r.outcome}${r.waiver ? ` until ${r.waiver.expires}` : ''}): ${escapeMarkdown(r.title)}`).join('\n');
}

function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_[\]<>]/g, (c) => `\\${c}`);
}

function md5(text: string): string {
  return createHash('md5').update(text).digest('hex');
}

function readResult(file: string): AllureResult | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
  return isAllureResult(parsed) ? parsed : undefined;
}

function isAllureResult(value: unknown): value is AllureResult {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const labels = (value as { labels?: unknown }).labels;
  return Array.isArray(labels) && labels.every((l: unknown) => typeof l === 'object' && l !== null && typeof (l as Label).name === 'string' && typeof (l as Label).value === 'string');
}
