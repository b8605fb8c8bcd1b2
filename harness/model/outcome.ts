/** Outcomes and verdicts of DESIGN.md section 6. */

export const OUTCOMES = ['PASS', 'FAIL', 'WARN', 'NA', 'NOT_EXECUTED', 'ERROR'] as const;
export type Outcome = (typeof OUTCOMES)[number];

/**
 * What a requirement can show: a check's outcome, or WAIVED — a FAIL that a dated waiver accepts for now.
 * Only the verdict stage makes WAIVED; a check never observes it.
 */
export const REQUIREMENT_OUTCOMES = [...OUTCOMES, 'WAIVED'] as const;
export type RequirementOutcome = (typeof REQUIREMENT_OUTCOMES)[number];

export const VERDICTS = ['CONFORMANT', 'NOT_CONFORMANT', 'INCOMPLETE'] as const;
export type Verdict = (typeof VERDICTS)[number];

export const LEVELS = ['MUST', 'SHOULD', 'MAY'] as const;
export type Level = (typeof LEVELS)[number];

/** Worst first: a requirement decided by several checks takes the worst outcome. */
const SEVERITY: Readonly<Record<Outcome, number>> = { FAIL: 5, ERROR: 4, NOT_EXECUTED: 3, WARN: 2, PASS: 1, NA: 0 };

export function worstOutcome(outcomes: Iterable<Outcome>): Outcome | undefined {
  let worst: Outcome | undefined;
  for (const outcome of outcomes) {
    if (worst === undefined || SEVERITY[outcome] > SEVERITY[worst]) worst = outcome;
  }
  return worst;
}

export function isOutcome(value: unknown): value is Outcome {
  return typeof value === 'string' && (OUTCOMES as readonly string[]).includes(value);
}

/** Exit codes of DESIGN.md section 6. */
export const EXIT_CODES = { CONFORMANT: 0, NOT_CONFORMANT: 1, USAGE: 2, INCOMPLETE: 3 } as const;
