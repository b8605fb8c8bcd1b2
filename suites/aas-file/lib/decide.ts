/**
 * How the file checks turn findings into decisions. A requirement over environments is decided over every
 * environment of the file (one for JSON and XML, one per aas-spec part of a package): a problem anywhere
 * fails it; an environment where it could not be decided leaves it NOT_EXECUTED, never passed.
 */
import type { CheckContext } from '../../../harness/engine/check-context.js';
import type { AasxPackage } from '../../../harness/protocols/aas/aasx.js';
import { inspectFile, type EnvironmentFinding, type FileInspection } from './inspect.js';

/** Problem lines a requirement shows; a package with thousands of bad parts must not make a report of megabytes. */
export const MAX_PROBLEMS = 50;

/** The problems, capped: the first MAX_PROBLEMS and one "and N more" line. */
export function capped(problems: readonly string[]): readonly string[] {
  return problems.length > MAX_PROBLEMS ? [...problems.slice(0, MAX_PROBLEMS), `and ${problems.length - MAX_PROBLEMS} more`] : problems;
}

/** The inspection of the target's file; a target of another kind is not for these checks. */
export function inspectionOf(ctx: CheckContext): FileInspection {
  if (ctx.target.kind !== 'aas-file') ctx.notApplicable(`target ${ctx.target.name} is a ${ctx.target.kind} target, not an AAS file`);
  return inspectFile(ctx.target.file.path);
}

/** Prefixes a problem with the part it was found in, inside a package. */
export function inPart(env: EnvironmentFinding, problem: string): string {
  return env.part ? `${env.part}: ${problem}` : problem;
}

/**
 * Decides one requirement over every environment. `pick` gives the environment's problems, or undefined when
 * it could not be decided there (the environment says why).
 */
export function decideOverEnvironments(
  ctx: CheckContext,
  requirement: string,
  inspection: FileInspection,
  pick: (env: EnvironmentFinding) => readonly string[] | undefined,
): void {
  if (inspection.environments.length === 0) ctx.notExecuted('the package has no aas-spec part that could be read (see AASX-PKG-001, -004 and -006)', [requirement]);
  const problems: string[] = [];
  const undecided: string[] = [];
  for (const env of inspection.environments) {
    const found = pick(env);
    if (found === undefined) undecided.push(inPart(env, env.undecidedBecause ?? 'not decided'));
    else problems.push(...found.map((p) => inPart(env, p)));
  }
  if (problems.length > 0) ctx.verify(requirement, capped(problems));
  else if (undecided.length > 0) ctx.notExecuted([...new Set(undecided)].join('; '), [requirement]);
  else ctx.pass(requirement);
}

/** The package of an AASX file; NA for a plain environment file, NOT_EXECUTED when the ZIP is unreadable. */
export function packageOf(ctx: CheckContext, inspection: FileInspection, requirements: readonly string[]): AasxPackage {
  if (inspection.format !== 'aasx' || inspection.package === undefined) ctx.notApplicable(`a ${inspection.format.toUpperCase()} environment file is not a package`, requirements);
  if (!inspection.package.readable) ctx.notExecuted('the file could not be read as a ZIP archive (AASX-PKG-001)', requirements);
  return inspection.package;
}
