import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRedactor, MqttLog } from '../evidence/index.js';
import { writeManifest } from '../report/index.js';
import type { EmbeddedBroker } from '../targets/index.js';
import type { RunRecord } from './cells.js';
import { crossTargetChecks, type Participant } from './cross-checks.js';
import { buildMatrix, type CrossTargetSection, type TargetRecords } from './matrix.js';
import { writePlugfestHtml } from './matrix-html.js';
import { writePlugfestJson, type PlugfestResult } from './matrix-json.js';
import { MamObserver, type MamObservation } from './observer.js';
import type { PlannedTarget, PlugfestPlan } from './plan.js';
import { runTargets } from './runner.js';

export const OBSERVER_EVIDENCE = 'evidence/mam-observer.jsonl';

export interface PlugfestRunOptions {
  readonly plan: PlugfestPlan;
  readonly outDir: string;
  /** the CLI entry every run is started with */
  readonly cli: string;
  readonly cwd?: string;
  readonly env?: NodeJS.ProcessEnv;
  /** starts the shared broker (startEmbeddedBroker; injected so the plugfest module stays free of the wiring) */
  readonly startBroker: () => Promise<EmbeddedBroker>;
  /** one line per event worth telling the operator (a run ended, the broker started) */
  readonly progress?: (line: string) => void;
  readonly signal?: AbortSignal;
  readonly killSignal?: AbortSignal;
}

function summaryOf(record: RunRecord): string {
  const { cell } = record;
  const fails = cell.counts ? [cell.counts.FAIL && `${cell.counts.FAIL} FAIL`, cell.counts.ERROR && `${cell.counts.ERROR} ERROR`].filter(Boolean).join(', ') : '';
  const why = cell.verdict === 'ERROR' ? cell.errors[0] : fails;
  return `${cell.verdict}${cell.durationMs !== null ? ` (${(cell.durationMs / 1000).toFixed(1)} s)` : ''}${why ? ` — ${why}` : ''}`;
}

/**
 * A whole plugfest: the shared broker and its observer up before the first run, the runs, the cross-target checks,
 * and the matrix (plugfest.json, plugfest.html, manifest.sha256) written even when the operator interrupted.
 */
export async function runPlugfest(options: PlugfestRunOptions): Promise<PlugfestResult> {
  const { plan, outDir } = options;
  const progress = options.progress ?? (() => {});
  const redact = createRedactor(plan.secrets);
  const startedAt = new Date();
  const errors: string[] = [];
  mkdirSync(outDir, { recursive: true });

  const participants = plan.targets.filter((t) => t.kind === 'oi4-mqtt');
  const sharing = participants.filter((t) => t.onSharedBroker);
  let broker: EmbeddedBroker | undefined;
  let observer: MamObserver | undefined;
  let observerError: string | undefined;
  const evidence = new MqttLog(redact);
  if (plan.sharedBroker && sharing.length > 0) {
    broker = await options.startBroker();
    progress(`shared broker ${broker.url} for ${sharing.length} embedded OI4 device(s)`);
    try {
      observer = await MamObserver.open({ broker: { url: broker.url, clientIdPrefix: 'oi4-conformance' }, log: evidence });
    } catch (error) {
      observerError = error instanceof Error ? error.message : String(error);
      errors.push(`the observer of the shared broker could not start: ${observerError}`);
    }
  }

  let records: TargetRecords[];
  let observation: MamObservation | undefined;
  try {
    records = await runTargets({
      plan,
      outDir,
      cli: options.cli,
      cwd: options.cwd ?? process.cwd(),
      env: { ...(options.env ?? process.env), NO_COLOR: '1' },
      ...(broker && { brokerUrl: broker.url }),
      redact,
      onRunEnd: (target: PlannedTarget, record: RunRecord, done: number, total: number) => {
        progress(`[${String(done).padStart(String(total).length)}/${total}] ${target.name} · ${record.cell.profile}: ${summaryOf(record)}`);
      },
      ...(options.signal && { signal: options.signal }),
      ...(options.killSignal && { killSignal: options.killSignal }),
    });
  } finally {
    observation = await observer?.close();
    await broker?.close();
  }

  let cross: CrossTargetSection;
  if (!plan.sharedBroker) {
    cross = { applies: false, reason: 'no cross-target checks: the plugfest has no shared broker (broker: embedded), so every embedded device had its own', results: [] };
  } else if (sharing.length < 2) {
    cross = { applies: false, reason: `no cross-target checks: ${sharing.length} OI4 target(s) on the shared broker; they need two or more`, results: [] };
  } else {
    if (observation) {
      mkdirSync(join(outDir, 'evidence'), { recursive: true });
      writeFileSync(join(outDir, OBSERVER_EVIDENCE), evidence.toJsonLines());
    }
    const byTarget = new Map(records.map((r) => [r.target, r.runs]));
    const people: Participant[] = participants.map((target) => {
      const runs = byTarget.get(target) ?? [];
      return {
        name: target.name,
        onSharedBroker: target.onSharedBroker,
        ...(target.offSharedBrokerBecause !== undefined && { offSharedBrokerBecause: target.offSharedBrokerBecause }),
        reports: runs.flatMap((r) => (r.report ? [r.report] : [])),
        runsWithoutReport: runs.filter((r) => !r.report).length,
      };
    });
    cross = {
      applies: true,
      reason: `${sharing.length} of ${participants.length} OI4 target(s) shared the plugfest's broker; every OI4 target is a participant`,
      ...(observation && { observation, evidence: OBSERVER_EVIDENCE }),
      results: crossTargetChecks({ participants: people, ...(observation && { observation }), ...(observerError !== undefined && { observerError }) }),
    };
  }

  const result = buildMatrix({
    plan,
    targets: records,
    cross,
    ...(broker && { brokerUrl: broker.url }),
    startedAt,
    endedAt: new Date(),
    interrupted: options.signal?.aborted ?? false,
    errors,
  });
  writePlugfestJson(outDir, result);
  writePlugfestHtml(outDir, result);
  writeManifest(outDir);
  return result;
}
