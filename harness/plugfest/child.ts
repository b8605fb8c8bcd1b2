import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';

/** How one child process ended. */
export interface ChildResult {
  /** the exit code, or null when a signal ended it */
  readonly exitCode: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly startedAt: Date;
  readonly durationMs: number;
  /** set when the plugfest ended it: the deadline passed, or the operator interrupted */
  readonly stoppedBecause?: string;
  /** the process could not be started at all */
  readonly spawnError?: string;
}

export interface ChildOptions {
  readonly command: string;
  readonly args: readonly string[];
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
  /** stdout and stderr both go here */
  readonly logFile: string;
  readonly timeoutMs: number;
  /** aborting asks the child to finish (SIGINT: a run then writes the report of what ran) */
  readonly signal?: AbortSignal;
  /** after an interrupt, how long the child may take to write its report before it is killed */
  readonly interruptGraceMs?: number;
  /** a second abort: kill at once */
  readonly killSignal?: AbortSignal;
}

/** stoppedBecause of a child asked to finish by the operator's Ctrl-C (it may still have written its report) */
export const INTERRUPTED = 'interrupted by the operator';

/** Every child process group still running, so that an exiting plugfest never leaves one behind. */
const running = new Set<number>();
let exitHookInstalled = false;

function killGroup(pid: number): void {
  try {
    // the child leads its own process group (detached): this ends its check worker and any device it started too
    process.kill(-pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const pid of running) killGroup(pid);
  });
}

/**
 * Runs one child process with its output in a log file and a deadline. The child gets a process group of its
 * own: a Ctrl-C in the terminal reaches the plugfest only, which then asks each child once to finish, and a stuck
 * child is killed with everything it started. Never rejects: a child that cannot start is a result too.
 */
export function runChild(options: ChildOptions): Promise<ChildResult> {
  installExitHook();
  mkdirSync(dirname(options.logFile), { recursive: true });
  const log = openSync(options.logFile, 'w');
  const startedAt = new Date();
  const began = performance.now();
  return new Promise<ChildResult>((resolveResult) => {
    let stoppedBecause: string | undefined;
    let spawnError: string | undefined;
    let graceTimer: NodeJS.Timeout | undefined;
    const child = spawn(options.command, [...options.args], {
      cwd: options.cwd,
      env: options.env,
      detached: true,
      stdio: ['ignore', log, log],
    });
    const pid = child.pid;
    if (pid !== undefined) running.add(pid);
    // a kill after the operator's interrupt says so: the run did not get to finish its report
    const stopNow = (reason: string) => {
      stoppedBecause = stoppedBecause === undefined || stoppedBecause === INTERRUPTED ? reason : stoppedBecause;
      if (pid !== undefined) killGroup(pid);
    };
    const deadline = setTimeout(() => stopNow(`no result within the run timeout (${options.timeoutMs} ms): the run was killed`), options.timeoutMs);
    const onAbort = () => {
      stoppedBecause ??= INTERRUPTED;
      // only the run process: it finishes its report; its check worker is its own business
      if (pid !== undefined) {
        try {
          process.kill(pid, 'SIGINT');
        } catch {
          // already gone
        }
      }
      graceTimer = setTimeout(() => stopNow(`${INTERRUPTED}, and it did not finish in time: killed`), options.interruptGraceMs ?? 30_000);
    };
    const onKill = () => stopNow(`${INTERRUPTED}: killed`);
    if (options.signal?.aborted) onAbort();
    else options.signal?.addEventListener('abort', onAbort, { once: true });
    if (options.killSignal?.aborted) onKill();
    else options.killSignal?.addEventListener('abort', onKill, { once: true });

    let settled = false;
    const finish = (exitCode: number | null, signal: NodeJS.Signals | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      if (graceTimer) clearTimeout(graceTimer);
      options.signal?.removeEventListener('abort', onAbort);
      options.killSignal?.removeEventListener('abort', onKill);
      if (pid !== undefined) running.delete(pid);
      closeSync(log);
      resolveResult({
        exitCode,
        signal,
        startedAt,
        durationMs: Math.round(performance.now() - began),
        ...(stoppedBecause !== undefined && { stoppedBecause }),
        ...(spawnError !== undefined && { spawnError }),
      });
    };
    child.once('error', (error) => {
      spawnError = error.message;
      finish(null, null);
    });
    child.once('exit', (code, signal) => finish(code, signal));
  });
}
