/**
 * Validation against our own JSON Schemas (draft 2020-12) in fixtures/schemas/oi4-oec/, written from the
 * guideline facts. Compiled once per process, on first use: compiling is the expensive part, and a profile
 * run validates thousands of messages.
 * Errors keep Ajv's keyword and params, so a check can tell a pattern failure at /ManufacturerUri
 * (OI4-MAM-002) from a missing field (OI4-MAM-001).
 */
import { readdirSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { PROJECT_ROOT } from '../../catalog/project.js';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import type { Resource } from './constants.js';
import { readSchemaFile } from '../schema-file.js';

/** Relative to this module, never to the working directory: the CLI may run from anywhere. */
// from the project root, not this module's URL: the CLI runs from a bundle in dist/
const SCHEMA_DIRECTORY = pathToFileURL(`${PROJECT_ROOT}/fixtures/schemas/oi4-oec/`);
const SCHEMA_ID_BASE = 'https://oi4-conformance.example/schemas/oi4-oec/';
const SCHEMA_SUFFIX = '.schema.json';

/** Every schema file; Types only holds shared $defs and is not a validation entry point. */
export const SCHEMA_NAMES = [
  'Types',
  'LocalizedText',
  'Oi4Identifier',
  'NetworkMessage',
  'DataSetMessage',
  'MetaDataMessage',
  'DataSetMetaData',
  'MAM',
  'Health',
  'License',
  'LicenseText',
  'RtLicense',
  'Profile',
  'PublicationList',
  'SubscriptionList',
  'ReferenceDesignation',
  'Event',
  'Config',
  'Pagination',
  'PaginationRequest',
  'LocaleRequest',
  'ObjectPayload',
] as const;
export type SchemaName = (typeof SCHEMA_NAMES)[number];
/** The schemas a value can be validated against (all but the shared Types). */
export type ValidatingSchemaName = Exclude<SchemaName, 'Types'>;

/**
 * The schema of each resource's DataSetMessage Payload. Config is the publication form (what a Get returns).
 * Metadata has no DataSetMessage payload: it travels in a ua-metadata message, whose MetaData object is
 * checked. Resources v1.1 does not describe only have to be objects.
 */
export const PAYLOAD_SCHEMAS: Readonly<Record<Resource, ValidatingSchemaName>> = {
  MAM: 'MAM',
  Health: 'Health',
  Config: 'Config',
  License: 'License',
  LicenseText: 'LicenseText',
  RtLicense: 'RtLicense',
  Data: 'ObjectPayload',
  Metadata: 'DataSetMetaData',
  Event: 'Event',
  Profile: 'Profile',
  PublicationList: 'PublicationList',
  SubscriptionList: 'SubscriptionList',
  ReferenceDesignation: 'ReferenceDesignation',
  Interfaces: 'ObjectPayload',
  AAS: 'ObjectPayload',
  FileUpload: 'ObjectPayload',
  FileDownload: 'ObjectPayload',
  FirmwareUpdate: 'ObjectPayload',
  Blink: 'ObjectPayload',
  NewDataSetWriterId: 'ObjectPayload',
};

export interface SchemaError {
  /** JSON pointer into the validated value ("" = the value itself); for `required` it is the object missing the field */
  readonly path: string;
  /** the JSON Schema keyword that failed: required, pattern, enum, additionalProperties, format, ... */
  readonly keyword: string;
  readonly message: string;
  /** keyword details, e.g. {missingProperty}, {additionalProperty}, {pattern}, {allowedValues} */
  readonly params: Record<string, unknown>;
  /** where in the schema, for diagnosing the schema itself */
  readonly schemaPath: string;
}

export type ValidationResult = { readonly valid: true } | { readonly valid: false; readonly errors: SchemaError[] };

type Validators = ReadonlyMap<ValidatingSchemaName, ValidateFunction>;

let validators: Validators | undefined;
let loadCount = 0;

function isSchemaName(name: string): name is SchemaName {
  return (SCHEMA_NAMES as readonly string[]).includes(name);
}

function load(): Validators {
  loadCount += 1;
  const ajv = new Ajv2020({ strict: true, allErrors: true });
  addFormatsModule.default(ajv, ['date-time', 'uuid']);

  const files = readdirSync(SCHEMA_DIRECTORY).filter((f) => f.endsWith(SCHEMA_SUFFIX));
  const names = files.map((f) => f.slice(0, -SCHEMA_SUFFIX.length));
  for (const name of SCHEMA_NAMES) {
    if (!names.includes(name)) throw new Error(`schema ${name}${SCHEMA_SUFFIX} is missing in ${fileURLToPath(SCHEMA_DIRECTORY)}`);
  }
  for (const file of files) ajv.addSchema(readSchemaFile(SCHEMA_DIRECTORY, SCHEMA_ID_BASE, file));

  const compiled = new Map<ValidatingSchemaName, ValidateFunction>();
  for (const name of names) {
    if (!isSchemaName(name)) throw new Error(`schema ${name}${SCHEMA_SUFFIX} is not known to schemas.ts; add it to SCHEMA_NAMES`);
    if (name === 'Types') continue;
    try {
      const validate = ajv.getSchema(SCHEMA_ID_BASE + name + SCHEMA_SUFFIX);
      if (validate === undefined) throw new Error('not registered');
      compiled.set(name, validate);
    } catch (error) {
      throw new Error(`schema ${name}${SCHEMA_SUFFIX} does not compile: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return compiled;
}

function toSchemaError(error: ErrorObject): SchemaError {
  return {
    path: error.instancePath,
    keyword: error.keyword,
    message: error.message ?? error.keyword,
    params: { ...(error.params as Record<string, unknown>) },
    schemaPath: error.schemaPath,
  };
}

/** Validates `value` against one of our schemas by name. */
export function validateWith(name: ValidatingSchemaName, value: unknown): ValidationResult {
  validators ??= load();
  const validate = validators.get(name);
  if (validate === undefined) throw new Error(`schema ${name} was not compiled`);
  if (validate(value)) return { valid: true };
  // Ajv reuses its errors array on the next call; copy now
  return { valid: false, errors: (validate.errors ?? []).map(toSchemaError) };
}

/** How many times the schemas were loaded and compiled in this process (0 or 1); for tests. */
export function schemaLoadCount(): number {
  return loadCount;
}

/** The folder the schemas are read from, as a file system path. */
export function schemaDirectory(): string {
  return fileURLToPath(SCHEMA_DIRECTORY);
}

export function validatePayload(resource: Resource, payload: unknown): ValidationResult {
  return validateWith(PAYLOAD_SCHEMAS[resource], payload);
}
export function validateNetworkMessage(message: unknown): ValidationResult {
  return validateWith('NetworkMessage', message);
}
export function validateDataSetMessage(dsm: unknown): ValidationResult {
  return validateWith('DataSetMessage', dsm);
}
export function validateMetaDataMessage(message: unknown): ValidationResult {
  return validateWith('MetaDataMessage', message);
}
/** The payload of a response pagination entry (DataSetWriterId 2). */
export function validatePagination(payload: unknown): ValidationResult {
  return validateWith('Pagination', payload);
}
/** The payload of a request pagination entry (DataSetWriterId 1). */
export function validatePaginationRequest(payload: unknown): ValidationResult {
  return validateWith('PaginationRequest', payload);
}
/** The payload of a request locale entry (DataSetWriterId 3). */
export function validateLocaleRequest(payload: unknown): ValidationResult {
  return validateWith('LocaleRequest', payload);
}
export function validateOi4Identifier(text: unknown): ValidationResult {
  return validateWith('Oi4Identifier', text);
}
