import { REQUIREMENT_OUTCOMES, type RequirementOutcome, type RequirementStatus, type Verdict } from '../model/index.js';

// WAIVED passes the gate; the run then says it is not a certification (run-profile.ts)
const ACCEPTABLE: ReadonlySet<RequirementOutcome> = new Set(['PASS', 'WARN', 'NA', 'WAIVED']);

/**
 * CONFORMANT when every mandatory requirement (and every one of a claimed group) is PASS, WARN, NA or WAIVED;
 * NOT_CONFORMANT when any of them FAILs; otherwise INCOMPLETE. A run with harness errors is never CONFORMANT.
 */
export function decideVerdict(statuses: readonly RequirementStatus[], runErrors: readonly string[]): Verdict {
  // deferred requirements (quick mode) are shown but not counted: a quick run is never a certification anyway
  const counted = statuses.filter((s) => s.mandatory && !s.deferred);
  if (counted.some((s) => s.outcome === 'FAIL')) return 'NOT_CONFORMANT';
  if (runErrors.length > 0) return 'INCOMPLETE';
  return counted.every((s) => ACCEPTABLE.has(s.outcome)) ? 'CONFORMANT' : 'INCOMPLETE';
}

export function countOutcomes(statuses: readonly RequirementStatus[]): Record<RequirementOutcome, number> {
  const counts = Object.fromEntries(REQUIREMENT_OUTCOMES.map((o) => [o, 0])) as Record<RequirementOutcome, number>;
  for (const s of statuses) counts[s.outcome]++;
  return counts;
}
