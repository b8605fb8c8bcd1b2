#!/usr/bin/env node
// Benchmark: aas-repository-read-3-0 against the reference AAS server holding many shells, as a vendor's server
// with a large repository would. Starts `oi4-conformance reference aas-server` in its own process, seeds `shells`
// extra shells through POST /shells (a few requests at a time), then runs the profile through a target file and
// measures: seeding time, wall time of the run, the duration of the check aas.pagination.walk (report.json),
// peak RSS of the run process (/usr/bin/time -v when present, else VmHWM polled from /proc), and the verdict.
// Goal (issue): the pagination walk of 10,000 shells in under 5 s.
// Usage: node bench/aas-walk.mjs [shells=10000] [--concurrency=8] [--keep]   (Linux)
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const bin = join(root, 'bin', 'oi4-conformance.mjs');
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const found = args.find((a) => a.startsWith(`--${name}=`));
  return found === undefined ? fallback : found.slice(name.length + 3);
};
const shells = Number(args.find((a) => !a.startsWith('--')) ?? 10_000);
const concurrency = Number(option('concurrency', 8));
const keep = args.includes('--keep');
if (!Number.isInteger(shells) || shells < 0 || !Number.isInteger(concurrency) || concurrency < 1) {
  console.error('usage: node bench/aas-walk.mjs [shells=10000] [--concurrency=8] [--keep]');
  process.exit(2);
}

const work = mkdtempSync(join(tmpdir(), 'oi4c-bench-aas-'));

/** Starts the reference server in its own process; resolves with its base URL once it printed it. */
function startReference() {
  const child = spawn(process.execPath, [bin, 'reference', 'aas-server'], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error('the reference server printed no base URL within 60 s')), 60_000);
    const fail = (error) => {
      clearTimeout(timer);
      child.kill('SIGTERM');
      reject(error);
    };
    const read = (chunk) => {
      output += chunk.toString();
      const url = /(https?:\/\/127\.0\.0\.1:\d+\/\S*)/.exec(output)?.[1];
      if (url) {
        clearTimeout(timer);
        resolve({ child, baseUrl: url.replace(/[.,;)]+$/, '') });
      }
    };
    child.stdout.on('data', read);
    child.stderr.on('data', read);
    child.on('exit', (code) => fail(new Error(`the reference server exited (${code}) before it printed its base URL:\n${output}`)));
  });
}

function stop(child) {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.on('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** POSTs `count` valid Part 1 shells, `concurrency` requests in flight. */
async function seed(baseUrl, count) {
  let next = 0;
  const post = async (i) => {
    const id = `https://bench.example.com/ids/aas/walk-${String(i).padStart(6, '0')}`;
    const shell = {
      modelType: 'AssetAdministrationShell',
      id,
      idShort: `BenchShell${i}`,
      assetInformation: { assetKind: 'Instance', globalAssetId: `https://bench.example.com/ids/asset/walk-${String(i).padStart(6, '0')}` },
    };
    const response = await fetch(`${baseUrl}/shells`, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json' }, body: JSON.stringify(shell) });
    const text = await response.text();
    if (response.status !== 201) throw new Error(`POST /shells of ${id}: ${response.status} ${text.slice(0, 300)}`);
  };
  const worker = async () => {
    while (next < count) await post(next++);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
}

/** The same walk without the harness (fetch, JSON.parse, next cursor): what the server alone needs. */
async function bareWalk(baseUrl, limit = 100) {
  const started = performance.now();
  let cursor;
  let items = 0;
  let pages = 0;
  do {
    const response = await fetch(`${baseUrl}/shells?limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    const page = await response.json();
    items += page.result.length;
    pages++;
    cursor = page.paging_metadata?.cursor;
  } while (cursor);
  return { ms: performance.now() - started, items, pages };
}

/** Time spent waiting for the server's answers in one check's HAR evidence. */
function harWait(file) {
  if (!existsSync(file)) return undefined;
  const entries = JSON.parse(readFileSync(file, 'utf8')).log.entries;
  return { exchanges: entries.length, ms: entries.reduce((sum, e) => sum + e.timings.wait + e.timings.receive, 0) };
}

/** The run as a user starts it; peak RSS from /usr/bin/time -v, else VmHWM of the process polled from /proc. */
async function runProfile(targetFile, out) {
  const timeBin = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;
  const timeFile = join(work, 'time.txt');
  const command = timeBin ? [timeBin, ['-v', '-o', timeFile, process.execPath, bin]] : [process.execPath, [bin]];
  const runArgs = ['run', '--profile', 'aas-repository-read-3-0', '--target', targetFile, '--out', out];
  const started = performance.now();
  const child = spawn(command[0], [...command[1], ...runArgs], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  let polledKb = 0;
  const poll = timeBin
    ? undefined
    : setInterval(() => {
        try {
          const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1];
          polledKb = Math.max(polledKb, Number(hwm ?? 0));
        } catch {
          // the process has ended
        }
      }, 50);
  const code = await new Promise((resolve) => child.on('close', resolve));
  if (poll) clearInterval(poll);
  const wallMs = performance.now() - started;
  // /usr/bin/time -v reports wait4's ru_maxrss: the largest peak among the run process and the children it waited
  // for (its vitest check worker, if that one peaks higher)
  const peakKb = timeBin ? Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(readFileSync(timeFile, 'utf8'))?.[1] ?? 0) : polledKb;
  return { code, wallMs, peakMb: peakKb / 1024, rssSource: timeBin ? '/usr/bin/time -v' : '/proc VmHWM (polled)', stdout, stderr };
}

const { child: server, baseUrl } = await startReference();
let result;
try {
  const seedStarted = performance.now();
  await seed(baseUrl, shells);
  const seedMs = performance.now() - seedStarted;
  const bare = await bareWalk(baseUrl);
  const targetFile = join(work, 'target.yaml');
  writeFileSync(targetFile, `name: bench-aas-walk\nkind: aas\naas:\n  baseUrl: ${baseUrl}\n`);
  const out = join(work, 'out');
  const run = await runProfile(targetFile, out);
  if (!existsSync(join(out, 'report.json'))) throw new Error(`the run wrote no report.json (exit ${run.code}):\n${run.stderr}\n${run.stdout.slice(-3000)}`);
  const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
  const walk = report.checks.find((c) => c.id === 'aas.pagination.walk');
  result = { seedMs, run, report, walk, bare, walkWait: harWait(join(out, 'evidence', 'aas.pagination.walk.har')), out };
} finally {
  await stop(server);
}

const { seedMs, run, report, walk, bare, walkWait } = result;
const rows = [
  ['shells seeded', `${shells} (${concurrency} POSTs in flight)`],
  ['seeding time', `${Math.round(seedMs)} ms (${Math.round((shells / seedMs) * 1000)} shells/s)`],
  ['run wall time', `${Math.round(run.wallMs)} ms`],
  ['check phase (report.run.phases.checksMs)', `${report.run?.phases?.checksMs ?? '?'} ms`],
  ['aas.pagination.walk', walk ? `${walk.durationMs} ms (${walk.outcome})${walk.durationMs < 5000 ? ', goal < 5 s: met' : ', goal < 5 s: NOT met'}` : 'not in the report'],
  ['  of it waiting for the server (HAR)', walkWait ? `${walkWait.ms} ms over ${walkWait.exchanges} exchanges` : 'no HAR evidence'],
  ['bare walk, fetch only (server alone)', `${Math.round(bare.ms)} ms: ${bare.pages} pages of 100, ${bare.items} shells`],
  ['peak RSS of the run process', `${Math.round(run.peakMb)} MB (${run.rssSource})`],
  ['verdict', `${report.verdict} (exit ${run.code})`],
];
const width = Math.max(...rows.map(([k]) => k.length));
console.log(`aas-walk: aas-repository-read-3-0 against the reference aas-server, Node ${process.version}`);
for (const [k, v] of rows) console.log(`  ${k.padEnd(width)}  ${v}`);
if (report.verdict !== 'CONFORMANT') {
  console.log('\nrequirements that did not pass:');
  for (const r of report.requirements.filter((q) => !['PASS', 'WARN', 'NA'].includes(q.outcome))) console.log(`  ${r.id} ${r.outcome}: ${r.reason.slice(0, 400)}`);
}
const slowest = [...report.checks].sort((a, b) => b.durationMs - a.durationMs).slice(0, 5);
console.log(`\nslowest checks: ${slowest.map((c) => `${c.id} ${c.durationMs} ms`).join(', ')}`);
if (keep) console.log(`\nbundle kept: ${result.out}`);
else rmSync(work, { recursive: true, force: true });
process.exitCode = report.verdict === 'CONFORMANT' && walk && walk.durationMs < 5000 ? 0 : 1;
