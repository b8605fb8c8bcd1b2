/**
 * Identifiers within the file: unique, and the submodels the shells list are there. In a package these are
 * judged over all aas-spec parts together: a package is one exchange.
 */
import { check } from '../../harness/engine/check.js';
import type { CheckContext } from '../../harness/engine/check-context.js';
import { capped, inPart, inspectionOf } from './lib/decide.js';
import type { FileInspection } from './lib/inspect.js';

/** The environments that could be walked; NOT_EXECUTED when some could not (the answer would be partial). */
function walkedOrEnd(ctx: CheckContext, inspection: FileInspection, requirement: string) {
  if (inspection.environments.length === 0) ctx.notExecuted('the package has no aas-spec part that could be read (see AASX-PKG-001, -004 and -006)', [requirement]);
  const unwalked = inspection.environments.filter((env) => !env.walked);
  return { walked: inspection.environments.filter((env) => env.walked), unwalked: unwalked.map((env) => inPart(env, env.undecidedBecause ?? 'not read')) };
}

check(
  {
    id: 'aas-file.unique-ids',
    title: 'No two shells, submodels or concept descriptions share an id',
    requirements: ['AAS-FILE-005'],
  },
  async (ctx: CheckContext) => {
    const inspection = inspectionOf(ctx);
    const { walked, unwalked } = walkedOrEnd(ctx, inspection, 'AAS-FILE-005');
    const first = new Map<string, string>();
    const problems: string[] = [];
    for (const sighting of walked.flatMap((env) => env.ids)) {
      const earlier = first.get(sighting.id);
      if (earlier !== undefined) problems.push(`id "${sighting.id}" at ${sighting.where} (${sighting.kind ?? 'identifiable'}) was already used at ${earlier}; ids must be unique`);
      else first.set(sighting.id, sighting.where);
    }
    if (problems.length > 0) ctx.verify('AAS-FILE-005', capped(problems));
    else if (unwalked.length > 0) ctx.notExecuted(unwalked.join('; '), ['AAS-FILE-005']);
    else ctx.pass('AAS-FILE-005');
  },
);

check(
  {
    id: 'aas-file.submodel-references',
    title: 'Every submodel a shell lists is in the file',
    requirements: ['AAS-FILE-006'],
  },
  async (ctx: CheckContext) => {
    const inspection = inspectionOf(ctx);
    const { walked, unwalked } = walkedOrEnd(ctx, inspection, 'AAS-FILE-006');
    const submodels = new Set(walked.flatMap((env) => env.ids.filter((s) => s.kind === 'submodel').map((s) => s.id)));
    const problems = walked
      .flatMap((env) => env.submodelReferences)
      .filter((reference) => !submodels.has(reference.id))
      .map((reference) => `${reference.where} refers to submodel "${reference.id}", which is not in the ${inspection.format === 'aasx' ? 'package' : 'file'}`);
    if (problems.length > 0) ctx.verify('AAS-FILE-006', capped(problems));
    else if (unwalked.length > 0) ctx.notExecuted(unwalked.join('; '), ['AAS-FILE-006']);
    else ctx.pass('AAS-FILE-006');
  },
);
