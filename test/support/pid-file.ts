import { readFileSync } from 'node:fs';

/** The process id a reference device wrote to its --pid-file, or undefined while there is none. */
export function pidIn(file: string): number | undefined {
  try {
    const pid = Number(readFileSync(file, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}
