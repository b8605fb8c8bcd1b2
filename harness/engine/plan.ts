import { readFileSync } from 'node:fs';
import { allRequirementIds, expandGlobs, PROJECT_ROOT } from '../catalog/index.js';
import { sha256Hex } from '../evidence/index.js';
import { ConfigError, didYouMean, type Profile, type ResolvedTarget } from '../model/index.js';

export interface ResolvedParameter {
  readonly value: number;
  readonly kind: 'harness' | 'guideline';
  readonly overridden: boolean;
}

export interface RunPlan {
  readonly suiteFiles: readonly string[];
  readonly parameters: Readonly<Record<string, ResolvedParameter>>;
  /** requirement ids selected by --only, or null for the whole profile */
  readonly selected: readonly string[] | null;
  /** why this run is not a certification, if it is not */
  readonly notCertifyingBecause: readonly string[];
}

/** Profile defaults, with the target's overrides; an unknown name is a configuration error. */
export function resolveParameters(profile: Profile, target: ResolvedTarget): Record<string, ResolvedParameter> {
  const defined = profile.parameters;
  const resolved: Record<string, ResolvedParameter> = {};
  for (const [name, spec] of Object.entries(defined)) resolved[name] = { value: spec.default, kind: spec.kind, overridden: false };
  for (const [name, value] of Object.entries(target.parameters)) {
    const spec = defined[name];
    if (!spec) {
      const hint = didYouMean(name, Object.keys(defined));
      throw new ConfigError(
        `parameter "${name}" (from the target file or --param) is not a parameter of profile ${profile.id}${hint ? ` (did you mean "${hint}"?)` : ''}; known: ${Object.keys(defined).join(', ')}`,
      );
    }
    resolved[name] = { value, kind: spec.kind, overridden: value !== spec.default };
  }
  return resolved;
}

/** --only takes comma-separated id globs (OI4-MAM-*,OI4-GET-00?) over the profile's requirements. */
export function selectRequirements(profile: Profile, only: string | undefined): string[] | null {
  if (only === undefined) return null;
  const ids = allRequirementIds(profile);
  const patterns = only.split(',').map((p) => p.trim()).filter(Boolean);
  if (patterns.length === 0) throw new ConfigError('--only needs at least one requirement id or glob, e.g. --only "OI4-MAM-*"');
  const selected = new Set<string>();
  for (const pattern of patterns) {
    const regex = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 'i');
    const matched = ids.filter((id) => regex.test(id));
    if (matched.length === 0) {
      const hint = didYouMean(pattern, ids);
      throw new ConfigError(`--only "${pattern}" matches no requirement of ${profile.id}${hint ? ` (did you mean "${hint}"?)` : ''}`);
    }
    for (const id of matched) selected.add(id);
  }
  return ids.filter((id) => selected.has(id));
}

/** A claim must name an optional group of the profile: a typo would silently leave a group unchecked. */
export function checkClaims(profile: Profile, claims: readonly string[]): void {
  const groups = Object.keys(profile.optionalGroups ?? {});
  for (const claim of claims) {
    if (groups.includes(claim)) continue;
    const hint = didYouMean(claim, groups);
    throw new ConfigError(
      `claim "${claim}" (from the target file or --claim) is not an optional group of profile ${profile.id}${hint ? ` (did you mean "${hint}"?)` : ''}; groups: ${groups.join(', ') || 'none'}`,
    );
  }
}

export function planRun(profile: Profile, target: ResolvedTarget, only: string | undefined, mode: 'full' | 'quick' = 'full'): RunPlan {
  checkClaims(profile, target.claims);
  const suiteFiles = expandGlobs(PROJECT_ROOT, profile.suites);
  if (suiteFiles.length === 0) throw new ConfigError(`profile ${profile.id}: its suites (${profile.suites.join(', ')}) match no file`);
  const parameters = resolveParameters(profile, target);
  const selected = selectRequirements(profile, only);
  const notCertifyingBecause = [
    ...(mode === 'quick' ? ['quick mode: checks that wait on the clock or drive the target were not run'] : []),
    ...Object.entries(parameters)
      .filter(([, p]) => p.kind === 'guideline' && p.overridden)
      .map(([name, p]) => `guideline parameter ${name} overridden to ${p.value}`),
    ...(selected ? [`only ${selected.length} requirement(s) selected with --only`] : []),
    ...(target.faults.length ? [`reference device started with fault(s) ${target.faults.join(', ')}`] : []),
  ];
  return { suiteFiles, parameters, selected, notCertifyingBecause };
}

/** sha256 of every suite file and one over all of them, for the report's suite identity. */
export function hashSuites(files: readonly string[]): { sha256: string; files: { path: string; sha256: string }[] } {
  const hashed = [...files].sort().map((path) => ({ path, sha256: sha256Hex(readFileSync(`${PROJECT_ROOT}/${path}`)) }));
  return { sha256: sha256Hex(hashed.map((f) => `${f.sha256}  ${f.path}`).join('\n')), files: hashed };
}
