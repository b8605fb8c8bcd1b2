import { diffReports, type OutcomeChange } from '../report/index.js';
import { readReportArgument } from './report-file.js';

function row(change: OutcomeChange, withReason: boolean): string {
  const line = `  ${change.id.padEnd(16)} ${change.before} -> ${change.after}  ${change.title}`;
  return withReason && change.reason ? `${line}\n      ${change.reason.replace(/\s+/g, ' ').slice(0, 300)}` : line;
}

/** `oi4-conformance diff <old> <new>`: exit 1 when a requirement got worse, 0 otherwise. */
export function diffCommand(options: { before: string; after: string; json?: boolean }): number {
  const diff = diffReports(readReportArgument(options.before), readReportArgument(options.after));
  const exitCode = diff.regressions.length ? 1 : 0;
  if (options.json) {
    process.stdout.write(JSON.stringify(diff, null, 2) + '\n');
    return exitCode;
  }
  const lines = [`verdict: ${diff.verdict.before} -> ${diff.verdict.after}`];
  if (diff.profile.before !== diff.profile.after) lines.push(`note: the profiles differ (${diff.profile.before} -> ${diff.profile.after})`);
  if (diff.target.before !== diff.target.after) lines.push(`note: the targets differ (${diff.target.before} -> ${diff.target.after})`);
  const section = (title: string, changes: readonly OutcomeChange[], withReason = false) => {
    if (changes.length) lines.push(`${title} (${changes.length}):`, ...changes.map((c) => row(c, withReason)));
  };
  section('regressions', diff.regressions, true);
  section('fixes', diff.fixes);
  section('decided in one run only', diff.undecided, true);
  if (diff.added.length) lines.push(`requirements new in the later run: ${diff.added.join(', ')}`);
  if (diff.removed.length) lines.push(`requirements gone from the later run: ${diff.removed.join(', ')}`);
  if (!diff.regressions.length && !diff.fixes.length && !diff.undecided.length) lines.push('no requirement changed its outcome');
  process.stdout.write(lines.join('\n') + '\n');
  return exitCode;
}
