import type { FromSchema } from 'json-schema-to-ts';

const requirementIds = { type: 'array', items: { type: 'string', minLength: 1 }, uniqueItems: true } as const;

/** profiles/<family>/<profile>.yaml */
export const profileSchema = {
  $id: 'oi4-conformance/profile',
  type: 'object',
  additionalProperties: false,
  required: ['id', 'title', 'version', 'guideline', 'targetKind', 'suites', 'requirements', 'parameters'],
  properties: {
    id: { type: 'string', pattern: '^[a-z0-9]+(-[a-z0-9]+)*$' },
    iri: { type: 'string' },
    title: { type: 'string', minLength: 3 },
    version: { type: 'string', pattern: '^[0-9]+\\.[0-9]+\\.[0-9]+$' },
    guideline: {
      type: 'object',
      additionalProperties: false,
      required: ['name', 'version'],
      properties: { name: { type: 'string' }, version: { type: 'string' } },
    },
    targetKind: { type: 'string' },
    suites: { type: 'array', minItems: 1, items: { type: 'string', minLength: 1 } },
    requirements: { ...requirementIds, minItems: 1 },
    optionalGroups: { type: 'object', additionalProperties: requirementIds },
    parameters: {
      type: 'object',
      additionalProperties: {
        type: 'object',
        additionalProperties: false,
        required: ['kind', 'default', 'description'],
        properties: {
          kind: { enum: ['harness', 'guideline'] },
          default: { type: 'number', minimum: 0 },
          description: { type: 'string' },
        },
      },
    },
  },
} as const;

export type ProfileFile = FromSchema<typeof profileSchema>;

export interface Profile extends ProfileFile {
  readonly family: string;
  /** absolute path of the profile file */
  readonly file: string;
}
