/**
 * `oi4-conformance monitor`: watches an OI4 bus and validates every message it sees (the pipeline of
 * suites/oi4-oec/monitor), with a live per-application summary, and at the end (duration, Ctrl-C, or a lost
 * broker) writes a bundle: monitor.json, evidence/<AppId>.jsonl with the sampled messages, manifest.sha256.
 * The monitor only listens: it publishes nothing on the bus.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { InvalidArgumentError } from 'commander';
import {
  DEFAULT_RESPONSE_TIMEOUT_MS,
  MonitorPipeline,
  SCHEMA_FINDING_PREFIX,
  type AppIdSummary,
  type MonitorSnapshot,
} from '../../suites/oi4-oec/monitor/index.js';
import { loadCatalog, PROJECT_ROOT, suiteVersion, type Catalog } from '../catalog/index.js';
import { createRedactor, MqttLog, redactUrl, sha256Hex, type Redactor } from '../evidence/index.js';
import { ConfigError, EXIT_CODES, secretsOf, type Level, type MqttTarget, type ResolvedTarget, type RunningDevice } from '../model/index.js';
import { BrokerError, MqttConnection, type ReceivedMessage } from '../protocols/mqtt/connection.js';
import { writeManifest } from '../report/index.js';
import { checkFaults, EMBEDDED_PREFIX, findDevice, loadTargetFile, startEmbeddedBroker, type EmbeddedBroker } from '../targets/index.js';
import { devices } from './kinds.js';
import { defaultOutDir } from './out-dir.js';
import { createTerminal, type Terminal } from './terminal.js';

/** What the monitor subscribes to: the v1.1 root, and the v1.0 one so that a v1.0 application is reported (OI4-TOP-001). */
export const MONITOR_SUBSCRIPTIONS = ['Oi4/#', 'oi4/#'] as const;

/** The parameters `--param` accepts, with their defaults. */
export const MONITOR_PARAMETERS: Readonly<Record<string, number>> = {
  responseTimeoutMs: DEFAULT_RESPONSE_TIMEOUT_MS,
  connectTimeoutMs: 10_000,
};

/** The reference device's Health interval under `embedded:`: a short run should see its heartbeat. */
const EMBEDDED_HEALTH_INTERVAL_MS = 1000;
/** All evidence together; beyond it samples are still counted and described, without their message. */
const EVIDENCE_BUDGET_BYTES = 64 * 1024 * 1024;
const EVIDENCE_LIMITS = { maxRecords: 1000, maxPayloadBytes: 64 * 1024 };
const LIVE_TTY_MS = 1000;
const LIVE_PLAIN_MS = 10_000;
/** a lost connection produces no message: look for it this often */
const WATCHDOG_MS = 250;
const LIVE_ROWS = 12;

export interface MonitorCommandOptions {
  readonly target: string;
  readonly fault: readonly string[];
  /** seconds; without it the monitor runs until interrupted */
  readonly duration?: number;
  readonly out?: string;
  readonly param?: Readonly<Record<string, number>>;
}

/** Parses `--duration <s>`: a positive number of seconds. */
export function parseDuration(value: string): number {
  const seconds = Number(value);
  if (!/^\d+(\.\d+)?$/.test(value.trim()) || !Number.isFinite(seconds) || seconds <= 0) {
    throw new InvalidArgumentError('must be a positive number of seconds, e.g. 60');
  }
  return seconds;
}

type EndReason = 'duration' | 'interrupt' | 'broker-lost' | 'broker-error';

// ---------------------------------------------------------------------------------------------------------
// monitor.json

export interface MonitorSampleJson {
  readonly at: string;
  readonly topic: string;
  readonly problem: string;
  /** the sampled message in the application's evidence file */
  readonly evidence?: { readonly file: string; readonly record: number };
}

export interface MonitorViolationJson {
  readonly title: string;
  /** the catalog level; null for a schema finding no catalog requirement names */
  readonly level: Level | null;
  readonly count: number;
  readonly samples: readonly MonitorSampleJson[];
}

export interface MonitorApplicationJson {
  readonly appId: string;
  readonly serviceType?: string;
  readonly messages: number;
  readonly bytes: number;
  readonly firstSeen?: string;
  readonly lastSeen?: string;
  /** by requirement id (or schema:<Name>), most frequent first */
  readonly violations: Readonly<Record<string, MonitorViolationJson>>;
}

export interface MonitorReportJson {
  readonly kind: 'oi4-conformance-monitor';
  readonly tool: { readonly name: 'oi4-conformance'; readonly version: string };
  readonly target: { readonly name: string; readonly reference: string; readonly origin: 'file' | 'embedded'; readonly faults: readonly string[] };
  /** the broker URL without credentials */
  readonly broker: string;
  readonly subscriptions: readonly string[];
  readonly parameters: Readonly<Record<string, number>>;
  readonly startedAt: string;
  readonly endedAt: string;
  readonly durationMs: number;
  readonly endedBy: EndReason;
  readonly errors: readonly string[];
  readonly exitCode: number;
  readonly totals: {
    readonly messages: number;
    readonly bytes: number;
    readonly applications: number;
    /** violations of MUST requirements (counted per message) */
    readonly mustViolations: number;
    readonly shouldViolations: number;
    readonly schemaFindings: number;
    readonly gets: MonitorSnapshot['gets'];
    readonly samplesOmitted: number;
    readonly evidenceOmitted: number;
    readonly internalErrors: number;
  };
  /** most violations first */
  readonly applications: readonly MonitorApplicationJson[];
  readonly limits: MonitorSnapshot['limits'];
}

/** Maps the pipeline's clock (performance.now()) to wall-clock time. */
export interface Clock {
  readonly startedAtMs: number;
  readonly startedPerf: number;
}

function iso(clock: Clock, at: number): string {
  return new Date(clock.startedAtMs + (at - clock.startedPerf)).toISOString();
}

/** Evidence of the sampled messages: one MqttLog per application, redacted, within one byte budget. */
export class MonitorEvidence {
  readonly #logs = new Map<string, MqttLog>();
  readonly #redact: Redactor;
  readonly #budget: number;
  #bytes = 0;
  #omitted = 0;
  /** the message being judged, so a record can carry its QoS and retain flag */
  current: ReceivedMessage | undefined;

  constructor(redact: Redactor, budgetBytes = EVIDENCE_BUDGET_BYTES) {
    this.#redact = redact;
    this.#budget = budgetBytes;
  }

  /** The pipeline's EvidenceSink: returns the record number, or undefined when the message was not kept. */
  readonly record = (appId: string, topic: string, payload: Buffer): number | undefined => {
    const stored = Math.min(payload.byteLength, EVIDENCE_LIMITS.maxPayloadBytes);
    if (this.#bytes + stored > this.#budget) {
      this.#omitted++;
      return undefined;
    }
    let log = this.#logs.get(appId);
    if (log === undefined) {
      log = new MqttLog(this.#redact, EVIDENCE_LIMITS);
      this.#logs.set(appId, log);
    }
    const current = this.current;
    const same = current !== undefined && current.topic === topic && current.payload === payload;
    log.record('received', topic, payload, same ? current.qos : 0, same ? current.retain : false);
    const seq = log.total;
    if (log.records.at(-1)?.seq !== seq) {
      this.#omitted++;
      return undefined;
    }
    this.#bytes += stored;
    return seq;
  };

  get omitted(): number {
    return this.#omitted;
  }

  /** Writes evidence/<safe AppId>.jsonl per application; returns AppId -> file (relative to the bundle). */
  write(outDir: string): Map<string, string> {
    const files = new Map<string, string>();
    if (this.#logs.size === 0) return files;
    const dir = join(outDir, 'evidence');
    mkdirSync(dir, { recursive: true });
    const used = new Set<string>();
    for (const [appId, log] of this.#logs) {
      let name = safeFileName(this.#redact(appId));
      // two AppIds that differ only in characters a file name cannot hold get the hash of the AppId
      if (used.has(name.toLowerCase())) name = `${name.slice(0, 100)}-${sha256Hex(Buffer.from(appId)).slice(0, 8)}`;
      used.add(name.toLowerCase());
      const file = `evidence/${name}.jsonl`;
      writeFileSync(join(outDir, file), log.toJsonLines());
      files.set(appId, file);
    }
    return files;
  }
}

/** An AppId as a file name: "/" and everything outside a portable set become "_". */
export function safeFileName(appId: string): string {
  const name = appId.replace(/[^A-Za-z0-9.,+-]/g, '_').slice(0, 120);
  return name === '' || /^\.+$/.test(name) ? '_' : name;
}

export interface MonitorRun {
  readonly target: MqttTarget;
  readonly parameters: Readonly<Record<string, number>>;
  readonly clock: Clock;
  readonly endedAt: Date;
  readonly endedBy: EndReason;
  readonly errors: readonly string[];
}

/** monitor.json from a snapshot; every text that could carry a secret is redacted. */
export function buildMonitorReport(snapshot: MonitorSnapshot, run: MonitorRun, catalog: Catalog, evidenceFiles: ReadonlyMap<string, string>, evidenceOmitted: number, redact: Redactor): MonitorReportJson {
  let mustViolations = 0;
  let shouldViolations = 0;
  let schemaFindings = 0;
  const applications = snapshot.appIds.map((app): MonitorApplicationJson => {
    const file = evidenceFiles.get(app.appId);
    const violations: Record<string, MonitorViolationJson> = {};
    for (const rule of app.violations) {
      const requirement = catalog.get(rule.id);
      const level = requirement?.level ?? null;
      if (level === 'MUST') mustViolations += rule.count;
      else if (level !== null) shouldViolations += rule.count;
      else schemaFindings += rule.count;
      violations[rule.id] = {
        title: requirement?.title ?? findingTitle(rule.id),
        level,
        count: rule.count,
        samples: rule.samples.map((s) => ({
          at: iso(run.clock, s.at),
          topic: redact(s.topic),
          problem: redact(s.problem),
          ...(s.evidence !== undefined && file !== undefined && { evidence: { file, record: s.evidence } }),
        })),
      };
    }
    return {
      appId: redact(app.appId),
      ...(app.serviceType !== undefined && { serviceType: app.serviceType }),
      messages: app.messages,
      bytes: app.bytes,
      ...(app.firstAt !== undefined && { firstSeen: iso(run.clock, app.firstAt) }),
      ...(app.lastAt !== undefined && { lastSeen: iso(run.clock, app.lastAt) }),
      violations,
    };
  });
  const errors = [...run.errors, ...snapshot.internalErrors.first.map((e) => `internal error of the monitor (not the target's fault): ${e}`)].map(redact);
  const exitCode =
    mustViolations > 0
      ? EXIT_CODES.NOT_CONFORMANT
      : run.endedBy === 'broker-lost' || run.endedBy === 'broker-error' || snapshot.internalErrors.count > 0
        ? EXIT_CODES.INCOMPLETE
        : EXIT_CODES.CONFORMANT;
  return {
    kind: 'oi4-conformance-monitor',
    tool: { name: 'oi4-conformance', version: suiteVersion() },
    target: { name: run.target.name, reference: redact(run.target.reference), origin: run.target.origin, faults: [...run.target.faults] },
    broker: redact(redactUrl(run.target.broker.url)),
    subscriptions: [...MONITOR_SUBSCRIPTIONS],
    parameters: run.parameters,
    startedAt: new Date(run.clock.startedAtMs).toISOString(),
    endedAt: run.endedAt.toISOString(),
    durationMs: Math.max(0, run.endedAt.getTime() - run.clock.startedAtMs),
    endedBy: run.endedBy,
    errors,
    exitCode,
    totals: {
      messages: snapshot.messages,
      bytes: snapshot.bytes,
      applications: snapshot.appIds.length,
      mustViolations,
      shouldViolations,
      schemaFindings,
      gets: snapshot.gets,
      samplesOmitted: snapshot.samplesOmitted,
      evidenceOmitted,
      internalErrors: snapshot.internalErrors.count,
    },
    applications,
    limits: snapshot.limits,
  };
}

function findingTitle(id: string): string {
  if (id.startsWith(SCHEMA_FINDING_PREFIX)) {
    return `The message does not match our ${id.slice(SCHEMA_FINDING_PREFIX.length)} schema (no catalog requirement names it; it does not change the exit code).`;
  }
  return 'not in the catalog';
}

/** Writes monitor.json, the evidence and manifest.sha256; returns the report. */
export function writeMonitorBundle(outDir: string, snapshot: MonitorSnapshot, run: MonitorRun, catalog: Catalog, evidence: MonitorEvidence, redact: Redactor): MonitorReportJson {
  mkdirSync(outDir, { recursive: true });
  const files = evidence.write(outDir);
  const report = buildMonitorReport(snapshot, run, catalog, files, evidence.omitted, redact);
  writeFileSync(join(outDir, 'monitor.json'), JSON.stringify(report, null, 2) + '\n');
  writeManifest(outDir);
  return report;
}

// ---------------------------------------------------------------------------------------------------------
// Terminal

function clipText(text: string, width: number): string {
  return text.length <= width ? text : `${text.slice(0, Math.max(0, width - 1))}…`;
}

function elapsed(ms: number): string {
  const s = Math.floor(ms / 1000);
  return s < 60 ? `${s} s` : `${Math.floor(s / 60)} min ${s % 60} s`;
}

/** The live summary: a redrawn table on a TTY (at most once a second), one line per AppId every 10 s otherwise. */
class LiveView {
  readonly #terminal: Terminal;
  readonly #tty: boolean;
  readonly #redact: Redactor;
  #drawn = 0;

  constructor(terminal: Terminal, redact: Redactor) {
    this.#terminal = terminal;
    this.#tty = Boolean(process.stderr.isTTY);
    this.#redact = redact;
  }

  get intervalMs(): number {
    return this.#tty ? LIVE_TTY_MS : LIVE_PLAIN_MS;
  }

  /** A line of progress; on a TTY the table is erased first and redrawn on the next refresh. */
  info(line: string): void {
    this.clear();
    this.#terminal.info(line);
  }

  clear(): void {
    if (this.#drawn > 0) process.stderr.write(`\x1b[${this.#drawn}A\x1b[J`);
    this.#drawn = 0;
  }

  refresh(lines: readonly AppIdSummary[], messages: number, elapsedMs: number): void {
    const rows = [...lines].sort((a, b) => b.violationCount - a.violationCount || b.messages - a.messages);
    const width = this.#terminal.style.width;
    if (!this.#tty) {
      for (const row of rows) this.#terminal.info(`[monitor ${elapsed(elapsedMs)}] ${this.#row(row, width - 20)}`);
      if (rows.length === 0) this.#terminal.info(`[monitor ${elapsed(elapsedMs)}] no OI4 message yet`);
      return;
    }
    const appWidth = Math.max(20, Math.min(60, width - 44));
    const out = [
      `monitor: ${messages} messages from ${rows.length} application${rows.length === 1 ? '' : 's'} in ${elapsed(elapsedMs)} (Ctrl-C ends and writes the report)`,
      `${'AppId'.padEnd(appWidth)} ${'messages'.padStart(9)} ${'violations'.padStart(10)}  most frequent`,
      ...rows.slice(0, LIVE_ROWS).map((r) => `${clipText(this.#redact(r.appId), appWidth).padEnd(appWidth)} ${String(r.messages).padStart(9)} ${String(r.violationCount).padStart(10)}  ${r.topRule ?? ''}`),
      ...(rows.length > LIVE_ROWS ? [`… ${rows.length - LIVE_ROWS} more`] : []),
    ].map((line) => clipText(line, width - 1));
    this.clear();
    process.stderr.write(out.join('\n') + '\n');
    this.#drawn = out.length;
  }

  #row(row: AppIdSummary, width: number): string {
    const top = row.topRule ? `, most frequent ${row.topRule}` : '';
    return clipText(`${this.#redact(row.appId)}: ${row.messages} messages, ${row.violationCount} violations${top}`, width);
  }
}

/** The final summary on stdout: per application its violations, then the totals and the outcome. */
export function renderMonitorSummary(report: MonitorReportJson, width = 120): string {
  const lines = ['', `monitor of ${report.target.name} on ${report.broker}: ${elapsed(report.durationMs)}, ${report.totals.messages} messages from ${report.totals.applications} application${report.totals.applications === 1 ? '' : 's'} (ended by ${report.endedBy})`];
  for (const app of report.applications) {
    const entries = Object.entries(app.violations);
    lines.push(`${app.appId}: ${app.messages} messages, ${entries.length === 0 ? 'no violation' : `${entries.reduce((n, [, v]) => n + v.count, 0)} violations`}`);
    for (const [id, v] of entries) {
      lines.push(clipText(`  ${id.padEnd(12)} ${(v.level ?? '-').padEnd(6)} ×${String(v.count).padEnd(6)} ${v.samples[0]?.problem ?? v.title}`.replace(/\s+$/, ''), width));
    }
  }
  const g = report.totals.gets;
  lines.push(
    `Gets: ${g.seen} seen, ${g.tracked} awaited, ${g.answered} answered (${g.answeredElsewhere} on a wrong topic), ${g.unanswered} unanswered` +
      `${g.unansweredUnseen ? `, ${g.unansweredUnseen} unanswered by applications never seen on the bus (not counted)` : ''}, ${g.pending} still within their deadline at the end`,
  );
  for (const error of report.errors) lines.push(`error: ${clipText(error, width - 7)}`);
  const outcome =
    report.exitCode === EXIT_CODES.NOT_CONFORMANT
      ? `${report.totals.mustViolations} MUST violations`
      : report.exitCode === EXIT_CODES.INCOMPLETE
        ? 'inconclusive (the broker or the monitor failed)'
        : `no MUST violation${report.totals.shouldViolations ? ` (${report.totals.shouldViolations} SHOULD violations)` : ''}`;
  lines.push(`result: ${outcome}`);
  return lines.join('\n') + '\n';
}

// ---------------------------------------------------------------------------------------------------------
// The command

interface Resolved {
  readonly target: MqttTarget;
  /** for embedded: the broker, and a function that starts the device once the monitor listens */
  readonly broker?: EmbeddedBroker;
  readonly startDevice?: () => Promise<RunningDevice>;
}

async function resolveTarget(options: MonitorCommandOptions): Promise<Resolved> {
  if (!options.target.startsWith(EMBEDDED_PREFIX)) {
    if (options.fault.length) throw new ConfigError('--fault applies only to embedded targets (embedded:<device>)');
    const target = loadTargetFile(options.target);
    if (target.kind !== 'oi4-mqtt') throw new ConfigError(`monitor watches oi4-mqtt targets; ${options.target} is a ${target.kind} target`);
    return { target };
  }
  const device = findDevice(devices, options.target.slice(EMBEDDED_PREFIX.length));
  if (device.targetKind !== 'oi4-mqtt') throw new ConfigError(`monitor watches oi4-mqtt targets; ${options.target} is a ${device.targetKind} target`);
  checkFaults(device, options.fault);
  const broker = await startEmbeddedBroker();
  const target: MqttTarget = {
    name: options.fault.length ? `${device.name}+${options.fault.join('+')}` : device.name,
    kind: device.targetKind,
    origin: 'embedded',
    reference: options.target,
    broker: { url: broker.url, clientIdPrefix: 'oi4-conformance' },
    // the AppId is the device's, known once it runs; the monitor watches every application anyway
    oi4: { appId: 'discover' },
    parameters: {},
    claims: [],
    actions: {},
    faults: [...options.fault],
  };
  return {
    target,
    broker,
    // started after the monitor subscribed, so its birth MAM is seen
    startDevice: () => device.start({ brokerUrl: broker.url, faults: options.fault, healthIntervalMs: EMBEDDED_HEALTH_INTERVAL_MS }),
  };
}

function checkParameterNames(overrides: Readonly<Record<string, number>>): void {
  for (const name of Object.keys(overrides)) {
    if (!(name in MONITOR_PARAMETERS)) throw new ConfigError(`--param ${name}: monitor knows only ${Object.keys(MONITOR_PARAMETERS).join(', ')}`);
  }
}

function parametersOf(target: ResolvedTarget, overrides: Readonly<Record<string, number>>): Record<string, number> {
  const parameters: Record<string, number> = {};
  for (const [name, fallback] of Object.entries(MONITOR_PARAMETERS)) parameters[name] = overrides[name] ?? target.parameters[name] ?? fallback;
  return parameters;
}

/** `oi4-conformance monitor`; returns the exit code (0 no MUST violation, 1 a MUST violated, 3 broker failure). */
export async function monitorCommand(options: MonitorCommandOptions): Promise<number> {
  const terminal = createTerminal();
  const catalog = loadCatalog(join(PROJECT_ROOT, 'profiles'));
  checkParameterNames(options.param ?? {});
  const resolved = await resolveTarget(options);
  const { target } = resolved;
  let device: RunningDevice | undefined;
  try {
    const parameters = parametersOf(target, options.param ?? {});
    const redact = createRedactor(secretsOf(target));
    const outDir = options.out ? resolve(options.out) : defaultOutDir('monitor', target.name);
    const evidence = new MonitorEvidence(redact);
    const pipeline = new MonitorPipeline({ responseTimeoutMs: parameters['responseTimeoutMs'] ?? DEFAULT_RESPONSE_TIMEOUT_MS, evidence: evidence.record });
    const clock: Clock = { startedAtMs: Date.now(), startedPerf: performance.now() };
    const view = new LiveView(terminal, redact);
    const endpoint = redact(redactUrl(target.broker.url));
    const finish = (endedBy: EndReason, errors: string[]): number => {
      const snapshot = pipeline.finish(performance.now());
      const run: MonitorRun = { target, parameters, clock, endedAt: new Date(), endedBy, errors };
      const report = writeMonitorBundle(outDir, snapshot, run, catalog, evidence, redact);
      view.clear();
      terminal.out(renderMonitorSummary(report, terminal.style.width));
      terminal.info(`report: ${outDir}`);
      return report.exitCode;
    };

    view.info(`oi4-conformance monitor: ${target.name} on ${endpoint}, ${options.duration !== undefined ? `for ${options.duration} s` : 'until Ctrl-C'}`);
    let connection: MqttConnection;
    try {
      connection = await MqttConnection.open({ broker: target.broker, connectTimeoutMs: parameters['connectTimeoutMs'] ?? 10_000, purpose: 'monitor' });
    } catch (error) {
      if (!(error instanceof BrokerError)) throw error;
      const message = redact(error.message);
      process.stderr.write(`oi4-conformance: ${message}\n`);
      return finish('broker-error', [message]);
    }

    let endedBy: EndReason | undefined;
    let wake: (() => void) | undefined;
    const ended = new Promise<void>((done) => (wake = done));
    const end = (reason: EndReason) => {
      endedBy ??= reason;
      wake?.();
    };
    const onSignal = (signal: NodeJS.Signals) => {
      view.info(`${signal === 'SIGINT' ? 'interrupted' : signal}: writing the report with everything seen so far (Ctrl-C again to quit at once)`);
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      end('interrupt');
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    const timers: NodeJS.Timeout[] = [];
    const errors: string[] = [];
    try {
      connection.onMessage((message) => {
        if (endedBy !== undefined) return;
        evidence.current = message;
        pipeline.accept(message.topic, message.payload, message.at);
        evidence.current = undefined;
      });
      const refused = await connection.subscribe(MONITOR_SUBSCRIPTIONS);
      if (refused.includes('Oi4/#')) throw new BrokerError('the broker refused the subscription "Oi4/#"; the monitor needs to read the OI4 topics');
      if (refused.length) view.info(`note: the broker refused ${refused.map((f) => `"${f}"`).join(', ')}; v1.0 topics are not seen`);
      view.info(`… listening on ${MONITOR_SUBSCRIPTIONS.filter((f) => !refused.includes(f)).join(', ')}`);
      if (resolved.startDevice) {
        device = await resolved.startDevice();
        view.info(`… started ${options.target}${options.fault.length ? ` with fault(s) ${options.fault.join(', ')}` : ''} as ${device.serviceType}/${device.appId}`);
      }

      if (options.duration !== undefined) {
        // setTimeout holds at most 2^31-1 ms (24.8 days): a longer run re-arms
        const deadline = performance.now() + options.duration * 1000;
        const arm = () => {
          const left = deadline - performance.now();
          if (left <= 0) end('duration');
          else timers.push(setTimeout(arm, Math.min(left, 2 ** 31 - 1)));
        };
        arm();
      }
      timers.push(
        setInterval(() => {
          // judges Gets whose deadline passed on a quiet bus, and notices a lost connection
          pipeline.advance(performance.now());
          const lost = connection.lost;
          if (lost && endedBy === undefined) {
            errors.push(`the MQTT connection to ${endpoint} was lost: ${redact(lost)}`);
            end('broker-lost');
          }
        }, WATCHDOG_MS),
      );
      timers.push(setInterval(() => view.refresh(pipeline.summary(), pipeline.messages, performance.now() - clock.startedPerf), view.intervalMs));
      await ended;
    } catch (error) {
      if (!(error instanceof BrokerError)) throw error;
      endedBy ??= 'broker-error';
      errors.push(redact(error.message));
      process.stderr.write(`oi4-conformance: ${redact(error.message)}\n`);
    } finally {
      for (const timer of timers) clearTimeout(timer);
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      await connection.close();
    }
    return finish(endedBy ?? 'interrupt', errors);
  } finally {
    await device?.stop().catch(() => undefined);
    await resolved.broker?.close();
  }
}
