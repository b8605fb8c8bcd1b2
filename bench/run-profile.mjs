#!/usr/bin/env node
// Benchmark: an oi4-oec-application run against embedded:oi4-app, as a user starts it, in quick mode: the
// lifecycle checks of a full run wait on the guideline's clock (three 60 s heartbeats), which measures the
// guideline, not the harness.
// Measures wall time of the whole process, the check phase (from report.json), and peak RSS of the main
// process (VmHWM) and of the whole process tree (main + vitest's check worker), sampled from /proc.
// Usage: node bench/run-profile.mjs [runs=5]   (Linux: reads /proc)
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const runs = Number(process.argv[2] ?? 5);

function status(pid) {
  try {
    const text = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (key) => Number(new RegExp(`${key}:\\s+(\\d+) kB`).exec(text)?.[1] ?? 0);
    return { rss: kb('VmRSS'), hwm: kb('VmHWM'), ppid: Number(/PPid:\s+(\d+)/.exec(text)?.[1] ?? 0) };
  } catch {
    return undefined;
  }
}

function treeRss(rootPid) {
  const all = readdirSync('/proc').filter((d) => /^\d+$/.test(d)).map(Number);
  const children = new Map();
  for (const pid of all) {
    const s = status(pid);
    if (s) children.set(s.ppid, [...(children.get(s.ppid) ?? []), pid]);
  }
  let total = 0;
  const stack = [rootPid];
  while (stack.length) {
    const pid = stack.pop();
    total += status(pid)?.rss ?? 0;
    stack.push(...(children.get(pid) ?? []));
  }
  return total;
}

async function once() {
  const out = mkdtempSync(join(tmpdir(), 'oi4c-bench-'));
  const started = performance.now();
  const child = spawn(process.execPath, [join(root, 'bin/oi4-conformance.mjs'), 'run', '--profile', 'oi4-oec-application', '--target', 'embedded:oi4-app', '--out', out, '--mode', 'quick'], {
    stdio: 'ignore',
  });
  let mainPeak = 0;
  let treePeak = 0;
  const sampler = setInterval(() => {
    mainPeak = Math.max(mainPeak, status(child.pid)?.hwm ?? 0);
    treePeak = Math.max(treePeak, treeRss(child.pid));
  }, 20);
  const code = await new Promise((resolve) => child.on('close', resolve));
  clearInterval(sampler);
  const wallMs = performance.now() - started;
  const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
  if (code !== 0 || report.verdict !== 'CONFORMANT') throw new Error(`run failed: exit ${code}, verdict ${report.verdict}`);
  return { wallMs, checksMs: report.run.phases.checksMs, preflightMs: report.run.phases.preflightMs, mainPeakMb: mainPeak / 1024, treePeakMb: treePeak / 1024 };
}

// the first run builds the CLI bundle if it is stale; it is not counted
await once();
const results = [];
for (let i = 0; i < runs; i++) results.push(await once());
const median = (key) => [...results].map((r) => r[key]).sort((a, b) => a - b)[Math.floor(results.length / 2)];
const max = (key) => Math.max(...results.map((r) => r[key]));
const summary = {
  node: process.version,
  runs,
  wallMs: { median: Math.round(median('wallMs')), max: Math.round(max('wallMs')) },
  checksMs: { median: Math.round(median('checksMs')), max: Math.round(max('checksMs')) },
  mainPeakRssMb: { median: Math.round(median('mainPeakMb')), max: Math.round(max('mainPeakMb')) },
  treePeakRssMb: { median: Math.round(median('treePeakMb')), max: Math.round(max('treePeakMb')) },
};
console.log(JSON.stringify(summary, null, 2));
