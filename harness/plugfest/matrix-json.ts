import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FromSchema } from 'json-schema-to-ts';
import { compileValidator, REQUIREMENT_OUTCOMES, VERDICTS } from '../model/index.js';

/** What a cell of the matrix shows: a run's verdict, or why there is none. */
export const CELL_VERDICTS = [...VERDICTS, 'ERROR', 'NOT_RUN'] as const;
export type CellVerdict = (typeof CELL_VERDICTS)[number];

/** Outcomes of a cross-target check (a subset of DESIGN.md section 6). */
export const CROSS_OUTCOMES = ['PASS', 'FAIL', 'NOT_EXECUTED', 'ERROR'] as const;
export type CrossOutcome = (typeof CROSS_OUTCOMES)[number];

const count = { type: 'integer', minimum: 0 } as const;
const runCounts = {
  type: 'object',
  additionalProperties: false,
  required: [...REQUIREMENT_OUTCOMES],
  properties: Object.fromEntries(REQUIREMENT_OUTCOMES.map((o) => [o, count])) as Record<(typeof REQUIREMENT_OUTCOMES)[number], typeof count>,
} as const;

const run = {
  type: 'object',
  additionalProperties: false,
  required: ['profile', 'profileTitle', 'verdict', 'exitCode', 'certifying', 'counts', 'dir', 'report', 'html', 'log', 'startedAt', 'durationMs', 'errors'],
  properties: {
    profile: { type: 'string' },
    profileTitle: { type: 'string' },
    verdict: { enum: CELL_VERDICTS },
    /** the run process's exit code; null when it did not end by itself (killed) or never started */
    exitCode: { anyOf: [{ type: 'null' }, { type: 'integer' }] },
    /** from its report: false for quick mode, --only, overridden guideline parameters or waivers */
    certifying: { anyOf: [{ type: 'null' }, { type: 'boolean' }] },
    /** requirements per outcome, from its report */
    counts: { anyOf: [{ type: 'null' }, runCounts] },
    /** the run's report folder, relative to plugfest.json */
    dir: { type: 'string' },
    /** report.json and report.html of the run, relative to plugfest.json; null when the run wrote no valid report */
    report: { anyOf: [{ type: 'null' }, { type: 'string' }] },
    html: { anyOf: [{ type: 'null' }, { type: 'string' }] },
    /** the run's stdout and stderr */
    log: { type: 'string' },
    startedAt: { anyOf: [{ type: 'null' }, { type: 'string', format: 'date-time' }] },
    durationMs: { anyOf: [{ type: 'null' }, { type: 'integer', minimum: 0 }] },
    /** why the cell is ERROR or NOT_RUN, and the run's own errors */
    errors: { type: 'array', items: { type: 'string' } },
  },
} as const;

const crossResult = {
  type: 'object',
  additionalProperties: false,
  required: ['requirement', 'target', 'outcome', 'reason'],
  properties: {
    requirement: { type: 'string' },
    target: { type: 'string' },
    outcome: { enum: CROSS_OUTCOMES },
    /** PASS: what was seen; otherwise what was expected and what was seen */
    reason: { type: 'string' },
  },
} as const;

const heatCell = {
  type: 'object',
  additionalProperties: false,
  required: ['outcome', 'profiles'],
  properties: {
    /** the worst outcome over the target's runs (a deferred quick-mode status counts only when nothing decided it) */
    outcome: { enum: REQUIREMENT_OUTCOMES },
    /** true when only quick-mode runs that deferred it had it */
    deferred: { type: 'boolean' },
    /** the profiles whose runs had this requirement; empty for a cross-target requirement */
    profiles: { type: 'array', items: { type: 'string' } },
  },
} as const;

/** plugfest.json: the matrix of a plugfest, rendered to plugfest.html. Every run's own report.json stays the source of its cells. */
export const plugfestResultSchema = {
  $id: 'oi4-conformance/plugfest-result',
  type: 'object',
  additionalProperties: false,
  required: [
    'formatVersion', 'name', 'file', 'suite', 'startedAt', 'endedAt', 'durationMs', 'mode', 'concurrency', 'broker',
    'interrupted', 'verdict', 'exitCode', 'counts', 'requirements', 'targets', 'crossTarget', 'heatMap', 'errors',
  ],
  properties: {
    formatVersion: { const: 1 },
    name: { type: 'string' },
    description: { type: 'string' },
    file: {
      type: 'object',
      additionalProperties: false,
      required: ['name', 'sha256'],
      properties: { name: { type: 'string' }, sha256: { type: 'string', pattern: '^[0-9a-f]{64}$' } },
    },
    suite: {
      type: 'object',
      additionalProperties: false,
      required: ['name', 'version'],
      properties: { name: { type: 'string' }, version: { type: 'string' } },
    },
    startedAt: { type: 'string', format: 'date-time' },
    endedAt: { type: 'string', format: 'date-time' },
    durationMs: { type: 'integer', minimum: 0 },
    mode: { enum: ['full', 'quick'] },
    concurrency: { type: 'integer', minimum: 1 },
    /** the shared broker of the plugfest (a loopback URL, never credentials), or null */
    broker: {
      anyOf: [
        { type: 'null' },
        { type: 'object', additionalProperties: false, required: ['kind', 'url'], properties: { kind: { const: 'embedded' }, url: { type: 'string' } } },
      ],
    },
    /** the operator stopped the plugfest: the matrix holds what finished */
    interrupted: { type: 'boolean' },
    /** CONFORMANT when every run is and every cross-target check passes; NOT_CONFORMANT when any run or check fails */
    verdict: { enum: VERDICTS },
    exitCode: { enum: [0, 1, 3] },
    counts: {
      type: 'object',
      additionalProperties: false,
      required: ['runs', 'crossTarget'],
      properties: {
        runs: { type: 'object', additionalProperties: false, required: [...CELL_VERDICTS], properties: Object.fromEntries(CELL_VERDICTS.map((v) => [v, count])) as Record<CellVerdict, typeof count> },
        crossTarget: { type: 'object', additionalProperties: false, required: [...CROSS_OUTCOMES], properties: Object.fromEntries(CROSS_OUTCOMES.map((o) => [o, count])) as Record<CrossOutcome, typeof count> },
      },
    },
    /** the plugfest's own requirements (cross-target), as a catalog lists them */
    requirements: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['id', 'title', 'level', 'source'],
        properties: { id: { type: 'string' }, title: { type: 'string' }, level: { const: 'MUST' }, source: { type: 'string' } },
      },
    },
    targets: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['name', 'reference', 'kind', 'origin', 'faults', 'sharedBroker', 'appId', 'runs'],
        properties: {
          name: { type: 'string' },
          /** embedded:<device> or the target file as the plugfest file names it */
          reference: { type: 'string' },
          kind: { type: 'string' },
          origin: { enum: ['embedded', 'file'] },
          faults: { type: 'array', items: { type: 'string' } },
          serialNumber: { type: 'string' },
          /** its application was on the plugfest's shared broker */
          sharedBroker: { type: 'boolean' },
          /** the AppId its runs tested (OI4 targets), from their reports */
          appId: { anyOf: [{ type: 'null' }, { type: 'string' }] },
          runs: { type: 'array', items: run },
        },
      },
    },
    crossTarget: {
      type: 'object',
      additionalProperties: false,
      required: ['applies', 'reason', 'observer', 'results'],
      properties: {
        /** false when fewer than two OI4 targets shared the plugfest's broker */
        applies: { type: 'boolean' },
        reason: { type: 'string' },
        observer: {
          anyOf: [
            { type: 'null' },
            {
              type: 'object',
              additionalProperties: false,
              required: ['messages', 'distinctMams', 'unreadable', 'dropped', 'evidence'],
              properties: {
                messages: count,
                distinctMams: count,
                unreadable: count,
                dropped: count,
                /** every MAM message the observer received (JSON Lines, capped), relative to plugfest.json */
                evidence: { anyOf: [{ type: 'null' }, { type: 'string' }] },
                lostBecause: { type: 'string' },
              },
            },
          ],
        },
        results: { type: 'array', items: crossResult },
      },
    },
    heatMap: {
      type: 'object',
      additionalProperties: false,
      required: ['targets', 'rows'],
      properties: {
        targets: { type: 'array', items: { type: 'string' } },
        rows: {
          type: 'array',
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['requirement', 'title', 'cells'],
            properties: {
              requirement: { type: 'string' },
              title: { type: 'string' },
              /** by target name; a target none of whose profiles has the requirement is absent */
              cells: { type: 'object', additionalProperties: heatCell },
            },
          },
        },
      },
    },
    /** plugfest-level problems (the shared broker or the observer failed) */
    errors: { type: 'array', items: { type: 'string' } },
  },
} as const;

export type PlugfestResult = FromSchema<typeof plugfestResultSchema>;
export type PlugfestTargetResult = PlugfestResult['targets'][number];
export type PlugfestRunResult = PlugfestTargetResult['runs'][number];
export type CrossTargetResult = PlugfestResult['crossTarget']['results'][number];
export type HeatMapRow = PlugfestResult['heatMap']['rows'][number];

export const PLUGFEST_JSON = 'plugfest.json';

export const validatePlugfestResult = compileValidator<PlugfestResult>(plugfestResultSchema);

/** Writes plugfest.json after validating it: an invalid matrix is a harness defect, not something to hand a lab. */
export function writePlugfestJson(dir: string, result: PlugfestResult): void {
  const checked = validatePlugfestResult(result);
  if (!checked.ok) throw new Error(`plugfest.json does not match its schema: ${checked.problems.slice(0, 3).join('; ')}`);
  writeFileSync(join(dir, PLUGFEST_JSON), JSON.stringify(result, null, 2) + '\n');
}
