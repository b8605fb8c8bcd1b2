import { OUTCOMES, type Outcome, type RequirementStatus, type Verdict } from '../model/index.js';

const ACCEPTABLE: ReadonlySet<Outcome> = new Set(['PASS', 'WARN', 'NA']);

/**
 * CONFORMANT when every mandatory requirement (and every one of a claimed group) is PASS, WARN or NA;
 * NOT_CONFORMANT when any of them FAILs; otherwise INCOMPLETE. A run with harness errors is never CONFORMANT.
 */
export function decideVerdict(statuses: readonly RequirementStatus[], runErrors: readonly string[]): Verdict {
  // deferred requirements (quick mode) are shown but not counted: a quick run is never a certification anyway
  const counted = statuses.filter((s) => s.mandatory && !s.deferred);
  if (counted.some((s) => s.outcome === 'FAIL')) return 'NOT_CONFORMANT';
  if (runErrors.length > 0) return 'INCOMPLETE';
  return counted.every((s) => ACCEPTABLE.has(s.outcome)) ? 'CONFORMANT' : 'INCOMPLETE';
}

export function countOutcomes(statuses: readonly RequirementStatus[]): Record<Outcome, number> {
  const counts = Object.fromEntries(OUTCOMES.map((o) => [o, 0])) as Record<Outcome, number>;
  for (const s of statuses) counts[s.outcome]++;
  return counts;
}
