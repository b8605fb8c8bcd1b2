import { worstOutcome, type CheckResult, type Outcome, type Profile, type RequirementStatus } from '../model/index.js';
import type { Catalog } from '../catalog/index.js';

export interface RequirementInputs {
  readonly profile: Profile;
  readonly catalog: Catalog;
  readonly results: readonly CheckResult[];
  /** optional groups the target claims */
  readonly claims: readonly string[];
  /** requirement ids selected by --only, or null */
  readonly selected: readonly string[] | null;
  /** run-level errors: a requirement nobody decided because of them is ERROR, not NOT_EXECUTED */
  readonly runErrors: readonly string[];
}

/** One status per requirement of the profile: the worst outcome of the checks that decided it. */
export function decideRequirements(inputs: RequirementInputs): RequirementStatus[] {
  const { profile, catalog, results, claims, selected, runErrors } = inputs;
  const groups = Object.entries(profile.optionalGroups ?? {});
  const rows: { id: string; mandatory: boolean; group?: string }[] = profile.requirements.map((id) => ({ id, mandatory: true }));
  for (const [group, ids] of groups) {
    for (const id of ids.filter((i) => !profile.requirements.includes(i))) {
      // one row per requirement: a requirement in several groups counts when any of them is claimed
      const row = rows.find((r) => r.id === id);
      if (!row) rows.push({ id, mandatory: claims.includes(group), group });
      else if (!row.mandatory && claims.includes(group)) Object.assign(row, { mandatory: true, group });
    }
  }
  return rows.map(({ id, mandatory, group }) => {
    const requirement = catalog.get(id);
    if (!requirement) throw new Error(`profile ${profile.id} lists ${id}, which is not in the catalog`);
    const all = results.flatMap((r) => r.decisions.filter((d) => d.requirement === id).map((d) => ({ check: r.id, ...d })));
    // a decision quick mode deferred says nothing about a requirement that other checks decided
    const decided = all.some((d) => !d.deferred) ? all.filter((d) => !d.deferred) : all;
    const base = {
      id,
      title: requirement.title,
      level: requirement.level,
      source: requirement.source,
      ...(requirement.note !== undefined && { note: requirement.note }),
      ...(group !== undefined && { group }),
      mandatory,
      checks: [...new Set(decided.map((d) => d.check))],
    };
    const status = (outcome: Outcome, reason: string): RequirementStatus => ({ ...base, outcome, reason });
    if (!requirement.testable) return status('NA', `not machine-testable: ${requirement.reason ?? 'no reason given'}`);
    if (group !== undefined && !mandatory && decided.length === 0) return status('NA', `optional group "${group}" is not claimed by the target`);
    if (selected && !selected.includes(id)) return status('NOT_EXECUTED', 'not selected by --only');
    if (decided.length === 0) {
      return runErrors.length
        ? status('ERROR', `not decided because the run failed: ${runErrors[0]}`)
        : status('NOT_EXECUTED', 'no check decided this requirement');
    }
    if (decided.every((d) => d.deferred)) return { ...status('NOT_EXECUTED', decided[0]!.message), deferred: true };
    const outcome = worstOutcome(decided.map((d) => d.outcome))!;
    const reasons = [...new Set(decided.filter((d) => d.outcome === outcome && d.message).map((d) => `[${d.check}] ${d.message}`))];
    return status(outcome, reasons.join(' | '));
  });
}
