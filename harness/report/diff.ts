import type { Report, RequirementOutcome } from '../model/index.js';

/**
 * How good an outcome is for the product, for comparing two runs: PASS and NA are fine, WARN and WAIVED are
 * accepted deviations, FAIL is wrong. ERROR and NOT_EXECUTED say nothing about the product: a move to or from
 * them is listed as a change of what was decided, not as a regression or a fix.
 */
const STANDING: Readonly<Record<RequirementOutcome, number | undefined>> = {
  PASS: 0,
  NA: 0,
  WARN: 1,
  WAIVED: 2,
  FAIL: 3,
  ERROR: undefined,
  NOT_EXECUTED: undefined,
};

export interface OutcomeChange {
  readonly id: string;
  readonly title: string;
  readonly before: RequirementOutcome;
  readonly after: RequirementOutcome;
  /** why the later run decided as it did (its reason), for a regression */
  readonly reason: string;
}

export interface ReportDiff {
  readonly verdict: { readonly before: Report['verdict']; readonly after: Report['verdict'] };
  readonly profile: { readonly before: string; readonly after: string };
  readonly target: { readonly before: string; readonly after: string };
  readonly regressions: readonly OutcomeChange[];
  readonly fixes: readonly OutcomeChange[];
  /** to or from ERROR / NOT_EXECUTED: what one of the runs could not decide */
  readonly undecided: readonly OutcomeChange[];
  readonly added: readonly string[];
  readonly removed: readonly string[];
}

export function diffReports(before: Report, after: Report): ReportDiff {
  const old = new Map(before.requirements.map((r) => [r.id, r]));
  const now = new Map(after.requirements.map((r) => [r.id, r]));
  const regressions: OutcomeChange[] = [];
  const fixes: OutcomeChange[] = [];
  const undecided: OutcomeChange[] = [];
  for (const [id, later] of now) {
    const earlier = old.get(id);
    if (!earlier || earlier.outcome === later.outcome) continue;
    const change = { id, title: later.title, before: earlier.outcome, after: later.outcome, reason: later.reason };
    const a = STANDING[earlier.outcome];
    const b = STANDING[later.outcome];
    if (a === undefined || b === undefined) undecided.push(change);
    else if (b > a) regressions.push(change);
    else if (b < a) fixes.push(change);
  }
  return {
    verdict: { before: before.verdict, after: after.verdict },
    profile: { before: `${before.profile.id} ${before.profile.version}`, after: `${after.profile.id} ${after.profile.version}` },
    target: { before: before.target.name, after: after.target.name },
    regressions,
    fixes,
    undecided,
    added: [...now.keys()].filter((id) => !old.has(id)),
    removed: [...old.keys()].filter((id) => !now.has(id)),
  };
}
