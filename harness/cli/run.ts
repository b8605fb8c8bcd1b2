import { resolve } from 'node:path';
import { findProfile, loadLibrary } from '../catalog/index.js';
import { checkClaims, runProfile } from '../engine/node.js';
import { ConfigError, didYouMean, type Profile, type ResolvedTarget } from '../model/index.js';
import { loadSigningKey, recordRun, renderSummary, writeBundle } from '../report/index.js';
import { loadWaivers } from '../verdict/index.js';
import { checkFaults, EMBEDDED_PREFIX, findDevice, loadTargetFile, startEmbeddedTarget, type EmbeddedTarget } from '../targets/index.js';
import { devices, embeddedPki, preflightFor } from './kinds.js';
import { defaultOutDir, linkLatest, REPORTS_DIR } from './out-dir.js';
import { createTerminal, progressPrinter } from './terminal.js';

export interface RunCommandOptions {
  readonly profile: string;
  readonly target: string;
  readonly out?: string;
  readonly fault: readonly string[];
  /** --claim: optional groups claimed on top of the target file's (or the embedded device's) */
  readonly claim?: readonly string[];
  readonly only?: string;
  readonly mode?: 'full' | 'quick';
  /** --param overrides, applied on top of the target file's parameters */
  readonly param?: Readonly<Record<string, number>>;
  readonly color?: boolean;
  /** a waivers file: FAILs accepted until a date, shown as WAIVED */
  readonly waivers?: string;
  /** an Ed25519 private key (PEM): the manifest is signed with it */
  readonly sign?: string;
  /** embedded MQTT devices: run on this broker (a plugfest's shared one) instead of an in-process broker */
  readonly broker?: string;
  /** embedded MQTT devices: the SerialNumber, so several instances on one broker have different AppIds */
  readonly serialNumber?: string;
  /** a target another command made (check-file: a file on disk); `target` is then only its name for messages */
  readonly resolvedTarget?: ResolvedTarget;
}

/**
 * A target file says what the target implements, for every profile it is run against: a group this profile
 * does not have is left out here. A claim no profile knows is a typo, and refused.
 */
function claimsFor(profile: Profile, profiles: readonly Profile[], claims: readonly string[], file: string): string[] {
  const known = [...new Set(profiles.flatMap((p) => Object.keys(p.optionalGroups ?? {})))];
  for (const claim of claims) {
    if (known.includes(claim)) continue;
    const hint = didYouMean(claim, known);
    throw new ConfigError(`${file}: claim "${claim}" is not an optional group of any profile${hint ? ` (did you mean "${hint}"?)` : ''}; groups: ${known.join(', ')}`);
  }
  return claims.filter((claim) => claim in (profile.optionalGroups ?? {}));
}

/** `oi4-conformance run`: one profile against one target; returns the exit code of DESIGN.md section 6. */
export async function runCommand(options: RunCommandOptions): Promise<number> {
  const terminal = createTerminal(options.color === undefined ? {} : { color: options.color });
  const library = loadLibrary();
  const profile = findProfile(library.profiles, options.profile);
  // before anything starts or prints: a misspelt claim would otherwise leave a group silently unchecked
  checkClaims(profile, options.claim ?? []);
  // both files are read before anything starts: an expired waiver or a wrong key is a configuration error
  const waivers = options.waivers !== undefined ? loadWaivers(resolve(options.waivers), library.catalog) : undefined;
  const signingKey = options.sign !== undefined ? loadSigningKey(resolve(options.sign)) : undefined;

  let embedded: EmbeddedTarget | undefined;
  let target: ResolvedTarget;
  if (options.resolvedTarget) {
    target = options.resolvedTarget;
    if (target.kind !== profile.targetKind) throw new ConfigError(`profile ${profile.id} tests ${profile.targetKind} targets; ${options.target} is a ${target.kind} target`);
  } else if (options.target.startsWith(EMBEDDED_PREFIX)) {
    const device = findDevice(devices, options.target.slice(EMBEDDED_PREFIX.length));
    if (options.broker !== undefined && !/^mqtts?:\/\//.test(options.broker)) throw new ConfigError(`--broker must be an mqtt:// or mqtts:// URL, not "${options.broker}"`);
    if (device.targetKind !== 'oi4-mqtt' && (options.broker !== undefined || options.serialNumber !== undefined)) {
      throw new ConfigError(`${options.target} is ${device.targetKind === 'opcua' ? 'an OPC UA server' : 'an AAS server'}; --broker and --serial-number apply to OI4 devices on MQTT`);
    }
    if (device.targetKind !== profile.targetKind) {
      throw new ConfigError(`profile ${profile.id} tests ${profile.targetKind} targets; ${options.target} is a ${device.targetKind} target`);
    }
    // a misspelt fault is a one-line error, before anything is announced or started
    checkFaults(device, options.fault);
    terminal.info(`… starting ${options.target}${options.fault.length ? ` with fault(s) ${options.fault.join(', ')}` : ''}`);
    // the embedded device heartbeats at the run's Health interval, so a shortened interval (--param) is honoured
    const healthIntervalMs = options.param?.['healthIntervalMs'] ?? profile.parameters['healthIntervalMs']?.default;
    embedded = await startEmbeddedTarget(device, options.fault, {
      ...(healthIntervalMs !== undefined && { healthIntervalMs }),
      claims: options.claim ?? [],
      pki: embeddedPki,
      ...(options.broker !== undefined && { brokerUrl: options.broker }),
      ...(options.serialNumber !== undefined && { serialNumber: options.serialNumber }),
    });
    // a device claims the groups it implements; a profile hears only of the groups it has (--claim was checked above)
    const groups = Object.keys(profile.optionalGroups ?? {});
    target = { ...embedded.target, claims: embedded.target.claims.filter((c) => groups.includes(c)) };
  } else {
    if (options.fault.length) throw new ConfigError('--fault applies only to embedded targets (embedded:<device>)');
    if (options.broker !== undefined || options.serialNumber !== undefined) throw new ConfigError('--broker and --serial-number apply only to embedded targets (the target file names its broker)');
    target = loadTargetFile(options.target);
    if (target.kind !== profile.targetKind) throw new ConfigError(`profile ${profile.id} tests ${profile.targetKind} targets; ${options.target} is a ${target.kind} target`);
    target = { ...target, claims: [...new Set([...claimsFor(profile, library.profiles, target.claims, options.target), ...(options.claim ?? [])])] };
    checkClaims(profile, target.claims);
  }

  if (options.param && Object.keys(options.param).length) target = { ...target, parameters: { ...target.parameters, ...options.param } };
  const outDir = options.out ? resolve(options.out) : defaultOutDir(profile.id, target.name);
  const interrupt = new AbortController();
  const onSigint = () => {
    terminal.info('interrupted: finishing the report with what ran so far (Ctrl-C again to quit at once)');
    process.off('SIGINT', onSigint);
    interrupt.abort(new Error('interrupted by the operator'));
  };
  process.on('SIGINT', onSigint);
  try {
    terminal.info(`oi4-conformance: ${profile.id} ${profile.version} against ${target.name}${options.mode === 'quick' ? ' — quick mode, not a certification' : ''}`);
    const { report, exitCode } = await runProfile({
      library,
      profile,
      target,
      outDir,
      ...(options.only !== undefined && { only: options.only }),
      ...(options.mode && { mode: options.mode }),
      ...(waivers && { waivers }),
      preflight: preflightFor(target.kind),
      ...(embedded && { builtInActions: embedded.actions }),
      progress: progressPrinter(terminal),
      signal: interrupt.signal,
    });
    if (interrupt.signal.aborted) report.errors.push('the run was interrupted by the operator');
    const finalReport = interrupt.signal.aborted && report.verdict === 'CONFORMANT' ? { ...report, verdict: 'INCOMPLETE' as const, exitCode: 3 as const } : report;
    writeBundle(outDir, finalReport, { ...(signingKey && { sign: signingKey }) });
    if (!options.out || resolve(options.out, '..') === resolve(REPORTS_DIR)) recordRun(outDir, finalReport);
    if (!options.out) linkLatest(outDir);
    terminal.out(renderSummary(finalReport, terminal.style));
    terminal.info(`report: ${outDir}${signingKey ? ` (signed, key sha256 ${signingKey.fingerprint.slice(0, 16)}…)` : ''}`);
    return finalReport === report ? exitCode : finalReport.exitCode;
  } finally {
    process.off('SIGINT', onSigint);
    await embedded?.stop();
  }
}
