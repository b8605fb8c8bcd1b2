import type { Report, RequirementStatus } from '../model/index.js';

type Check = Report['checks'][number];

/** The statuses of an Allure result (allure-js-commons' Status, without "unknown", which we never write). */
export type AllureStatus = 'passed' | 'failed' | 'broken' | 'skipped';

/** What an Allure result says about one check, taken from the report: vitest's own pass/fail plays no part. */
export interface AllureVerdict {
  readonly status: AllureStatus;
  /** shown beside the name: WARN (a SHOULD missed) and WAIVED (an accepted FAIL) must stand out */
  readonly tags: readonly string[];
  /** the finding, shown as the status message; absent for a plain PASS */
  readonly message?: string;
}

/**
 * Maps a check's outcome to Allure. ERROR is "broken" (the harness or the environment failed, not the target);
 * NA and NOT_EXECUTED are "skipped"; WARN is a pass that says what was missed. A FAIL whose failing requirements
 * are all waived is shown as a skipped WAIVED result that still carries the finding: never hidden, never green.
 */
export function allureVerdictOf(check: Check, requirements: ReadonlyMap<string, RequirementStatus>): AllureVerdict {
  const message = check.message || undefined;
  const withMessage = (verdict: Omit<AllureVerdict, 'message'>): AllureVerdict => (message === undefined ? verdict : { ...verdict, message });
  switch (check.outcome) {
    case 'PASS':
      return { status: 'passed', tags: [] };
    case 'WARN':
      return withMessage({ status: 'passed', tags: ['WARN'] });
    case 'ERROR':
      return withMessage({ status: 'broken', tags: [] });
    case 'NA':
    case 'NOT_EXECUTED':
      return withMessage({ status: 'skipped', tags: [] });
    case 'FAIL': {
      const waivers = failingRequirements(check).map((id) => waiverOf(requirements.get(id)));
      const all = waivers.filter((w) => w !== undefined);
      // partly waived is still a FAIL: what is not waived must show
      if (all.length === 0 || all.length < waivers.length) return withMessage({ status: 'failed', tags: [] });
      return { status: 'skipped', tags: ['WAIVED'], message: waivedMessage(all, check.message) };
    }
  }
}

/** The requirements the check failed; a check without decisions (a lost result) stands for all it declares. */
function failingRequirements(check: Check): string[] {
  const failed = check.decisions.filter((d) => d.outcome === 'FAIL').map((d) => d.requirement);
  return failed.length ? [...new Set(failed)] : [...check.requirements];
}

interface AppliedWaiver {
  readonly id: string;
  readonly reason: string;
  readonly expires: string;
}

function waiverOf(requirement: RequirementStatus | undefined): AppliedWaiver | undefined {
  if (requirement?.outcome !== 'WAIVED' || !requirement.waiver) return undefined;
  return { id: requirement.id, reason: requirement.waiver.reason, expires: requirement.waiver.expires };
}

/** "WAIVED until <date> (<reason>): <finding>"; several waivers name their requirement and the earliest date leads. */
function waivedMessage(waivers: readonly AppliedWaiver[], finding: string): string {
  const sorted = [...waivers].sort((a, b) => a.expires.localeCompare(b.expires) || a.id.localeCompare(b.id));
  const why = sorted.length === 1 ? sorted[0]!.reason : sorted.map((w) => `${w.id} until ${w.expires}: ${w.reason}`).join('; ');
  return `WAIVED until ${sorted[0]!.expires} (${why}): ${finding}`;
}
