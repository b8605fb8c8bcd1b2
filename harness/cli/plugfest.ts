import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { positiveInteger } from './option-parsers.js';
import { loadLibrary, PROJECT_ROOT } from '../catalog/index.js';
import { ConfigError } from '../model/index.js';
import { loadPlugfestPlan, PLUGFEST_HTML, runPlugfest, type PlugfestResult } from '../plugfest/index.js';
import { startEmbeddedBroker } from '../targets/index.js';
import { devices } from './kinds.js';
import { defaultOutDir } from './out-dir.js';
import { createTerminal, type Terminal } from './terminal.js';

export interface PlugfestCommandOptions {
  readonly file: string;
  readonly out?: string;
  readonly concurrency?: number;
  readonly color?: boolean;
}

/** The matrix for the terminal: one line per target, then what the cross-target checks did not pass. */
function renderSummary(result: PlugfestResult, outDir: string): string {
  const width = Math.max(...result.targets.map((t) => t.name.length), 6);
  const lines = result.targets.map((t) => `${t.name.padEnd(width)}  ${t.runs.map((r) => `${r.profile} ${r.verdict}`).join(' · ')}`);
  const notPassed = result.crossTarget.results.filter((r) => r.outcome !== 'PASS');
  if (result.crossTarget.applies) {
    lines.push('', `cross-target: ${result.crossTarget.results.length - notPassed.length} PASS, ${notPassed.length} not passed`);
    for (const r of notPassed) lines.push(`  ${r.outcome.padEnd(12)} ${r.requirement} ${r.target}: ${r.reason}`);
  }
  lines.push('', `plugfest ${result.name}: ${result.verdict} (exit code ${result.exitCode})${result.interrupted ? ' — interrupted: the matrix holds what finished' : ''}`);
  lines.push(`matrix: ${join(outDir, PLUGFEST_HTML)}`);
  return lines.join('\n') + '\n';
}

/**
 * `oi4-conformance plugfest <file>`: every target of the file with its profiles, targets side by side, and the
 * matrix. The file is checked completely before anything starts (exit 2 with one line).
 */
export async function plugfestCommand(options: PlugfestCommandOptions): Promise<number> {
  const terminal: Terminal = createTerminal(options.color === undefined ? {} : { color: options.color });
  const library = loadLibrary();
  const plan = loadPlugfestPlan(options.file, { library, devices, ...(options.concurrency !== undefined && { concurrency: options.concurrency }) });
  const outDir = options.out !== undefined ? resolve(options.out) : (plan.out ?? defaultOutDir('plugfest', plan.name));
  // runs write their bundles below it: an earlier plugfest's reports must not be mixed into this matrix
  if (existsSync(outDir) && readdirSync(outDir).length > 0) throw new ConfigError(`${outDir} exists and is not empty; give another --out`);
  const runs = plan.targets.reduce((n, t) => n + t.runs.length, 0);
  terminal.info(
    `oi4-conformance plugfest ${plan.name}: ${plan.targets.length} target(s), ${runs} run(s), ${plan.mode} mode${plan.mode === 'quick' ? ' (not a certification)' : ''}, ${plan.concurrency} at a time → ${outDir}`,
  );

  const interrupt = new AbortController();
  const kill = new AbortController();
  const onSignal = () => {
    if (!interrupt.signal.aborted) {
      terminal.info('interrupted: asking the running runs to finish their reports, starting no more (Ctrl-C again to kill them)');
      interrupt.abort();
    } else if (!kill.signal.aborted) {
      terminal.info('killing the running runs; the matrix is still written');
      kill.abort();
    }
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const result = await runPlugfest({
      plan,
      outDir,
      cli: join(PROJECT_ROOT, 'bin', 'oi4-conformance.mjs'),
      startBroker: () => startEmbeddedBroker(),
      progress: (line) => terminal.info(line),
      signal: interrupt.signal,
      killSignal: kill.signal,
    });
    terminal.out(renderSummary(result, outDir));
    return result.exitCode;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

export function registerPlugfest(cli: Command, setExit: (code: number) => void): void {
  cli
    .command('plugfest')
    .description("run many targets, each with its profiles (targets side by side), and write a matrix linking every run's report")
    .argument('<plugfest.yaml>', 'the plugfest file: name, targets with their profiles, mode, concurrency, broker')
    .option('--out <dir>', "the plugfest's folder (default: the file's out, else reports/<timestamp>-plugfest-<name>/)")
    .option('--concurrency <n>', 'how many targets run at once (default: the file\'s concurrency, else 2)', positiveInteger)
    .addOption(new Option('--no-color', 'plain output'))
    .action(async (file: string, options: { out?: string; concurrency?: number; color: boolean }) => {
      const { color, ...rest } = options;
      setExit(await plugfestCommand({ file, ...rest, ...(color === false && { color: false }) }));
    });
}
