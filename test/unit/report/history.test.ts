import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HISTORY_INDEX, readHistory, recordRun } from '../../../harness/report/index.js';
import { minimalReport } from '../support/report.js';
import { useTempDirs } from '../support/temp.js';

const temp = useTempDirs();

function bundle(folder: string, name: string, startedAt: string, verdict: 'CONFORMANT' | 'NOT_CONFORMANT' = 'CONFORMANT') {
  const report = minimalReport({ verdict, run: { ...minimalReport().run, id: `run-${name}`, startedAt } });
  mkdirSync(join(folder, name), { recursive: true });
  writeFileSync(join(folder, name, 'report.json'), JSON.stringify(report));
  return report;
}

describe('history of a reports folder', () => {
  it('records one line per run and lists the runs oldest first', () => {
    const folder = temp.make();
    recordRun(join(folder, 'b'), bundle(folder, 'b', '2026-02-01T00:00:00.000Z', 'NOT_CONFORMANT'));
    recordRun(join(folder, 'a'), bundle(folder, 'a', '2026-01-01T00:00:00.000Z'));
    expect(readFileSync(join(folder, HISTORY_INDEX), 'utf8').trim().split('\n')).toHaveLength(2);
    const { entries, notes } = readHistory(folder);
    expect(entries.map((e) => `${e.dir} ${e.verdict} ${e.present}`)).toEqual(['a CONFORMANT true', 'b NOT_CONFORMANT true']);
    expect(notes).toEqual([]);
  });

  it('adds bundles the index does not list, keeps deleted ones marked, and skips lines it cannot read', () => {
    const folder = temp.make();
    recordRun(join(folder, 'gone'), bundle(folder, 'gone', '2026-01-01T00:00:00.000Z'));
    rmSync(join(folder, 'gone'), { recursive: true });
    bundle(folder, 'copied-in', '2026-03-01T00:00:00.000Z');
    mkdirSync(join(folder, 'not-a-bundle'));
    writeFileSync(join(folder, HISTORY_INDEX), '{"half a line\n', { flag: 'a' });
    const { entries, notes } = readHistory(folder);
    expect(entries.map((e) => `${e.dir} ${e.present}`)).toEqual(['gone false', 'copied-in true']);
    expect(notes).toEqual([`${HISTORY_INDEX}:2: not a history entry, skipped`, 'copied-in: not in the index, read from its report.json']);
  });
});
