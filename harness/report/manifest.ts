import { readdirSync, readFileSync, writeFileSync, type Dirent } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { sha256Hex } from '../evidence/index.js';

export const MANIFEST = 'manifest.sha256';

/**
 * The files below a bundle folder as forward-slash paths relative to it. `include` says which non-folder entries
 * count: the manifest hashes regular files; verify also names a symlink someone added, without following it.
 */
export function listFiles(dir: string, include: (entry: Dirent) => boolean = (entry) => entry.isFile(), root = dir): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return listFiles(path, include, root);
    return include(entry) ? [relative(root, path).split(sep).join('/')] : [];
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
