/**
 * Validation of AAS Part 2 payloads against our own JSON Schemas (draft 2020-12) in fixtures/schemas/aas-api/,
 * written from the facts of the Part 2 API: Result/Message, PagedResult, ServiceDescription, descriptors and
 * their endpoints, SpecificAssetId, Reference/Key and PathList. The Part 1 SDK knows none of these.
 * Compiled once per process, on first use (compiling is the expensive part); found from the project root,
 * so the CLI bundle in dist/ finds them too.
 */
import { readdirSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import { PROJECT_ROOT } from '../../catalog/project.js';
import { readSchemaFile } from '../schema-file.js';

const SCHEMA_DIRECTORY = pathToFileURL(`${PROJECT_ROOT}/fixtures/schemas/aas-api/`);
const SCHEMA_ID_BASE = 'https://oi4-conformance.example/schemas/aas-api/';
const SCHEMA_SUFFIX = '.schema.json';

/** Every schema file; Types only holds shared $defs and is not a validation entry point. */
export const PART2_SCHEMA_NAMES = [
  'Types',
  'Key',
  'Reference',
  'SpecificAssetId',
  'Message',
  'Result',
  'PagedResult',
  'ServiceDescription',
  'ProtocolInformation',
  'Endpoint',
  'SubmodelDescriptor',
  'AssetAdministrationShellDescriptor',
  'PathList',
] as const;
export type Part2SchemaName = Exclude<(typeof PART2_SCHEMA_NAMES)[number], 'Types'>;

/** Problem lines kept per validation; the rest is one "and N more" line. */
export const MAX_PART2_PROBLEMS = 50;

let validators: ReadonlyMap<Part2SchemaName, ValidateFunction> | undefined;
let loadCount = 0;

function load(): ReadonlyMap<Part2SchemaName, ValidateFunction> {
  loadCount += 1;
  const ajv = new Ajv2020({ strict: true, allErrors: true });
  const files = readdirSync(SCHEMA_DIRECTORY).filter((f) => f.endsWith(SCHEMA_SUFFIX));
  const names = files.map((f) => f.slice(0, -SCHEMA_SUFFIX.length));
  for (const name of PART2_SCHEMA_NAMES) {
    if (!names.includes(name)) throw new Error(`schema ${name}${SCHEMA_SUFFIX} is missing in ${fileURLToPath(SCHEMA_DIRECTORY)}`);
  }
  for (const file of files) ajv.addSchema(readSchemaFile(SCHEMA_DIRECTORY, SCHEMA_ID_BASE, file));
  const compiled = new Map<Part2SchemaName, ValidateFunction>();
  for (const name of names) {
    if (!(PART2_SCHEMA_NAMES as readonly string[]).includes(name)) throw new Error(`schema ${name}${SCHEMA_SUFFIX} is not known to schemas.ts; add it to PART2_SCHEMA_NAMES`);
    if (name === 'Types') continue;
    try {
      const validate = ajv.getSchema(SCHEMA_ID_BASE + name + SCHEMA_SUFFIX);
      if (validate === undefined) throw new Error('not registered');
      compiled.set(name as Part2SchemaName, validate);
    } catch (error) {
      throw new Error(`schema ${name}${SCHEMA_SUFFIX} does not compile: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return compiled;
}

function describe(error: ErrorObject): string {
  const params = error.params as Record<string, unknown>;
  const path = error.instancePath || '/';
  if (error.keyword === 'required') return `${path}: ${String(params['missingProperty'])} is missing`;
  if (error.keyword === 'enum') return `${path}: ${error.message ?? 'not allowed'} (${(params['allowedValues'] as unknown[]).map((v) => JSON.stringify(v)).join(', ')})`;
  return `${path}: ${error.message ?? error.keyword}`;
}

/**
 * Validates a Part 2 payload: one line per problem, JSON pointer first ("/messages/0: messageType is missing");
 * empty when valid.
 */
export function validatePart2(name: Part2SchemaName, value: unknown): readonly string[] {
  validators ??= load();
  const validate = validators.get(name);
  if (validate === undefined) throw new Error(`schema ${name} was not compiled`);
  if (validate(value)) return [];
  // Ajv reuses its errors array on the next call: turn it into lines now
  const lines = [...new Set((validate.errors ?? []).map(describe))];
  return lines.length > MAX_PART2_PROBLEMS ? [...lines.slice(0, MAX_PART2_PROBLEMS), `and ${lines.length - MAX_PART2_PROBLEMS} more`] : lines;
}

/** How many times the schemas were loaded and compiled in this process (0 or 1); for tests. */
export function part2SchemaLoadCount(): number {
  return loadCount;
}

/** The folder the schemas are read from, as a file system path. */
export function part2SchemaDirectory(): string {
  return fileURLToPath(SCHEMA_DIRECTORY);
}
