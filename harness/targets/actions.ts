import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline/promises';
import type { Redactor } from '../evidence/index.js';

export const ACTION_NAMES = ['restart', 'disconnect', 'start', 'stop', 'event'] as const;
export type ActionName = (typeof ACTION_NAMES)[number];

export const ACTION_MEANINGS: Readonly<Record<ActionName, string>> = {
  restart: 'restart the target (it reconnects and announces itself again)',
  disconnect: 'cut the target off the broker ungracefully (kill the process or the network, no MQTT DISCONNECT)',
  start: 'start the target',
  stop: 'stop the target gracefully',
  event: 'make the target publish an Event (any category, e.g. by provoking a log line or a status change)',
};

export type ActionOutcome =
  | { readonly performed: true; readonly how: string }
  /** unavailable: nobody can perform it here (a NOT_EXECUTED); failed: it was tried and broke (an ERROR) */
  | { readonly performed: false; readonly kind: 'unavailable' | 'failed'; readonly reason: string };

/** What an embedded target can do by itself. */
export type BuiltInActions = Partial<Record<ActionName, () => Promise<void>>>;

export interface ActionPerformerOptions {
  readonly targetName: string;
  /** shell commands from the target file */
  readonly commands: Readonly<Record<string, string>>;
  readonly builtIn?: BuiltInActions;
  readonly timeoutMs: number;
  /** an operator can be asked on this terminal (a TTY, and not CI) */
  readonly interactive: boolean;
  readonly redact: Redactor;
  readonly say: (line: string) => void;
}

export type ActionPerformer = (name: ActionName) => Promise<ActionOutcome>;

/**
 * Performs target actions, in this order of preference: what an embedded target does itself, the target
 * file's command, the operator at the terminal. In CI with neither, the action is unavailable and the
 * check that needs it ends NOT_EXECUTED with that reason — never a silent pass.
 */
export function createActionPerformer(options: ActionPerformerOptions): ActionPerformer {
  return async (name) => {
    const builtIn = options.builtIn?.[name];
    if (builtIn) {
      try {
        await withDeadline(builtIn(), options.timeoutMs, `the embedded target's ${name}`);
        return { performed: true, how: `embedded ${name}` };
      } catch (error) {
        return { performed: false, kind: 'failed', reason: options.redact(`embedded ${name} failed: ${(error as Error).message}`) };
      }
    }
    const command = options.commands[name];
    if (command) return runCommand(name, command, options);
    if (options.interactive) return askOperator(name, options);
    return {
      performed: false,
      kind: 'unavailable',
      reason: `the target file has no "${name}" action and there is no operator to ask (non-interactive or CI)`,
    };
  };
}

function withDeadline<T>(promise: Promise<T>, timeoutMs: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} did not finish within ${timeoutMs} ms`)), timeoutMs);
    }),
  ]);
}

function runCommand(name: ActionName, command: string, options: ActionPerformerOptions): Promise<ActionOutcome> {
  return new Promise((resolve) => {
    const child = spawn(command, { shell: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const keep = (data: Buffer) => {
      output = (output + data.toString()).slice(-2000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      resolve({ performed: false, kind: 'failed', reason: `the "${name}" action did not finish within ${options.timeoutMs} ms` });
    }, options.timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      resolve({ performed: false, kind: 'failed', reason: options.redact(`the "${name}" action could not start: ${error.message}`) });
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      const tail = options.redact(output.trim().split('\n').at(-1) ?? '');
      if (code === 0) resolve({ performed: true, how: `the target file's "${name}" command` });
      else resolve({ performed: false, kind: 'failed', reason: `the "${name}" action exited with ${code}${tail ? `: ${tail}` : ''}` });
    });
  });
}

async function askOperator(name: ActionName, options: ActionPerformerOptions): Promise<ActionOutcome> {
  const seconds = Math.round(options.timeoutMs / 1000);
  options.say(`ACTION NEEDED on ${options.targetName}: ${ACTION_MEANINGS[name]}.`);
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await rl.question(`Press Enter when done, or type "skip" (${seconds} s): `, { signal: AbortSignal.timeout(options.timeoutMs) });
    if (answer.trim().toLowerCase() === 'skip') return { performed: false, kind: 'unavailable', reason: `the operator skipped the "${name}" action` };
    return { performed: true, how: 'the operator' };
  } catch {
    return { performed: false, kind: 'unavailable', reason: `the operator did not perform the "${name}" action within ${seconds} s` };
  } finally {
    rl.close();
  }
}
