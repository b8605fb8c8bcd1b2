import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Report } from '../model/index.js';

/**
 * The run-level files of allure-results, all from the report: environment.properties (the Overview's
 * "Environment": what was tested, with what), executor.json (its title names profile, target and verdict) and
 * categories.json (failures sorted by what they mean for the target, WAIVED among them).
 */
export function writeAllureRunFiles(results: string, report: Report): void {
  writeFileSync(join(results, 'environment.properties'), environmentProperties(report));
  writeFileSync(join(results, 'executor.json'), JSON.stringify(executor(report), null, 2) + '\n');
  writeFileSync(join(results, 'categories.json'), JSON.stringify(CATEGORIES, null, 2) + '\n');
}

function environmentProperties(report: Report): string {
  const entries: Array<[string, string]> = [
    ['profile', report.profile.id],
    ['profile.version', report.profile.version],
    ['guideline', `${report.profile.guideline.name} ${report.profile.guideline.version}`],
    ['target', report.target.name],
    ['target.kind', report.target.kind],
    ['endpoint', report.target.endpoint],
    ['suite.version', report.suite.version],
    ['suite.sha256', report.suite.sha256],
    ['mode', report.run.mode],
    ['certifying', report.run.certifying ? 'yes' : `no (${(report.run.notCertifyingBecause ?? []).join('; ')})`],
    ['verdict', report.verdict],
    ['run.id', report.run.id],
    ['node', report.run.environment.node],
  ];
  return entries.map(([key, value]) => `${escapeProperty(key, true)}=${escapeProperty(value, false)}`).join('\n') + '\n';
}

/**
 * java.util.Properties syntax, which Allure reads: backslash escapes, a key's separators escaped, and everything
 * outside printable ASCII as \uXXXX (the format is Latin-1, so a device name in UTF-8 would come out garbled).
 */
function escapeProperty(text: string, key: boolean): string {
  let out = '';
  for (const [index, char] of [...text].entries()) {
    const code = char.codePointAt(0)!;
    if (char === '\\') out += '\\\\';
    else if (char === '\n') out += '\\n';
    else if (char === '\r') out += '\\r';
    else if (char === '\t') out += '\\t';
    // a key ends at its first separator; a value's leading blank would be dropped
    else if ((key && '=: #!'.includes(char)) || (!key && index === 0 && char === ' ')) out += `\\${char}`;
    else if (code < 0x20 || code > 0x7e) out += utf16Escapes(char);
    else out += char;
  }
  return out;
}

function utf16Escapes(char: string): string {
  let out = '';
  for (let i = 0; i < char.length; i++) out += `\\u${char.charCodeAt(i).toString(16).padStart(4, '0')}`;
  return out;
}

function executor(report: Report): Record<string, string> {
  return {
    name: 'oi4-conformance',
    type: 'oi4-conformance',
    reportName: `${report.profile.id} ${report.profile.version} on ${report.target.name}: ${report.verdict}`,
    buildName: `run ${report.run.id}`,
  };
}

// Allure's default categories speak of "product" and "test" defects; ours say what an outcome means (DESIGN.md 6)
const CATEGORIES = [
  { name: 'FAIL: the target does not meet a requirement', matchedStatuses: ['failed'] },
  { name: 'ERROR: the harness or the environment failed (inconclusive, not the target\'s fault)', matchedStatuses: ['broken'] },
  { name: 'WAIVED: a FAIL accepted until a date', matchedStatuses: ['skipped'], messageRegex: '(?s)WAIVED until .*' },
] as const;
