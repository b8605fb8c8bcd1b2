import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach } from 'vitest';

/**
 * Temporary directories for one test file: each call makes a fresh directory under the OS temp dir,
 * and all of them are removed after each test, so no test sees another's files.
 */
export function useTempDirs(): { make(): string; write(dir: string, path: string, text: string | Uint8Array): string } {
  const made: string[] = [];
  afterEach(() => {
    for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
  return {
    make() {
      const dir = mkdtempSync(join(tmpdir(), 'oi4-unit-'));
      made.push(dir);
      return dir;
    },
    write(dir, path, text) {
      const file = join(dir, path);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, text);
      return file;
    },
  };
}
