import type { FromSchema } from 'json-schema-to-ts';
import { compileValidator } from '../model/index.js';

/** A name that becomes a folder: no separators, no leading dot, short enough for any file system. */
export const FOLDER_SAFE_NAME = '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$';

/** Profile parameters a plugfest passes to its runs (`--param name=value`), as `run` accepts them. */
const parameters = {
  type: 'object',
  propertyNames: { pattern: '^[A-Za-z][A-Za-z0-9]*$' },
  additionalProperties: { type: 'number', minimum: 0 },
} as const;

/**
 * plugfest.yaml: many targets, each with its profiles, run as one event. Paths in it (target files, waivers,
 * out) are relative to the file itself, so a plugfest folder can be moved or checked in as a whole.
 */
export const plugfestFileSchema = {
  $id: 'oi4-conformance/plugfest',
  type: 'object',
  additionalProperties: false,
  required: ['name', 'targets'],
  properties: {
    name: { type: 'string', pattern: FOLDER_SAFE_NAME },
    description: { type: 'string' },
    /** how many targets run at the same time; a target's own profiles always run one after the other */
    concurrency: { type: 'integer', minimum: 1, maximum: 64 },
    mode: { enum: ['full', 'quick'] },
    /** embedded: one in-process broker on a loopback port, shared by every embedded OI4 device */
    broker: { enum: ['embedded'] },
    /** the plugfest's report folder (default reports/<timestamp>-plugfest-<name>/ below the working directory) */
    out: { type: 'string', minLength: 1 },
    /** a run that has not ended after this long is stopped and shows as ERROR */
    runTimeoutMs: { type: 'integer', minimum: 1 },
    /** parameters for every run whose profile has them (a target's own params win) */
    params: parameters,
    targets: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['name', 'target', 'profiles'],
        properties: {
          name: { type: 'string', pattern: FOLDER_SAFE_NAME },
          /** embedded:<reference device>, or a target file (YAML) */
          target: { type: 'string', minLength: 1 },
          profiles: { type: 'array', minItems: 1, uniqueItems: true, items: { type: 'string', minLength: 1 } },
          faults: { type: 'array', uniqueItems: true, items: { type: 'string', minLength: 1 } },
          claims: { type: 'array', uniqueItems: true, items: { type: 'string', minLength: 1 } },
          /** embedded OI4 devices: the SerialNumber (default: the target's name, so AppIds differ) */
          serialNumber: { type: 'string', minLength: 1, maxLength: 64 },
          /**
           * embedded OI4 devices, with broker: embedded: false runs the device on a broker of its own (broker
           * faults and the security group need that); it then cannot be seen by the other participants
           */
          sharedBroker: { type: 'boolean' },
          params: parameters,
          /** a waivers file for this target's runs */
          waivers: { type: 'string', minLength: 1 },
          /** run only these requirement ids (as `run --only`); such runs are never a certification */
          only: { type: 'string', minLength: 1 },
          /** overrides the plugfest's runTimeoutMs for this target's runs */
          runTimeoutMs: { type: 'integer', minimum: 1 },
        },
      },
    },
  },
} as const;

export type PlugfestFile = FromSchema<typeof plugfestFileSchema>;
export type PlugfestFileTarget = PlugfestFile['targets'][number];

export const validatePlugfestFile = compileValidator<PlugfestFile>(plugfestFileSchema);
