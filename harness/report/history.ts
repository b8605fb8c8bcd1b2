import { appendFileSync, existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { Report } from '../model/index.js';
import { readReportFile } from './json.js';

/** The index of the runs in a reports folder: one JSON line per run, appended as each run ends. */
export const HISTORY_INDEX = 'index.jsonl';

export interface HistoryEntry {
  /** the bundle's folder name inside the reports folder */
  readonly dir: string;
  readonly runId: string;
  readonly startedAt: string;
  readonly profile: string;
  readonly profileVersion: string;
  readonly target: string;
  readonly verdict: Report['verdict'];
  readonly mode: Report['run']['mode'];
  readonly certifying: boolean;
  readonly counts: Readonly<Record<string, number>>;
}

export function historyEntryOf(dir: string, report: Report): HistoryEntry {
  return {
    dir,
    runId: report.run.id,
    startedAt: report.run.startedAt,
    profile: report.profile.id,
    profileVersion: report.profile.version,
    target: report.target.name,
    verdict: report.verdict,
    mode: report.run.mode,
    certifying: report.run.certifying,
    counts: Object.fromEntries(Object.entries(report.counts).filter(([, n]) => n > 0)),
  };
}

/**
 * Adds a finished run to the index of the folder its bundle lies in. One short line per append: concurrent runs
 * (a CI matrix, a plugfest) each add whole lines.
 */
export function recordRun(bundleDir: string, report: Report): void {
  const folder = dirname(resolve(bundleDir));
  appendFileSync(join(folder, HISTORY_INDEX), JSON.stringify(historyEntryOf(basename(bundleDir), report)) + '\n');
}

export interface History {
  readonly entries: readonly (HistoryEntry & { readonly present: boolean })[];
  /** lines of the index that could not be read, and bundles found that the index did not list */
  readonly notes: readonly string[];
}

/**
 * The runs of a reports folder, oldest first. The index is the record; bundles on disk that it does not list
 * (runs from before the index, or copied in) are added from their report.json, and a listed bundle that was
 * deleted stays listed, marked absent.
 */
export function readHistory(folder: string): History {
  const notes: string[] = [];
  const entries = new Map<string, HistoryEntry>();
  const indexPath = join(folder, HISTORY_INDEX);
  if (existsSync(indexPath)) {
    for (const [number, line] of readFileSync(indexPath, 'utf8').split('\n').entries()) {
      if (!line.trim()) continue;
      try {
        const entry = JSON.parse(line) as HistoryEntry;
        if (typeof entry.dir !== 'string' || typeof entry.verdict !== 'string') throw new Error('not an entry');
        entries.set(`${entry.dir}\u0000${entry.runId}`, entry);
      } catch {
        notes.push(`${HISTORY_INDEX}:${number + 1}: not a history entry, skipped`);
      }
    }
  }
  const listed = new Set([...entries.values()].map((e) => e.dir));
  const folders = existsSync(folder) ? readdirSync(folder, { withFileTypes: true }).filter((d) => d.isDirectory() && !d.isSymbolicLink()) : [];
  for (const bundle of folders) {
    if (listed.has(bundle.name)) continue;
    // a folder without a valid report.json is not a bundle (or a broken one): it is not a run to list
    const read = readReportFile(join(folder, bundle.name, 'report.json'));
    if (!read.ok) continue;
    entries.set(`${bundle.name}\u0000${read.report.run.id}`, historyEntryOf(bundle.name, read.report));
    notes.push(`${bundle.name}: not in the index, read from its report.json`);
  }
  const all = [...entries.values()]
    .map((e) => ({ ...e, present: existsSync(join(folder, e.dir, 'report.json')) }))
    .sort((a, b) => a.startedAt.localeCompare(b.startedAt) || a.dir.localeCompare(b.dir));
  return { entries: all, notes };
}
