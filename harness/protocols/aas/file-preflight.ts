/**
 * The preflight of an AAS file (check-file): before any check, the file must be there, be a regular file and
 * be small enough to read into memory. Its identity for the report is what a lab needs to know it checked the
 * file it was given: name, size, SHA-256 and the format the extension claims.
 */
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import type { Preflight } from '../../engine/run-profile.js';

/** The default cap when the profile does not set maxFileBytes: 256 MiB. */
export const DEFAULT_MAX_FILE_BYTES = 268_435_456;

export type AasFileFormat = 'json' | 'xml' | 'aasx';

/** The format a file name claims, by its extension; undefined for anything else. */
export function aasFileFormatOf(path: string): AasFileFormat | undefined {
  const match = /\.(json|xml|aasx)$/i.exec(path);
  return match ? (match[1]!.toLowerCase() as AasFileFormat) : undefined;
}

export const aasFilePreflight: Preflight = async (options) => {
  const { target } = options;
  if (target.kind !== 'aas-file') throw new Error(`target ${target.name} is a ${target.kind} target; the AAS file preflight needs an aas-file target`);
  const { path, shown } = target.file;
  const maxBytes = options.parameters['maxFileBytes'] ?? DEFAULT_MAX_FILE_BYTES;
  let size: number;
  try {
    const stat = statSync(path);
    if (!stat.isFile()) throw new Error(`${shown} is not a regular file`);
    size = stat.size;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new Error(`${shown} does not exist`);
    if (code !== undefined) throw new Error(`${shown} cannot be read (${code})`);
    throw error;
  }
  if (size > maxBytes) throw new Error(`${shown} is ${size} bytes; the limit is ${maxBytes} (maxFileBytes)`);
  const format = aasFileFormatOf(path);
  if (format === undefined) throw new Error(`${shown}: expected a .json, .xml or .aasx file`);
  const bytes = readFileSync(path);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  return {
    target,
    identities: [{ source: `file ${shown}`, fields: { name: basename(path), bytes: String(bytes.length), sha256, format } }],
    notes: [],
  };
};
