import type { CheckResult } from '../model/index.js';
import type { ConsoleStyle } from '../report/index.js';

export interface Terminal {
  readonly style: ConsoleStyle;
  /** progress and notes go to stderr, so stdout stays clean for --json and pipes */
  info(line: string): void;
  /** a line that the next one may overwrite (TTY only) */
  status(line: string): void;
  out(text: string): void;
}

export function createTerminal(options: { color?: boolean } = {}): Terminal {
  const tty = Boolean(process.stderr.isTTY);
  const color = options.color ?? (tty && !process.env['NO_COLOR']);
  const width = Math.max(60, Math.min(process.stdout.columns ?? 120, 160));
  let pending = false;
  const clear = () => {
    if (pending) {
      process.stderr.write('\r\x1b[2K');
      pending = false;
    }
  };
  return {
    style: { color, width },
    info(line) {
      clear();
      process.stderr.write(`${line}\n`);
    },
    status(line) {
      if (!tty) return;
      clear();
      process.stderr.write(line.slice(0, width - 1));
      pending = true;
    },
    out(text) {
      clear();
      process.stdout.write(text);
    },
  };
}

const MARK: Record<CheckResult['outcome'], string> = { PASS: 'pass', FAIL: 'FAIL', WARN: 'warn', NA: 'n/a ', NOT_EXECUTED: 'skip', ERROR: 'ERR ' };

/** Progress of a run: which check runs and how many remain. */
export function progressPrinter(terminal: Terminal) {
  return {
    preflight(message: string) {
      terminal.info(`… ${message}`);
    },
    notice(line: string) {
      terminal.info(line);
    },
    checkStarted({ index, total, id }: { index: number; total: number; id: string }) {
      terminal.status(`[${index}/${total}] ${id} … (${total - index} remaining)`);
    },
    checkEnded(result: CheckResult, { index, total }: { index: number; total: number }) {
      const message = result.outcome === 'PASS' ? '' : ` — ${result.message.replace(/\s+/g, ' ').slice(0, terminal.style.width - 40)}`;
      terminal.info(`[${String(index).padStart(String(total).length)}/${total}] ${MARK[result.outcome]} ${result.id}${message}`);
    },
  };
}
