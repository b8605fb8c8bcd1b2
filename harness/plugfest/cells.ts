import { closeSync, existsSync, fstatSync, openSync, readSync } from 'node:fs';
import { join } from 'node:path';
import type { Redactor } from '../evidence/index.js';
import type { Report } from '../model/index.js';
import { readReportFile } from '../report/index.js';
import { INTERRUPTED, type ChildResult } from './child.js';
import type { PlugfestRunResult } from './matrix-json.js';
import type { PlannedRun } from './plan.js';

/** A cell of the matrix with the report it came from (kept in memory for the heat map and the cross-target checks). */
export interface RunRecord {
  readonly cell: PlugfestRunResult;
  readonly report?: Report;
}

/** The run's report.json, validated; or why it cannot be used. */
function readRunReport(dir: string): { report: Report } | { problem: string } {
  const read = readReportFile(join(dir, 'report.json'));
  if (read.ok) return { report: read.report };
  switch (read.kind) {
    case 'missing':
      return { problem: 'it wrote no report.json' };
    case 'unreadable':
    case 'not-json':
      return { problem: 'its report.json is not JSON' };
    case 'invalid':
      return { problem: `its report.json is not a valid report (${read.problem})` };
  }
}

/** The last lines of a log, to say in one line why a run gave no verdict. */
function logTail(file: string, bytes = 8192): string[] {
  let fd: number | undefined;
  try {
    fd = openSync(file, 'r');
    const size = fstatSync(fd).size;
    const length = Math.min(size, bytes);
    const buffer = Buffer.alloc(length);
    readSync(fd, buffer, 0, length, size - length);
    return buffer.toString('utf8').split('\n').map((l) => l.trim()).filter(Boolean);
  } catch {
    return [];
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** The line of the log that says what went wrong: the CLI's own one-line error if there is one. */
function reasonFromLog(file: string, redact: Redactor): string | undefined {
  const lines = logTail(file);
  const line = [...lines].reverse().find((l) => l.startsWith('oi4-conformance:')) ?? lines.at(-1);
  if (line === undefined) return undefined;
  // a target's data can reach the log; one bounded line, never a secret
  const clean = redact(line).replace(/[\u0000-\u001f\u007f]/g, ' ');
  return clean.length > 300 ? `${clean.slice(0, 299)}…` : clean;
}

/**
 * What one run contributes to the matrix. The run's report.json is the source of its verdict; the cell is ERROR
 * when there is no usable report, or when the process and its report disagree (a run that crashed after writing).
 */
export function runRecord(outDir: string, run: PlannedRun, child: ChildResult | undefined, redact: Redactor): RunRecord {
  const base = {
    profile: run.profileId,
    profileTitle: run.profileTitle,
    dir: run.dir,
    log: run.log,
  };
  if (child === undefined) {
    return {
      cell: { ...base, verdict: 'NOT_RUN', exitCode: null, certifying: null, counts: null, report: null, html: null, startedAt: null, durationMs: null, errors: ['not started: the plugfest was interrupted'] },
    };
  }
  const timing = { startedAt: child.startedAt.toISOString(), durationMs: child.durationMs };
  const read = readRunReport(join(outDir, run.dir));
  const errorCell = (reasons: string[]): RunRecord => ({
    cell: { ...base, ...timing, verdict: 'ERROR', exitCode: child.exitCode, certifying: null, counts: null, report: null, html: null, errors: reasons },
  });

  if (child.spawnError !== undefined) return errorCell([`the run could not be started: ${child.spawnError}`]);
  // a run stopped on the operator's Ctrl-C still writes the report of what ran (INCOMPLETE): that is its cell
  const interruptedWithReport = child.stoppedBecause === INTERRUPTED && 'report' in read;
  if (child.stoppedBecause !== undefined && !interruptedWithReport) return errorCell([child.stoppedBecause]);
  if (!('report' in read)) {
    const why = child.exitCode === 2 ? 'the run refused its configuration' : child.exitCode !== null ? `the run exited with code ${child.exitCode}` : `the run ended on signal ${child.signal ?? 'unknown'}`;
    const fromLog = reasonFromLog(join(outDir, run.log), redact);
    return errorCell([`${why} and ${read.problem}${fromLog ? `: ${fromLog}` : ''}`]);
  }
  const { report } = read;
  if (!interruptedWithReport && child.exitCode !== report.exitCode) {
    const fromLog = reasonFromLog(join(outDir, run.log), redact);
    return errorCell([`the run ended with ${child.exitCode !== null ? `exit code ${child.exitCode}` : `signal ${child.signal ?? 'unknown'}`}, but its report says exit code ${report.exitCode} (${report.verdict})${fromLog ? `: ${fromLog}` : ''}`]);
  }
  return {
    report,
    cell: {
      ...base,
      ...timing,
      verdict: report.verdict,
      exitCode: child.exitCode,
      certifying: report.run.certifying,
      counts: { ...report.counts, WAIVED: report.counts.WAIVED ?? 0 },
      report: `${run.dir}/report.json`,
      html: existsSync(join(outDir, run.dir, 'report.html')) ? `${run.dir}/report.html` : null,
      errors: [...report.errors, ...(interruptedWithReport ? [`${INTERRUPTED}: the report holds what ran`] : [])],
    },
  };
}
