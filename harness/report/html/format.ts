import type { RequirementOutcome } from '../../model/index.js';

/** Worst first, as the console summary orders them: what needs attention is at the top of the table. */
export const OUTCOME_ORDER: readonly RequirementOutcome[] = ['FAIL', 'ERROR', 'NOT_EXECUTED', 'WAIVED', 'WARN', 'PASS', 'NA'];

/** Outcomes whose requirement gets a detail section with expected vs seen and the evidence. */
export const NEEDS_DETAIL: ReadonlySet<string> = new Set(['FAIL', 'ERROR', 'WAIVED', 'WARN']);

/** The CSS class of an outcome or verdict badge; an unknown value (a hand-edited report) gets a neutral one. */
export function outcomeClass(outcome: string): string {
  return /^[A-Z_]+$/.test(outcome) ? `o-${outcome}` : 'o-unknown';
}

export function rankOf(outcome: string): number {
  const rank = OUTCOME_ORDER.indexOf(outcome as RequirementOutcome);
  return rank === -1 ? OUTCOME_ORDER.length : rank;
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const seconds = ms / 1000;
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const minutes = Math.floor(seconds / 60);
  return `${minutes} min ${Math.round(seconds - minutes * 60)} s`;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** The time of day of an ISO timestamp (the date is in the run header); anything else is shown as it is. */
export function timeOfDay(iso: string): string {
  const match = /T(\d\d:\d\d:\d\d(?:\.\d+)?)/.exec(iso);
  return match?.[1] ?? iso;
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
