/**
 * Part 1 serialisations: an environment file must parse, and its root must be an environment. In a package
 * this holds for every aas-spec part.
 */
import { check } from '../../harness/engine/check.js';
import type { CheckContext } from '../../harness/engine/check-context.js';
import { decideOverEnvironments, inspectionOf } from './lib/decide.js';

check(
  {
    id: 'aas-file.parses',
    title: 'The environment parses: JSON in UTF-8, or well-formed XML without a DOCTYPE',
    requirements: ['AAS-FILE-001'],
  },
  async (ctx: CheckContext) => {
    const inspection = inspectionOf(ctx);
    decideOverEnvironments(ctx, 'AAS-FILE-001', inspection, (env) => env.syntax);
  },
);

check(
  {
    id: 'aas-file.root',
    title: 'The root is an environment: a JSON object, or <environment> in the AAS namespace',
    requirements: ['AAS-FILE-002'],
  },
  async (ctx: CheckContext) => {
    const inspection = inspectionOf(ctx);
    decideOverEnvironments(ctx, 'AAS-FILE-002', inspection, (env) => env.root);
  },
);
