import { existsSync, lstatSync, mkdirSync, rmSync, symlinkSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';

function stamp(date: Date): string {
  return date.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
}

/** Where runs write their bundles by default, below the working directory; `history` reads it. */
export const REPORTS_DIR = 'reports';

/**
 * reports/<timestamp>-<profile>-<target>/ under the working directory, made here and now: two runs started in the
 * same second (a CI matrix) must not share a bundle, so a taken name gets a suffix (-2, -3, …).
 */
export function defaultOutDir(profileId: string, targetName: string, now = new Date()): string {
  const safeTarget = targetName.replace(/[^A-Za-z0-9._+-]/g, '_').slice(0, 80);
  const base = resolve(REPORTS_DIR, `${stamp(now)}-${profileId}-${safeTarget}`);
  mkdirSync(dirname(base), { recursive: true });
  for (let n = 1; ; n++) {
    const candidate = n === 1 ? base : `${base}-${n}`;
    try {
      // without recursive, mkdir fails on a name another run holds: the reservation is atomic
      mkdirSync(candidate);
      return candidate;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
}

/** Points reports/latest at the newest run directory (a relative symlink, so the folder can move). */
export function linkLatest(outDir: string): void {
  const parent = dirname(outDir);
  const link = join(parent, 'latest');
  try {
    mkdirSync(parent, { recursive: true });
    if (existsSync(link) || isSymlink(link)) {
      if (!isSymlink(link)) return; // a real folder named latest belongs to the user
      rmSync(link, { force: true });
    }
    symlinkSync(basename(outDir), link, 'dir');
  } catch {
    // a filesystem without symlinks only loses the convenience link
  }
}

function isSymlink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}
