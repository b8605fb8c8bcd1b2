import { existsSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute, join, normalize } from 'node:path';
import type { KeyObject } from 'node:crypto';
import { sha256Hex } from '../evidence/index.js';
import { listFiles, MANIFEST } from './manifest.js';
import { checkSignature, SIGNATURE, type SignatureCheck } from './signature.js';

export interface BundleCheck {
  /** files the manifest lists */
  readonly listed: number;
  readonly changed: readonly string[];
  readonly missing: readonly string[];
  /** files in the bundle the manifest does not list */
  readonly added: readonly string[];
  /** manifest lines that are not "sha256  path" with a path inside the bundle */
  readonly malformed: readonly string[];
  readonly signature: SignatureCheck;
}

/** A manifest path must stay inside the bundle: verify never reads a file a tampered manifest points outside to. */
function insideBundle(path: string): boolean {
  return path !== '' && !isAbsolute(path) && !normalize(path).split(/[\\/]/).includes('..');
}

/** Compares a bundle with its manifest.sha256 and checks the detached signature, if there is one. */
export function verifyBundle(dir: string, givenKey?: KeyObject): BundleCheck {
  const manifest = readFileSync(join(dir, MANIFEST), 'utf8');
  const listed = new Map<string, string>();
  const malformed: string[] = [];
  for (const line of manifest.split('\n')) {
    if (line === '') continue;
    const match = /^([0-9a-f]{64}) {2}(.+)$/.exec(line);
    if (!match || !insideBundle(match[2]!) || listed.has(match[2]!)) malformed.push(line.slice(0, 120));
    else listed.set(match[2]!, match[1]!);
  }
  const changed: string[] = [];
  const missing: string[] = [];
  for (const [path, hash] of listed) {
    const file = join(dir, path);
    if (!existsSync(file) || !statSync(file).isFile()) missing.push(path);
    else if (sha256Hex(readFileSync(file)) !== hash) changed.push(path);
  }
  const added = listFiles(dir, (entry) => !entry.isDirectory()).filter((path) => path !== MANIFEST && path !== SIGNATURE && !listed.has(path));
  return { listed: listed.size, changed, missing, added: added.sort(), malformed, signature: checkSignature(dir, givenKey) };
}
