import type { FromSchema } from 'json-schema-to-ts';

/**
 * A waivers file: FAILs a product team accepts for a while, each with its reason and an expiry date. It lets a
 * CI gate pass while a known deviation is being fixed; the report still shows every waived FAIL as WAIVED.
 */
export const waiversFileSchema = {
  $id: 'oi4-conformance/waivers',
  type: 'object',
  additionalProperties: false,
  required: ['waivers'],
  properties: {
    waivers: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['requirement', 'reason', 'expires'],
        properties: {
          /** a requirement id of the catalog */
          requirement: { type: 'string', minLength: 1 },
          /** why the FAIL is accepted, e.g. a ticket and its plan */
          reason: { type: 'string', minLength: 1 },
          /** the last day the waiver holds (YYYY-MM-DD); a later run refuses the file */
          expires: { type: 'string', format: 'date' },
        },
      },
    },
  },
} as const;

export type WaiversFile = FromSchema<typeof waiversFileSchema>;
export type Waiver = WaiversFile['waivers'][number];
