import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Report } from '../model/index.js';

const escapeXml = (text: string): string =>
  text
    // XML 1.0 cannot carry most control characters, even escaped
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '\uFFFD')
    // a lone surrogate cannot be written as UTF-8 either
    .replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');

type Check = Report['checks'][number];

type Waivers = ReadonlyMap<string, NonNullable<Report['requirements'][number]['waiver']>>;

/** A FAIL whose every failing requirement is waived is shown as WAIVED: skipped, with the waiver and the finding. */
function waiverOf(check: Check, waivers: Waivers): string | undefined {
  if (check.outcome !== 'FAIL') return undefined;
  const failing = [...new Set(check.decisions.filter((d) => d.outcome === 'FAIL').map((d) => d.requirement))];
  if (failing.length === 0 || !failing.every((id) => waivers.has(id))) return undefined;
  return failing.map((id) => `${id} waived until ${waivers.get(id)!.expires} (${waivers.get(id)!.reason})`).join('; ');
}

function testcase(check: Check, waivers: Waivers): string {
  const name = escapeXml(`${check.id}: ${check.title}`);
  const classname = escapeXml(check.suite);
  const time = (check.durationMs / 1000).toFixed(3);
  const properties =
    `<properties>${check.requirements.map((r) => `<property name="requirement" value="${escapeXml(r)}"/>`).join('')}` +
    `<property name="outcome" value="${check.outcome}"/></properties>`;
  const message = escapeXml(check.message);
  let body = '';
  const waived = waiverOf(check, waivers);
  if (waived) body = `<skipped message="${escapeXml(`WAIVED: ${waived}: ${check.message}`)}"/>`;
  else if (check.outcome === 'FAIL') body = `<failure message="${message}" type="FAIL">${message}</failure>`;
  else if (check.outcome === 'ERROR') body = `<error message="${message}" type="ERROR">${message}</error>`;
  else if (check.outcome === 'NA' || check.outcome === 'NOT_EXECUTED') body = `<skipped message="${check.outcome}: ${message}"/>`;
  else if (check.outcome === 'WARN') body = `<system-out>WARN: ${message}</system-out>`;
  return `    <testcase name="${name}" classname="${classname}" time="${time}">${properties}${body}</testcase>\n`;
}

/**
 * junit.xml for CI dashboards: one testsuite per suite file, one testcase per check, and a "verdict" suite
 * whose single testcase fails unless the profile verdict is CONFORMANT. The certificate is report.json.
 */
export function writeJunit(dir: string, report: Report): void {
  const waivers: Waivers = new Map(report.requirements.flatMap((r) => (r.waiver ? [[r.id, r.waiver] as const] : [])));
  const bySuite = new Map<string, Check[]>();
  for (const check of report.checks) bySuite.set(check.suite, [...(bySuite.get(check.suite) ?? []), check]);
  const suites: string[] = [];
  for (const [suite, checks] of bySuite) {
    const waived = checks.filter((c) => waiverOf(c, waivers) !== undefined).length;
    const failures = checks.filter((c) => c.outcome === 'FAIL').length - waived;
    const errors = checks.filter((c) => c.outcome === 'ERROR').length;
    const skipped = checks.filter((c) => c.outcome === 'NA' || c.outcome === 'NOT_EXECUTED').length + waived;
    const time = checks.reduce((sum, c) => sum + c.durationMs, 0) / 1000;
    suites.push(
      `  <testsuite name="${escapeXml(suite)}" tests="${checks.length}" failures="${failures}" errors="${errors}" skipped="${skipped}" time="${time.toFixed(3)}">\n` +
        checks.map((c) => testcase(c, waivers)).join('') +
        '  </testsuite>\n',
    );
  }
  const verdictFailed = report.verdict !== 'CONFORMANT';
  const verdictText = escapeXml(`${report.profile.id} ${report.profile.version} on ${report.target.name}: ${report.verdict}`);
  suites.push(
    `  <testsuite name="verdict" tests="1" failures="${verdictFailed ? 1 : 0}" errors="0" skipped="0" time="0">\n` +
      `    <testcase name="${verdictText}" classname="verdict">` +
      (verdictFailed ? `<failure message="${verdictText}" type="${report.verdict}"/>` : '') +
      '</testcase>\n  </testsuite>\n',
  );
  const totals = report.checks.length + 1;
  const xml =
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<testsuites name="oi4-conformance ${escapeXml(report.profile.id)}" tests="${totals}">\n${suites.join('')}</testsuites>\n`;
  writeFileSync(join(dir, 'junit.xml'), xml);
}
