// Bundles the harness for the main process with esbuild. Running the CLI through a TypeScript loader
// costs about 180 MB more memory (the loader thread holds vite's module graph), so the CLI runs as plain
// JavaScript. The bundle is rebuilt whenever a source it includes is newer than it.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
export const bundlePath = join(root, 'dist', 'cli.mjs');
// suites/: the monitor command bundles the OI4 rules (suites/oi4-oec/monitor, lib)
const sourceDirs = ['harness', 'suites', 'fixtures/devices', 'fixtures/pki', 'bin'].map((d) => join(root, d));

function newestSource(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path));
    else if (/\.(ts|mjs|json)$/.test(entry.name)) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

function isStale() {
  if (!existsSync(bundlePath)) return true;
  const built = statSync(bundlePath).mtimeMs;
  return sourceDirs.some((dir) => existsSync(dir) && newestSource(dir) > built);
}

export async function ensureBuilt() {
  if (!isStale()) return bundlePath;
  const { build } = await import('esbuild');
  const dist = dirname(bundlePath);
  // Several CLI processes may find the bundle stale at once (a test run starts many). Each builds into a
  // folder of its own and moves the files into place one by one, the entry last: a process never loads a
  // half-written file, and no build deletes a chunk another process is about to load. Chunk names carry a
  // content hash, so two builds of the same sources write the same files.
  mkdirSync(dist, { recursive: true });
  const staging = mkdtempSync(join(dist, '.build-'));
  try {
    await build({
      entryPoints: { cli: join(root, 'harness', 'cli', 'main.ts') },
      outdir: staging,
      outExtension: { '.js': '.mjs' },
      // a module the harness imports dynamically (the OPC UA server of a reference device) becomes a chunk
      // of its own, so its packages (node-opcua: most of a second to load) load only when it is used; in one
      // file, esbuild would hoist them to the top and every CLI start would pay
      splitting: true,
      chunkNames: 'chunks/[name]-[hash]',
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      packages: 'external',
      sourcemap: 'linked',
      logLevel: 'error',
    });
    mkdirSync(join(dist, 'chunks'), { recursive: true });
    for (const name of readdirSync(join(staging, 'chunks'))) renameSync(join(staging, 'chunks', name), join(dist, 'chunks', name));
    renameSync(join(staging, 'cli.mjs.map'), `${bundlePath}.map`);
    renameSync(join(staging, 'cli.mjs'), bundlePath);
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  return bundlePath;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await ensureBuilt();
