import { mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../catalog/index.js';
import { sha256Hex } from '../evidence/index.js';

/**
 * How many checks a run will execute only changes when the suites, the profile's requirements or the
 * selection change. Learning it takes a collection pass of every suite file (about 1.5 s), so it is
 * remembered, keyed by exactly those inputs.
 */
const CACHE_DIR = join(PROJECT_ROOT, 'node_modules', '.cache', 'oi4-conformance');

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(path) : entry.isFile() ? [path] : [];
  });
}

export function planKey(inputs: { suites: readonly string[]; selected: readonly string[] | null; profileRequirements: readonly string[] }): string {
  // every file under suites/ counts, since a suite's checks may come from a shared lib file
  const sources = filesUnder(join(PROJECT_ROOT, 'suites'))
    .sort()
    .map((file) => `${file}:${statSync(file).size}:${sha256Hex(readFileSync(file))}`);
  return sha256Hex(JSON.stringify({ sources, ...inputs }));
}

export function readPlannedTotal(key: string): number | undefined {
  try {
    const value = JSON.parse(readFileSync(join(CACHE_DIR, `plan-${key}.json`), 'utf8')) as { total?: unknown };
    return typeof value.total === 'number' ? value.total : undefined;
  } catch {
    return undefined;
  }
}

export function writePlannedTotal(key: string, total: number): void {
  try {
    mkdirSync(CACHE_DIR, { recursive: true });
    writeFileSync(join(CACHE_DIR, `plan-${key}.json`), JSON.stringify({ total }));
  } catch {
    // a read-only checkout only loses the speed-up
  }
}
