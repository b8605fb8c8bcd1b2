/**
 * Part 1 metamodel: the environment deserialises into the metamodel's classes and meets its constraints,
 * judged with the aas-core3.0 SDK. The SDK reads JSON only: an XML environment leaves both NOT_EXECUTED.
 */
import { check } from '../../harness/engine/check.js';
import type { CheckContext } from '../../harness/engine/check-context.js';
import { decideOverEnvironments, inspectionOf } from './lib/decide.js';

check(
  {
    id: 'aas-file.deserializes',
    title: 'A JSON environment deserialises per Part 1: types, modelType, enumerations and mandatory properties',
    requirements: ['AAS-FILE-003'],
  },
  async (ctx: CheckContext) => {
    const inspection = inspectionOf(ctx);
    decideOverEnvironments(ctx, 'AAS-FILE-003', inspection, (env) => env.deserialization);
  },
);

check(
  {
    id: 'aas-file.constraints',
    title: 'The environment meets the Part 1 constraints (AASd, AASc) and the lexical forms of its values',
    requirements: ['AAS-FILE-004'],
  },
  async (ctx: CheckContext) => {
    const inspection = inspectionOf(ctx);
    decideOverEnvironments(ctx, 'AAS-FILE-004', inspection, (env) => env.verification);
  },
);
