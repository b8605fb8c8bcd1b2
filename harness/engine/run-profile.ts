import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { arch, platform } from 'node:os';
import type { Library } from '../catalog/index.js';
import { suiteVersion } from '../catalog/index.js';
import { createRedactor, HarRecorder, MqttLog, OpcUaLog, redactUrl, sha256Hex } from '../evidence/index.js';
import { applyWaivers, countOutcomes, decideRequirements, decideVerdict, type LoadedWaivers } from '../verdict/index.js';
import { ConfigError, endpointOf, EXIT_CODES, secretsOf, type CheckResult, type Profile, type Report, type ResolvedTarget, type TargetIdentity } from '../model/index.js';
import { createActionPerformer, type BuiltInActions } from '../targets/actions.js';
import { prepareBundleDir } from '../report/bundle.js';
import { openActionChannel } from './action-channel.js';
import { hashSuites, planRun } from './plan.js';
import type { ProgressListener } from './reporter.js';
import { runChecks } from './run-checks.js';

/** What a target kind must do before checks run: reach it, fill in what discovery learns, read its identity. */
export type Preflight = (options: {
  target: ResolvedTarget;
  parameters: Readonly<Record<string, number>>;
  log: MqttLog;
  opcuaLog: OpcUaLog;
  /** HTTP exchanges (AAS targets), as HAR */
  har: HarRecorder;
  signal?: AbortSignal;
}) => Promise<{ target: ResolvedTarget; identities: readonly TargetIdentity[]; notes: readonly string[] }>;


export interface RunProfileOptions {
  readonly library: Library;
  readonly profile: Profile;
  readonly target: ResolvedTarget;
  readonly outDir: string;
  readonly only?: string;
  readonly mode?: 'full' | 'quick';
  /** FAILs accepted for now: shown as WAIVED, and the run is then not a certification */
  readonly waivers?: LoadedWaivers;
  readonly preflight: Preflight;
  /** what an embedded target can do by itself (restart, disconnect, …) */
  readonly builtInActions?: BuiltInActions;
  readonly progress?: ProgressListener & { preflight?(message: string): void; notice?(line: string): void };
  readonly signal?: AbortSignal;
}

export interface RunProfileResult {
  readonly report: Report;
  readonly exitCode: 0 | 1 | 3;
}

/**
 * One profile against one target: plan, preflight, checks, verdict, report.json. Writers of the other
 * bundle files (junit, manifest) run after, from the report. A failing broker or discovery does not throw:
 * it becomes an ERROR of the run, and a report is still written.
 */
export async function runProfile(options: RunProfileOptions): Promise<RunProfileResult> {
  const { library, profile, outDir } = options;
  let target = options.target;
  const runId = randomUUID();
  const startedAt = new Date();
  const started = performance.now();
  const mode = options.mode ?? 'full';
  const plan = planRun(profile, target, options.only, mode);
  const parameters = Object.fromEntries(Object.entries(plan.parameters).map(([name, p]) => [name, p.value]));
  prepareBundleDir(outDir);
  const redact = createRedactor(secretsOf(target));
  const errors: string[] = [];
  const notes: string[] = [];
  let identities: readonly TargetIdentity[] = [];
  let results: readonly CheckResult[] = [];

  // preflight: its traffic is evidence too
  const preflightLog = new MqttLog(redact);
  const preflightOpcUaLog = new OpcUaLog(redact);
  const preflightHar = new HarRecorder({ secrets: secretsOf(target) });
  let reachable = false;
  try {
    const discovering = target.kind === 'oi4-mqtt' && target.oi4.appId === 'discover';
    options.progress?.preflight?.(`connecting to ${redactUrl(endpointOf(target))}${discovering ? ' and discovering the target' : ''}`);
    const found = await options.preflight({ target, parameters, log: preflightLog, opcuaLog: preflightOpcUaLog, har: preflightHar, ...(options.signal && { signal: options.signal }) });
    target = found.target;
    identities = found.identities;
    notes.push(...found.notes.map(redact));
    reachable = true;
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    errors.push(redact(error instanceof Error ? error.message : String(error)));
  }
  const preflightMs = Math.round(performance.now() - started);
  for (const [log, name, text] of [
    [preflightLog, 'preflight.jsonl', () => preflightLog.toJsonLines()],
    [preflightOpcUaLog, 'preflight.opcua.jsonl', () => preflightOpcUaLog.toJsonLines()],
    [preflightHar, 'preflight.har', () => preflightHar.toHar()],
  ] as const) {
    if (log.total === 0) continue;
    mkdirSync(join(outDir, 'evidence'), { recursive: true });
    writeFileSync(join(outDir, 'evidence', name), text());
  }

  if (reachable && !options.signal?.aborted) {
    const channel = await openActionChannel(
      createActionPerformer({
        targetName: target.name,
        commands: target.actions,
        ...(options.builtInActions && { builtIn: options.builtInActions }),
        timeoutMs: parameters['actionTimeoutMs'] ?? 60_000,
        interactive: Boolean(process.stdin.isTTY) && process.env['CI'] !== 'true',
        redact,
        say: (line) => options.progress?.notice?.(line),
      }),
    );
    const run = await runChecks({
      suites: plan.suiteFiles,
      context: {
        runId,
        outDir,
        mode,
        profileId: profile.id,
        ...(profile.iri !== undefined && { profileIri: profile.iri }),
        target,
        parameters,
        levels: Object.fromEntries([...library.catalog.requirements].map(([id, r]) => [id, r.level])),
        selected: plan.selected,
        profileRequirements: [...profile.requirements, ...Object.entries(profile.optionalGroups ?? {}).filter(([g]) => target.claims.includes(g)).flatMap(([, ids]) => ids)],
        actions: { url: channel.url, token: channel.token },
      },
      ...(options.progress && { progress: options.progress }),
      ...(options.signal && { signal: options.signal }),
    }).finally(() => channel.close());
    results = run.results;
    errors.push(...run.errors.map(redact));
  }

  const checksMs = Math.round(performance.now() - started) - preflightMs;
  const decided = decideRequirements({ profile, catalog: library.catalog, results, claims: target.claims, selected: plan.selected, runErrors: errors });
  const waived = options.waivers ? applyWaivers(decided, options.waivers) : { statuses: decided, applied: [], notes: [] };
  const statuses = waived.statuses;
  notes.push(...waived.notes);
  const notCertifyingBecause = [...plan.notCertifyingBecause, ...(waived.applied.length ? [`FAIL waived: ${waived.applied.join(', ')}`] : [])];
  const verdict = decideVerdict(statuses, errors);
  const exitCode = EXIT_CODES[verdict];
  const endedAt = new Date();
  const suites = hashSuites(plan.suiteFiles);
  const report: Report = {
    formatVersion: 1,
    suite: { name: 'oi4-conformance', version: suiteVersion(), sha256: suites.sha256, files: suites.files },
    profile: {
      id: profile.id,
      title: profile.title,
      version: profile.version,
      guideline: { name: profile.guideline.name, version: profile.guideline.version },
      sha256: sha256Hex(readFileSync(profile.file)),
      claimedGroups: target.claims.filter((c) => c in (profile.optionalGroups ?? {})),
    },
    target: {
      name: target.name,
      reference: target.reference,
      kind: target.kind,
      endpoint: redactUrl(endpointOf(target)),
      ...(target.kind === 'oi4-mqtt' && target.oi4.appId !== 'discover' && { appId: target.oi4.appId }),
      ...(target.kind === 'oi4-mqtt' && target.oi4.serviceType && { serviceType: target.oi4.serviceType }),
      ...(target.opcua && target.kind === 'oi4-mqtt' && { opcuaEndpoint: redactUrl(target.opcua.endpointUrl) }),
      faults: [...target.faults],
      identity: identities[0] ? { source: identities[0].source, fields: { ...identities[0].fields } } : null,
      identities: identities.map((i) => ({ source: i.source, fields: { ...i.fields } })),
    },
    run: {
      id: runId,
      startedAt: startedAt.toISOString(),
      endedAt: endedAt.toISOString(),
      durationMs: Math.round(performance.now() - started),
      phases: { preflightMs, checksMs },
      mode,
      certifying: notCertifyingBecause.length === 0,
      ...(notCertifyingBecause.length && { notCertifyingBecause }),
      only: options.only ?? null,
      ...(options.waivers && { waivers: { file: options.waivers.file, sha256: options.waivers.sha256, applied: waived.applied } }),
      parameters: { ...plan.parameters },
      environment: { node: process.version, platform: platform(), arch: arch() },
    },
    verdict,
    exitCode,
    counts: countOutcomes(statuses),
    requirements: statuses,
    checks: results.map((r) => ({
      id: r.id,
      title: r.title,
      suite: r.suite,
      requirements: [...r.requirements],
      outcome: r.outcome,
      message: r.message,
      durationMs: r.durationMs,
      decisions: r.decisions.map((d) => ({ ...d })),
      evidence: r.evidence.map((e) => ({ ...e })),
    })),
    errors,
    notes,
  };
  return { report, exitCode };
}
