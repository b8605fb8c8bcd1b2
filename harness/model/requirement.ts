import type { FromSchema } from 'json-schema-to-ts';
import { LEVELS } from './outcome.js';

/** profiles/<family>/requirements.yaml */
export const catalogSchema = {
  $id: 'oi4-conformance/requirements',
  type: 'object',
  additionalProperties: false,
  required: ['family', 'guideline', 'guidelineVersion', 'requirements'],
  properties: {
    family: { type: 'string', pattern: '^[a-z0-9-]+$' },
    guideline: { type: 'string', minLength: 1 },
    guidelineVersion: { type: 'string', minLength: 1 },
    requirements: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['id', 'title', 'level', 'source'],
        properties: {
          id: { type: 'string', pattern: '^[A-Z0-9]+(-[A-Z0-9]+)*-[0-9]{3}$' },
          title: { type: 'string', minLength: 10 },
          level: { enum: LEVELS },
          source: { type: 'string', minLength: 3 },
          note: { type: 'string' },
          group: { type: 'string' },
          testable: { type: 'boolean', default: true },
          reason: { type: 'string', minLength: 3 },
        },
        if: { properties: { testable: { const: false } }, required: ['testable'] },
        then: { required: ['reason'] },
      },
    },
  },
} as const;

export type CatalogFile = FromSchema<typeof catalogSchema>;
export type RequirementEntry = CatalogFile['requirements'][number];

export interface Requirement extends RequirementEntry {
  readonly family: string;
  readonly testable: boolean;
}
