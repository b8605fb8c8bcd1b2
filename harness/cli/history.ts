import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { ConfigError } from '../model/index.js';
import { readHistory } from '../report/index.js';

/** `oi4-conformance history`: the runs of a reports folder, oldest first, with verdicts. */
export function historyCommand(options: { dir: string; profile?: string; target?: string; limit?: number; json?: boolean }): number {
  const folder = resolve(options.dir);
  if (!existsSync(folder)) throw new ConfigError(`${options.dir}: no such reports folder (runs write to reports/ by default)`);
  const history = readHistory(folder);
  let entries = history.entries.filter((e) => (options.profile === undefined || e.profile === options.profile) && (options.target === undefined || e.target === options.target));
  if (options.limit !== undefined) entries = entries.slice(-options.limit);
  if (options.json) {
    process.stdout.write(JSON.stringify({ folder: options.dir, entries, notes: history.notes }, null, 2) + '\n');
    return 0;
  }
  if (entries.length === 0) {
    process.stdout.write(`no runs recorded in ${options.dir}\n`);
    return 0;
  }
  const lines = entries.map((e) => {
    const marks = [e.mode === 'quick' ? 'quick' : '', e.certifying ? '' : 'non-certifying', e.present ? '' : 'bundle deleted'].filter(Boolean).join(', ');
    const counts = Object.entries(e.counts)
      .map(([outcome, n]) => `${n} ${outcome}`)
      .join(', ');
    return `${e.startedAt.replace(/\.\d+Z$/, 'Z')}  ${e.verdict.padEnd(14)}  ${e.profile} ${e.profileVersion}  ${e.target}  ${counts}${marks ? `  [${marks}]` : ''}  ${e.dir}`;
  });
  for (const note of history.notes) lines.push(`note: ${note}`);
  process.stdout.write(lines.join('\n') + '\n');
  return 0;
}
