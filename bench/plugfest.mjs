#!/usr/bin/env node
// Benchmark: one plugfest of many embedded reference devices on one shared broker, started as a lab would
// (`oi4-conformance plugfest <file>`), in quick mode. Measures the wall time of the whole plugfest and the peak RSS
// of its whole process tree (the plugfest process with its in-process broker, plus every `run` child and its check
// worker), sampled from /proc; the CPU time of the tree from the plugfest's /proc stat (its own and its reaped
// children's). Checks that the result is the expected one: every run CONFORMANT, every cross-target check PASS.
// Usage: node bench/plugfest.mjs [devices=50] [--concurrency=3] [--keep]   (Linux: reads /proc)
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const args = process.argv.slice(2);
const devices = Number(args.find((a) => /^\d+$/.test(a)) ?? 50);
const concurrency = Number(args.find((a) => a.startsWith('--concurrency='))?.split('=')[1] ?? 3);
const keep = args.includes('--keep');
const CLOCK_TICKS = 100; // USER_HZ on Linux

// mostly applications and devices, a few gateways: the mix of a lab's OI4 day
function deviceFor(i) {
  if (i % 10 === 9) return { device: 'oi4-gateway', profile: 'oi4-oec-gateway' };
  return i % 2 === 0 ? { device: 'oi4-app', profile: 'oi4-oec-application' } : { device: 'oi4-device', profile: 'oi4-oec-device' };
}

function status(pid) {
  try {
    const text = readFileSync(`/proc/${pid}/status`, 'utf8');
    return { rssKb: Number(/VmRSS:\s+(\d+) kB/.exec(text)?.[1] ?? 0), ppid: Number(/PPid:\s+(\d+)/.exec(text)?.[1] ?? 0) };
  } catch {
    return undefined;
  }
}

/** RSS of a process and all its descendants (by parent pid: the runs lead process groups of their own). */
function tree(rootPid) {
  const children = new Map();
  const rss = new Map();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const s = status(Number(name));
    if (!s) continue;
    rss.set(Number(name), s.rssKb);
    children.set(s.ppid, [...(children.get(s.ppid) ?? []), Number(name)]);
  }
  let totalKb = 0;
  let processes = 0;
  const stack = [rootPid];
  while (stack.length) {
    const pid = stack.pop();
    if (!rss.has(pid)) continue;
    totalKb += rss.get(pid);
    processes++;
    stack.push(...(children.get(pid) ?? []));
  }
  return { totalKb, processes, rootKb: rss.get(rootPid) ?? 0 };
}

/** utime + stime + cutime + cstime of a process, in seconds: itself and its children that have ended. */
function cpuSeconds(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return fields.slice(11, 15).reduce((n, f) => n + Number(f), 0) / CLOCK_TICKS;
  } catch {
    return undefined;
  }
}

const dir = mkdtempSync(join(tmpdir(), 'oi4c-bench-plugfest-'));
const targets = Array.from({ length: devices }, (_, i) => {
  const { device, profile } = deviceFor(i);
  return `  - { name: ${device}-${String(i + 1).padStart(2, '0')}, target: "embedded:${device}", profiles: [${profile}] }`;
});
const file = join(dir, 'plugfest.yaml');
writeFileSync(file, `name: bench-${devices}\nmode: quick\nconcurrency: ${concurrency}\nbroker: embedded\ntargets:\n${targets.join('\n')}\n`);
const out = join(dir, 'out');

const started = performance.now();
const child = spawn(process.execPath, [join(root, 'bin/oi4-conformance.mjs'), 'plugfest', file, '--out', out], { cwd: root, stdio: ['ignore', 'ignore', 'pipe'] });
let stderr = '';
child.stderr.on('data', (d) => (stderr += d));
let peak = { totalKb: 0, processes: 0, rootKb: 0 };
let rootPeakKb = 0;
let mostProcesses = 0;
let cpu = 0;
const sampler = setInterval(() => {
  const now = tree(child.pid);
  if (now.totalKb > peak.totalKb) peak = now;
  rootPeakKb = Math.max(rootPeakKb, now.rootKb);
  mostProcesses = Math.max(mostProcesses, now.processes);
  cpu = cpuSeconds(child.pid) ?? cpu;
}, 100);
const code = await new Promise((resolve) => child.on('close', resolve));
clearInterval(sampler);
const wallMs = performance.now() - started;

const matrix = JSON.parse(readFileSync(join(out, 'plugfest.json'), 'utf8'));
const runs = matrix.targets.flatMap((t) => t.runs);
const durations = runs.map((r) => r.durationMs ?? 0).sort((a, b) => a - b);
const notConformant = runs.filter((r) => r.verdict !== 'CONFORMANT');
const crossNotPassed = matrix.crossTarget.results.filter((r) => r.outcome !== 'PASS');
const summary = {
  node: process.version,
  cores: availableParallelism(),
  devices,
  concurrency,
  exitCode: code,
  wallS: Number((wallMs / 1000).toFixed(1)),
  runsPerMinute: Number((runs.length / (wallMs / 60_000)).toFixed(1)),
  run: { medianS: Number((durations[Math.floor(durations.length / 2)] / 1000).toFixed(1)), maxS: Number((durations.at(-1) / 1000).toFixed(1)) },
  cpuS: Number(cpu.toFixed(1)),
  peakRssTreeMb: Math.round(peak.totalKb / 1024),
  processesAtPeak: peak.processes,
  mostProcesses,
  peakRssPlugfestProcessMb: Math.round(rootPeakKb / 1024),
  verdicts: matrix.counts.runs,
  crossTarget: matrix.counts.crossTarget,
  observedMamMessages: matrix.crossTarget.observer?.messages,
};
console.log(JSON.stringify(summary, null, 2));
if (!keep) rmSync(dir, { recursive: true, force: true });
else console.error(`kept: ${out}`);
if (code !== 0 || notConformant.length || crossNotPassed.length) {
  console.error(`unexpected result: exit ${code}; ${notConformant.length} run(s) not CONFORMANT; ${crossNotPassed.length} cross-target check(s) not PASS`);
  console.error(stderr.split('\n').slice(-15).join('\n'));
  process.exitCode = 1;
}
