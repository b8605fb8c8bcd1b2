// Bundles the harness for the main process with esbuild. Running the CLI through a TypeScript loader
// costs about 180 MB more memory (the loader thread holds vite's module graph), so the CLI runs as plain
// JavaScript. The bundle is rebuilt whenever a source it includes is newer than it.
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
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
  // chunk names carry a content hash: without this, every rebuild would leave the old ones behind
  rmSync(join(dirname(bundlePath), 'chunks'), { recursive: true, force: true });
  await build({
    entryPoints: { cli: join(root, 'harness', 'cli', 'main.ts') },
    outdir: dirname(bundlePath),
    outExtension: { '.js': '.mjs' },
    // a module the harness imports dynamically (the OPC UA server of a reference device) becomes a chunk of
    // its own, so its packages (node-opcua: most of a second to load) load only when it is used; in one
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
  return bundlePath;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await ensureBuilt();
