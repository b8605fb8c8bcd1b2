import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { sha256Hex } from '../evidence/index.js';

export const MANIFEST = 'manifest.sha256';

function listFiles(dir: string, root = dir): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return listFiles(path, root);
    return entry.isFile() ? [relative(root, path)] : [];
  });
}

/** manifest.sha256 over every file of the bundle, in `sha256sum -c` format, sorted by path. */
export function writeManifest(dir: string): void {
  const lines = listFiles(dir)
    .filter((file) => file !== MANIFEST && !file.endsWith('.sig'))
    .sort()
    .map((file) => `${sha256Hex(readFileSync(join(dir, file)))}  ${file}`);
  writeFileSync(join(dir, MANIFEST), lines.join('\n') + '\n');
}
