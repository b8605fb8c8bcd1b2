import { readFileSync } from 'node:fs';

/**
 * One of our JSON Schema files (fixtures/schemas/<family>/), read and checked before Ajv sees it. Relative $refs
 * resolve against $id, so an $id that does not match the file name would silently point at another file: that
 * is refused here, as are a file that is not JSON and one that is not an object.
 */
export function readSchemaFile(directory: URL, idBase: string, file: string): Record<string, unknown> {
  const text = readFileSync(new URL(file, directory), 'utf8');
  let schema: unknown;
  try {
    schema = JSON.parse(text);
  } catch (error) {
    throw new Error(`schema ${file} is not JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) throw new Error(`schema ${file} is not an object`);
  const record = schema as Record<string, unknown>;
  if (record['$id'] !== idBase + file) throw new Error(`schema ${file} has $id ${String(record['$id'])}; expected ${idBase + file}`);
  return record;
}
