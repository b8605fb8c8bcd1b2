import { join } from 'node:path';
import type { Redactor } from '../evidence/index.js';
import { runRecord, type RunRecord } from './cells.js';
import { runChild, type ChildResult } from './child.js';
import type { TargetRecords } from './matrix.js';
import { runArguments, type PlannedRun, type PlannedTarget, type PlugfestPlan } from './plan.js';

export interface RunnerOptions {
  readonly plan: PlugfestPlan;
  readonly outDir: string;
  /** the CLI entry (bin/oi4-conformance.mjs): every run is a process of our own CLI */
  readonly cli: string;
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
  /** the shared broker the embedded OI4 devices go to */
  readonly brokerUrl?: string;
  readonly redact: Redactor;
  /** called once per finished run, in the order runs finish */
  readonly onRunEnd?: (target: PlannedTarget, run: RunRecord, done: number, total: number) => void;
  /** the operator's first Ctrl-C: start nothing more, ask running runs to finish */
  readonly signal?: AbortSignal;
  /** the second: kill what still runs */
  readonly killSignal?: AbortSignal;
}

/**
 * Runs the plan: a target's profiles one after the other (a target is shared state: one run at a time), different
 * targets side by side, at most `concurrency` at once. A simple queue of targets that each free lane takes from, so
 * a lane never waits on a timer, only on its run's end.
 */
export async function runTargets(options: RunnerOptions): Promise<TargetRecords[]> {
  const { plan } = options;
  const total = plan.targets.reduce((n, t) => n + t.runs.length, 0);
  let done = 0;
  const results = new Map<PlannedTarget, RunRecord[]>();
  const queue = [...plan.targets];

  const runOne = async (target: PlannedTarget, run: PlannedRun): Promise<RunRecord> => {
    let child: ChildResult | undefined;
    if (!options.signal?.aborted) {
      child = await runChild({
        command: process.execPath,
        args: [options.cli, ...runArguments(plan, target, run, { outDir: join(options.outDir, run.dir), ...(options.brokerUrl !== undefined && { brokerUrl: options.brokerUrl }) })],
        cwd: options.cwd,
        env: options.env,
        logFile: join(options.outDir, run.log),
        timeoutMs: run.timeoutMs,
        ...(options.signal && { signal: options.signal }),
        ...(options.killSignal && { killSignal: options.killSignal }),
      });
    }
    const record = runRecord(options.outDir, run, child, options.redact);
    if (child) options.onRunEnd?.(target, record, ++done, total);
    return record;
  };

  const lane = async () => {
    for (let target = queue.shift(); target !== undefined; target = queue.shift()) {
      const records: RunRecord[] = [];
      results.set(target, records);
      for (const run of target.runs) records.push(await runOne(target, run));
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(plan.concurrency, plan.targets.length)) }, lane));
  // in the plan's order, whatever order they finished in
  return plan.targets.map((target) => ({ target, runs: results.get(target) ?? [] }));
}
