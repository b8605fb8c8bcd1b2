import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { didYouMean } from './errors.js';

// ajv-formats is CommonJS; its default export arrives wrapped under NodeNext resolution.
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

let shared: Ajv | undefined;

/** One Ajv instance for the harness's own schemas (target, profile, catalog, report). */
function ajv(): Ajv {
  if (!shared) {
    shared = new Ajv({ allErrors: true, strict: true, strictRequired: false });
    addFormats(shared);
  }
  return shared;
}

export interface SchemaValidator<T> {
  /** returns the value typed, or a list of problems, each naming the field */
  (value: unknown): { ok: true; value: T } | { ok: false; problems: string[] };
}

export function compileValidator<T>(schema: object): SchemaValidator<T> {
  const validate: ValidateFunction = ajv().compile(schema);
  return (value: unknown) => {
    if (validate(value)) return { ok: true, value: value as T };
    return { ok: false, problems: describeErrors(validate.errors ?? [], schema) };
  };
}

/** Dotted field path, e.g. broker.tls.ca or requirements[3].level */
function fieldPath(instancePath: string): string {
  if (!instancePath) return '(top level)';
  return instancePath
    .slice(1)
    .split('/')
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((part, i) => (/^\d+$/.test(part) ? `[${part}]` : i === 0 ? part : `.${part}`))
    .join('');
}

function describeErrors(errors: readonly ErrorObject[], schema: object): string[] {
  const problems: string[] = [];
  for (const error of errors) {
    // if/then wrappers repeat the real error; keep the informative one
    if (error.keyword === 'if' || error.keyword === 'anyOf') continue;
    const where = fieldPath(error.instancePath);
    const params = error.params as Record<string, unknown>;
    switch (error.keyword) {
      case 'additionalProperties': {
        const field = String(params['additionalProperty']);
        const known = knownProperties(schema, error.schemaPath);
        const hint = didYouMean(field, known);
        problems.push(`${where}: unknown field "${field}"${hint ? ` (did you mean "${hint}"?)` : known.length ? ` (allowed: ${known.join(', ')})` : ''}`);
        break;
      }
      case 'required':
        problems.push(`${where}: missing required field "${String(params['missingProperty'])}"`);
        break;
      case 'enum':
        problems.push(`${where}: must be one of ${(params['allowedValues'] as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`);
        break;
      case 'const':
        problems.push(`${where}: must be ${JSON.stringify(params['allowedValue'])}`);
        break;
      default:
        problems.push(`${where}: ${error.message ?? error.keyword}`);
    }
  }
  return [...new Set(problems)];
}

/** The property names allowed at the schema location of an additionalProperties error. */
function knownProperties(schema: object, schemaPath: string): string[] {
  const parts = schemaPath.replace(/^#\//, '').split('/').slice(0, -1);
  let node: unknown = schema;
  for (const part of parts) {
    if (node && typeof node === 'object') node = (node as Record<string, unknown>)[part];
  }
  const properties = node && typeof node === 'object' ? (node as Record<string, unknown>)['properties'] : undefined;
  return properties && typeof properties === 'object' ? Object.keys(properties) : [];
}
