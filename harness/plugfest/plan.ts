import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { findProfile, readYamlFile, type Library } from '../catalog/index.js';
import { sha256Hex } from '../evidence/index.js';
import { checkClaims, selectRequirements } from '../engine/plan.js';
import { ConfigError, didYouMean, secretsOf, type Profile, type ReferenceDeviceDefinition, type TargetKind } from '../model/index.js';
import { EMBEDDED_PREFIX, SECURITY_GROUP, checkFaults, findDevice, loadTargetFile, type DeviceRegistry } from '../targets/index.js';
import { loadWaivers } from '../verdict/index.js';
import { validatePlugfestFile, type PlugfestFile, type PlugfestFileTarget } from './schema.js';

export const DEFAULT_CONCURRENCY = 2;
/** long enough for a full-mode run with the guideline's 60 s heartbeats and its restarts */
export const DEFAULT_RUN_TIMEOUT_MS = 20 * 60_000;

/** One `run` of one profile against one target, as the plugfest will start it. */
export interface PlannedRun {
  readonly profileId: string;
  readonly profileTitle: string;
  /** the run's report folder, relative to the plugfest's out folder: targets/<target>/<profile> */
  readonly dir: string;
  /** the run's stdout and stderr, relative to the plugfest's out folder: targets/<target>/<profile>.log */
  readonly log: string;
  readonly timeoutMs: number;
  /** claims of this profile's groups only: a claim the profile lacks would be refused by `run` */
  readonly claims: readonly string[];
  /** parameters this profile defines, the target's over the plugfest's */
  readonly params: Readonly<Record<string, number>>;
}

export interface PlannedTarget {
  readonly name: string;
  /** embedded:<device>, or the target file as written in the plugfest file */
  readonly reference: string;
  /** what `run --target` gets: embedded:<device>, or the target file's absolute path */
  readonly runTarget: string;
  readonly origin: 'embedded' | 'file';
  readonly kind: TargetKind;
  readonly faults: readonly string[];
  /** embedded OI4 devices: the SerialNumber given to the device */
  readonly serialNumber?: string;
  /** an OI4 target whose application meets the others on the plugfest's shared broker */
  readonly onSharedBroker: boolean;
  /** why an OI4 target is not on the shared broker (for the cross-target results) */
  readonly offSharedBrokerBecause?: string;
  readonly waivers?: string;
  readonly only?: string;
  readonly runs: readonly PlannedRun[];
}

export interface PlugfestPlan {
  readonly name: string;
  readonly description?: string;
  /** the plugfest file, absolute */
  readonly file: string;
  readonly fileSha256: string;
  readonly concurrency: number;
  readonly mode: 'full' | 'quick';
  /** true when the plugfest runs one embedded broker that its embedded OI4 devices share */
  readonly sharedBroker: boolean;
  /** the out folder the file names, absolute; undefined: the caller picks the default */
  readonly out?: string;
  readonly runTimeoutMs: number;
  readonly targets: readonly PlannedTarget[];
  /** secrets of the target files (passwords, keys): whatever the plugfest writes is redacted of them */
  readonly secrets: readonly string[];
}

export interface PlanOptions {
  readonly library: Library;
  readonly devices: DeviceRegistry;
  /** overrides the file's concurrency (--concurrency) */
  readonly concurrency?: number;
  readonly env?: NodeJS.ProcessEnv;
}

/** A path as messages show it: relative to the working directory when below it. */
function shown(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
}

/**
 * Reads and checks a plugfest file completely before anything starts: every mistake is one ConfigError naming the
 * file and the field, so a lab never finds a typo an hour into a plugfest.
 */
export function loadPlugfestPlan(path: string, options: PlanOptions): PlugfestPlan {
  const file = resolve(path);
  const where = shown(file);
  const raw = readYamlFile(file);
  const checked = validatePlugfestFile(raw);
  if (!checked.ok) {
    // a misspelt field also makes a required one "missing": the typo, with its hint, is the line to read first
    const [first, ...rest] = [...checked.problems].sort((a, b) => Number(b.includes('unknown field')) - Number(a.includes('unknown field')));
    throw new ConfigError(`${where}: ${first}${rest.length ? ` (and ${rest.length} more: ${rest.join('; ')})` : ''}`);
  }
  const spec: PlugfestFile = checked.value;
  const base = dirname(file);
  const mode = spec.mode ?? 'full';
  const sharedBroker = spec.broker === 'embedded';
  const runTimeoutMs = spec.runTimeoutMs ?? DEFAULT_RUN_TIMEOUT_MS;
  const fail = (field: string, message: string): never => {
    throw new ConfigError(`${where}: ${field}: ${message}`);
  };

  // folder names must differ on case-insensitive file systems too
  const seen = new Map<string, number>();
  spec.targets.forEach((t, i) => {
    const key = t.name.toLowerCase();
    const first = seen.get(key);
    if (first !== undefined) fail(`targets[${i}].name`, `"${t.name}" is already the name of targets[${first}]; target names name report folders and must be unique`);
    seen.set(key, i);
  });

  const planParams = spec.params ?? {};
  const allProfiles = new Set<Profile>();
  const secrets: string[] = [];
  const targets = spec.targets.map((t, i) => {
    const planned = planTarget(t, `targets[${i}]`, { ...options, base, mode, sharedBroker, runTimeoutMs, planParams, fail, secrets });
    for (const profile of planned.profiles) allProfiles.add(profile);
    return planned.target;
  });
  // a plugfest-wide parameter no profile of the plugfest has is a typo, not something to pass on silently
  for (const name of Object.keys(planParams)) {
    const known = [...new Set([...allProfiles].flatMap((p) => Object.keys(p.parameters)))];
    if (!known.includes(name)) {
      const hint = didYouMean(name, known);
      fail(`params.${name}`, `not a parameter of any profile of this plugfest${hint ? ` (did you mean "${hint}"?)` : ''}; known: ${known.join(', ')}`);
    }
  }

  return {
    name: spec.name,
    ...(spec.description !== undefined && { description: spec.description }),
    file,
    fileSha256: sha256Hex(readFileSync(file)),
    concurrency: options.concurrency ?? spec.concurrency ?? DEFAULT_CONCURRENCY,
    mode,
    sharedBroker,
    ...(spec.out !== undefined && { out: resolve(base, spec.out) }),
    runTimeoutMs,
    targets,
    secrets,
  };
}

interface TargetContext extends PlanOptions {
  readonly base: string;
  readonly mode: 'full' | 'quick';
  readonly sharedBroker: boolean;
  readonly runTimeoutMs: number;
  readonly planParams: Readonly<Record<string, number>>;
  readonly fail: (field: string, message: string) => never;
  /** collects the secrets of target files */
  readonly secrets: string[];
}

function planTarget(t: PlugfestFileTarget, at: string, ctx: TargetContext): { target: PlannedTarget; profiles: Profile[] } {
  const { fail, library } = ctx;
  const profiles = t.profiles.map((id, j) => {
    try {
      return findProfile(library.profiles, id);
    } catch (error) {
      if (error instanceof ConfigError) return fail(`${at}.profiles[${j}]`, error.message);
      throw error;
    }
  });
  const faults = t.faults ?? [];
  const claims = t.claims ?? [];

  let kind: TargetKind;
  let runTarget: string;
  let device: ReferenceDeviceDefinition | undefined;
  if (t.target.startsWith(EMBEDDED_PREFIX)) {
    device = rethrowAt(`${at}.target`, fail, () => findDevice(ctx.devices, t.target.slice(EMBEDDED_PREFIX.length)));
    rethrowAt(`${at}.faults`, fail, () => checkFaults(device!, faults));
    kind = device.targetKind;
    runTarget = t.target;
  } else {
    if (faults.length) fail(`${at}.faults`, 'faults apply only to embedded targets (embedded:<device>)');
    const path = resolve(ctx.base, t.target);
    if (!existsSync(path)) fail(`${at}.target`, `target file ${shown(path)} not found (paths are relative to the plugfest file)`);
    // loaded now so that a mistake in it (or a missing ${ENV} secret) stops the plugfest before it starts
    const loaded = rethrowAt(`${at}.target`, fail, () => loadTargetFile(path, ctx.env ?? process.env));
    ctx.secrets.push(...secretsOf(loaded));
    kind = loaded.kind;
    runTarget = path;
  }
  profiles.forEach((profile, j) => {
    if (profile.targetKind !== kind) fail(`${at}.profiles[${j}]`, `profile ${profile.id} tests ${profile.targetKind} targets; ${t.target} is a ${kind} target`);
  });

  const embeddedOi4 = device !== undefined && kind === 'oi4-mqtt';
  if (!embeddedOi4) {
    if (t.serialNumber !== undefined) fail(`${at}.serialNumber`, 'applies only to embedded OI4 devices (embedded:oi4-*)');
    if (t.sharedBroker !== undefined) fail(`${at}.sharedBroker`, 'applies only to embedded OI4 devices (a target file names its own broker)');
  }
  // the device's broker faults and the security group change the broker itself, so they need one of their own
  const needsOwnBroker = device?.faults.filter((f) => faults.includes(f.name) && (f.broker || f.claims?.includes(SECURITY_GROUP))).map((f) => f.name) ?? [];
  if (claims.includes(SECURITY_GROUP)) needsOwnBroker.push(`claim ${SECURITY_GROUP}`);
  const onSharedBroker = ctx.sharedBroker && embeddedOi4 && t.sharedBroker !== false;
  if (onSharedBroker && needsOwnBroker.length) {
    fail(`${at}.sharedBroker`, `${needsOwnBroker.join(', ')} change(s) the broker and need the device's own: set sharedBroker: false for this target`);
  }
  let offSharedBrokerBecause: string | undefined;
  if (ctx.sharedBroker && kind === 'oi4-mqtt' && !onSharedBroker) {
    offSharedBrokerBecause = embeddedOi4 ? 'it ran on a broker of its own (sharedBroker: false)' : `it is a target file: its application is on the broker the file names, not on the plugfest's`;
  }

  // a claim no profile of this target has is a typo; each run gets the claims of its own profile
  const groups = [...new Set(profiles.flatMap((p) => Object.keys(p.optionalGroups ?? {})))];
  claims.forEach((claim, j) => {
    if (groups.includes(claim)) return;
    const hint = didYouMean(claim, groups);
    fail(`${at}.claims[${j}]`, `"${claim}" is not an optional group of ${profiles.map((p) => p.id).join(', ')}${hint ? ` (did you mean "${hint}"?)` : ''}; groups: ${groups.join(', ') || 'none'}`);
  });
  const targetParams = t.params ?? {};
  const parameterNames = [...new Set(profiles.flatMap((p) => Object.keys(p.parameters)))];
  for (const name of Object.keys(targetParams)) {
    if (parameterNames.includes(name)) continue;
    const hint = didYouMean(name, parameterNames);
    fail(`${at}.params.${name}`, `not a parameter of ${profiles.map((p) => p.id).join(', ')}${hint ? ` (did you mean "${hint}"?)` : ''}`);
  }
  if (t.only !== undefined) {
    for (const profile of profiles) rethrowAt(`${at}.only`, fail, () => selectRequirements(profile, t.only));
  }
  let waivers: string | undefined;
  if (t.waivers !== undefined) {
    waivers = resolve(ctx.base, t.waivers);
    rethrowAt(`${at}.waivers`, fail, () => loadWaivers(waivers!, library.catalog));
  }

  const timeoutMs = t.runTimeoutMs ?? ctx.runTimeoutMs;
  const runs = profiles.map((profile): PlannedRun => {
    const own = claims.filter((c) => c in (profile.optionalGroups ?? {}));
    rethrowAt(`${at}.claims`, fail, () => checkClaims(profile, own));
    const params = Object.fromEntries(
      Object.entries({ ...ctx.planParams, ...targetParams }).filter(([name]) => name in profile.parameters),
    );
    return {
      profileId: profile.id,
      profileTitle: profile.title,
      dir: `targets/${t.name}/${profile.id}`,
      log: `targets/${t.name}/${profile.id}.log`,
      timeoutMs,
      claims: own,
      params,
    };
  });

  const target: PlannedTarget = {
    name: t.name,
    reference: t.target,
    runTarget,
    origin: device ? 'embedded' : 'file',
    kind,
    faults,
    // default: the target's name, unique in the plugfest, so that two devices of one type get different AppIds
    ...(embeddedOi4 && { serialNumber: t.serialNumber ?? t.name }),
    onSharedBroker,
    ...(offSharedBrokerBecause !== undefined && { offSharedBrokerBecause }),
    ...(waivers !== undefined && { waivers }),
    ...(t.only !== undefined && { only: t.only }),
    runs,
  };
  return { target, profiles };
}

/** Puts the field in front of a ConfigError from a shared loader, so the one line says where in the plugfest file. */
function rethrowAt<T>(field: string, fail: (field: string, message: string) => never, load: () => T): T {
  try {
    return load();
  } catch (error) {
    if (error instanceof ConfigError) return fail(field, error.message);
    throw error;
  }
}

/** The command line of one run: `oi4-conformance run …` without the executable. */
export function runArguments(plan: Pick<PlugfestPlan, 'mode'>, target: PlannedTarget, run: PlannedRun, where: { outDir: string; brokerUrl?: string }): string[] {
  const args = ['run', '--profile', run.profileId, '--target', target.runTarget, '--out', where.outDir, '--mode', plan.mode, '--no-color'];
  for (const fault of target.faults) args.push('--fault', fault);
  for (const claim of run.claims) args.push('--claim', claim);
  for (const [name, value] of Object.entries(run.params)) args.push('--param', `${name}=${value}`);
  if (target.waivers !== undefined) args.push('--waivers', target.waivers);
  if (target.only !== undefined) args.push('--only', target.only);
  if (target.serialNumber !== undefined) args.push('--serial-number', target.serialNumber);
  if (target.onSharedBroker && where.brokerUrl !== undefined) args.push('--broker', where.brokerUrl);
  return args;
}
