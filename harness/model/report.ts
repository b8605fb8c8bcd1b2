import type { FromSchema } from 'json-schema-to-ts';
import { LEVELS, OUTCOMES, REQUIREMENT_OUTCOMES, VERDICTS } from './outcome.js';

const outcome = { enum: OUTCOMES } as const;
const sha256 = { type: 'string', pattern: '^[0-9a-f]{64}$' } as const;
// WAIVED is not required: reports written before waivers existed stay valid for diff and history
const counts = {
  type: 'object',
  additionalProperties: false,
  required: [...OUTCOMES],
  properties: Object.fromEntries(REQUIREMENT_OUTCOMES.map((o) => [o, { type: 'integer', minimum: 0 }])) as Record<
    (typeof REQUIREMENT_OUTCOMES)[number],
    { readonly type: 'integer'; readonly minimum: 0 }
  >,
} as const;

/** report.json: the canonical result of a run (DESIGN.md section 7). Everything else is rendered from it. */
/** What the target said about itself through one protocol (the OI4 MAM, the OPC UA BuildInfo, its DI nameplate). */
export interface TargetIdentity {
  readonly source: string;
  readonly fields: Record<string, string>;
}

const identitySchema = {
  type: 'object',
  additionalProperties: false,
  required: ['source', 'fields'],
  properties: {
    source: { type: 'string' },
    fields: { type: 'object', additionalProperties: { type: 'string' } },
  },
} as const;

export const reportSchema = {
  $id: 'oi4-conformance/report',
  type: 'object',
  additionalProperties: false,
  required: ['formatVersion', 'suite', 'profile', 'target', 'run', 'verdict', 'exitCode', 'counts', 'requirements', 'checks', 'errors', 'notes'],
  properties: {
    formatVersion: { const: 1 },
    suite: {
      type: 'object',
      additionalProperties: false,
      required: ['name', 'version', 'sha256', 'files'],
      properties: {
        name: { type: 'string' },
        version: { type: 'string' },
        /** sha256 over the sorted list of suite file hashes */
        sha256,
        files: {
          type: 'array',
          items: { type: 'object', additionalProperties: false, required: ['path', 'sha256'], properties: { path: { type: 'string' }, sha256 } },
        },
      },
    },
    profile: {
      type: 'object',
      additionalProperties: false,
      required: ['id', 'title', 'version', 'guideline', 'sha256', 'claimedGroups'],
      properties: {
        id: { type: 'string' },
        title: { type: 'string' },
        version: { type: 'string' },
        guideline: {
          type: 'object',
          additionalProperties: false,
          required: ['name', 'version'],
          properties: { name: { type: 'string' }, version: { type: 'string' } },
        },
        sha256,
        claimedGroups: { type: 'array', items: { type: 'string' } },
      },
    },
    target: {
      type: 'object',
      additionalProperties: false,
      required: ['name', 'reference', 'kind', 'endpoint', 'faults', 'identity'],
      properties: {
        name: { type: 'string' },
        reference: { type: 'string' },
        kind: { type: 'string' },
        /** broker URL without credentials */
        endpoint: { type: 'string' },
        appId: { type: 'string' },
        serviceType: { type: 'string' },
        faults: { type: 'array', items: { type: 'string' } },
        /** the OPC UA server of the same asset, when an MQTT target names one (cross-protocol checks) */
        opcuaEndpoint: { type: 'string' },
        /** what the target said about itself first (the OI4 MAM, or the OPC UA BuildInfo), or null when it could not be read */
        identity: { anyOf: [{ type: 'null' }, identitySchema] },
        /** everything the target said about itself, one entry per source (MAM, BuildInfo, DI nameplate) */
        identities: { type: 'array', items: identitySchema },
      },
    },
    run: {
      type: 'object',
      additionalProperties: false,
      required: ['id', 'startedAt', 'endedAt', 'durationMs', 'phases', 'mode', 'certifying', 'only', 'parameters', 'environment'],
      properties: {
        id: { type: 'string' },
        startedAt: { type: 'string', format: 'date-time' },
        endedAt: { type: 'string', format: 'date-time' },
        durationMs: { type: 'integer', minimum: 0 },
        /** wall time of the phases: reaching the target, and running the checks (vitest start-up included) */
        phases: {
          type: 'object',
          additionalProperties: false,
          required: ['preflightMs', 'checksMs'],
          properties: { preflightMs: { type: 'integer', minimum: 0 }, checksMs: { type: 'integer', minimum: 0 } },
        },
        mode: { enum: ['full', 'quick'] },
        /** false when guideline parameters were overridden or requirements deselected: not a certification */
        certifying: { type: 'boolean' },
        notCertifyingBecause: { type: 'array', items: { type: 'string' } },
        only: { anyOf: [{ type: 'null' }, { type: 'string' }] },
        /** the waivers file the run applied, by name and content hash */
        waivers: {
          type: 'object',
          additionalProperties: false,
          required: ['file', 'sha256', 'applied'],
          properties: { file: { type: 'string' }, sha256, applied: { type: 'array', items: { type: 'string' } } },
        },
        parameters: {
          type: 'object',
          additionalProperties: {
            type: 'object',
            additionalProperties: false,
            required: ['value', 'kind', 'overridden'],
            properties: { value: { type: 'number' }, kind: { enum: ['harness', 'guideline'] }, overridden: { type: 'boolean' } },
          },
        },
        environment: {
          type: 'object',
          additionalProperties: false,
          required: ['node', 'platform', 'arch'],
          properties: { node: { type: 'string' }, platform: { type: 'string' }, arch: { type: 'string' } },
        },
      },
    },
    verdict: { enum: VERDICTS },
    exitCode: { enum: [0, 1, 3] },
    /** number of requirements per outcome */
    counts,
    requirements: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['id', 'title', 'level', 'source', 'mandatory', 'outcome', 'reason', 'checks'],
        properties: {
          id: { type: 'string' },
          title: { type: 'string' },
          level: { enum: LEVELS },
          source: { type: 'string' },
          note: { type: 'string' },
          group: { type: 'string' },
          mandatory: { type: 'boolean' },
          /** decided only by checks quick mode does not run: shown, but not counted in a quick verdict */
          deferred: { type: 'boolean' },
          outcome: { enum: REQUIREMENT_OUTCOMES },
          reason: { type: 'string' },
          checks: { type: 'array', items: { type: 'string' } },
          /** set when outcome is WAIVED: the FAIL the checks observed is accepted until expires */
          waiver: {
            type: 'object',
            additionalProperties: false,
            required: ['reason', 'expires', 'waivedOutcome'],
            properties: { reason: { type: 'string' }, expires: { type: 'string', format: 'date' }, waivedOutcome: { const: 'FAIL' } },
          },
        },
      },
    },
    checks: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['id', 'title', 'suite', 'requirements', 'outcome', 'message', 'durationMs', 'decisions', 'evidence'],
        properties: {
          id: { type: 'string' },
          title: { type: 'string' },
          suite: { type: 'string' },
          requirements: { type: 'array', items: { type: 'string' } },
          outcome,
          message: { type: 'string' },
          durationMs: { type: 'number', minimum: 0 },
          decisions: {
            type: 'array',
            items: {
              type: 'object',
              additionalProperties: false,
              required: ['requirement', 'outcome', 'message'],
              properties: { requirement: { type: 'string' }, outcome, message: { type: 'string' }, deferred: { type: 'boolean' } },
            },
          },
          evidence: {
            type: 'array',
            items: {
              type: 'object',
              additionalProperties: false,
              required: ['file', 'sha256', 'records', 'dropped'],
              properties: {
                file: { type: 'string' },
                sha256,
                records: { type: 'integer', minimum: 0 },
                dropped: { type: 'integer', minimum: 0 },
              },
            },
          },
        },
      },
    },
    /** run-level problems of the harness or the environment: the run is inconclusive */
    errors: { type: 'array', items: { type: 'string' } },
    /** run-level information, e.g. why the target's identity is missing */
    notes: { type: 'array', items: { type: 'string' } },
  },
} as const;

export type Report = FromSchema<typeof reportSchema>;
export type RequirementStatus = Report['requirements'][number];
