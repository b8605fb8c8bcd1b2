/**
 * The self-test matrix (DESIGN.md section 8): the profile against the clean reference device must be
 * CONFORMANT with nothing failing, and every fault of the device must turn exactly its declared
 * requirements to FAIL (MUST) or WARN (SHOULD) and fail nothing else. This is how every check proves it can fail.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { loadLibrary } from '../../harness/catalog/index.js';
import { sha256Hex } from '../../harness/evidence/index.js';
import { validateReport } from '../../harness/report/index.js';
import { referenceDevices } from '../../fixtures/devices/index.js';
import { ROOT, readReport, runCli, tempDir } from '../support/cli.js';

// The reference devices answer within milliseconds and heartbeat as fast as they are told: shorter waits keep
// faults that never answer quick. Overriding the Health interval (a guideline parameter) marks these runs
// non-certifying, as it must. A profile gets the ones it defines.
const FAST_PARAMETERS = [
  ['responseTimeoutMs', 1000],
  ['silenceWindowMs', 300],
  ['healthIntervalMs', 500],
  ['healthToleranceMs', 500],
  ['birthTimeoutMs', 5000],
  ['lastWillTimeoutMs', 5000],
] as const;

interface ListedFault {
  name: string;
  description: string;
  breaks: string[];
  claims?: string[];
  /** the profiles the fault shows in, for a device whose profiles share requirements (the AAS server) */
  profiles?: string[];
}

const library = loadLibrary();
const levelOf = (id: string) => library.catalog.get(id)!.level;

// the fault lists exactly as a lab would get them: from the CLI
function listFaults(device: string): ListedFault[] {
  const text = execFileSync(process.execPath, [join(ROOT, 'bin', 'oi4-conformance.mjs'), 'reference', device, '--list-faults', '--json'], { cwd: ROOT, encoding: 'utf8' });
  return JSON.parse(text) as ListedFault[];
}

/**
 * Every CLI run of the matrix goes through one queue, at most three at a time (more starve the 1 s response
 * deadlines on 2 cores), in the order asked. The clean runs of every device are asked for when the file
 * starts: while one device's clean full run waits on heartbeats, the next devices' clean runs already use
 * the idle slots, instead of the file waiting device by device.
 */
const MAX_RUNS = 3;
const QUEUED_TIMEOUT_MS = 900_000;
const queue: (() => void)[] = [];
let active = 0;
function queuedCli(...args: Parameters<typeof runCli>): ReturnType<typeof runCli> {
  return new Promise((resolve, reject) => {
    const start = () => {
      active++;
      runCli(...args)
        .then(resolve, reject)
        .finally(() => {
          active--;
          queue.shift()?.();
        });
    };
    if (active < MAX_RUNS) start();
    else queue.push(start);
  });
}

const devices = Object.values(referenceDevices).map((device) => ({ device: device.name, faults: listFaults(device.name) }));

/** Every profile a reference device must pass, with the faults that break something of it. */
const matrix = Object.values(referenceDevices).flatMap((definition) => {
  const faults = devices.find((d) => d.device === definition.name)!.faults;
  const profileIds = [definition.defaultProfile, ...(definition.alsoProfiles ?? [])];
  return profileIds.map((profileId) => {
    const profile = library.profiles.find((p) => p.id === profileId)!;
    const ids = new Set([...profile.requirements, ...Object.values(profile.optionalGroups ?? {}).flat()]);
    // a device with several profiles runs each fault in the profile whose requirements it breaks
    // (or in the profiles it names: an AAS server's profiles share their requirements, and a fault shows in some)
    const relevant = profileIds.length === 1 ? faults : faults.filter((f) => (f.profiles ? f.profiles.includes(profileId) : f.breaks.some((id) => ids.has(id))));
    return { device: definition.name, profileId, faults: relevant, allFaults: faults, profileIds };
  });
});

/** Starts of every device's clean runs, collected as the describes are; the first hook calls them all. */
const starters: (() => unknown)[] = [];
beforeAll(() => {
  for (const start of starters) void start();
});

describe.each(matrix)('$device against $profileId', ({ device, profileId, faults, allFaults, profileIds }) => {
  const profile = library.profiles.find((p) => p.id === profileId)!;
  const target = `embedded:${device}`;
  const FAST = FAST_PARAMETERS.filter(([name]) => name in profile.parameters).flatMap(([name, value]) => ['--param', `${name}=${value}`]);
  // groups the embedded target serves whatever the device: the broker's security, and the OPC UA device
  // the gateway puts behind itself (opcua-consistency)
  const CLAIMS = ['security', 'opcua-consistency'].filter((g) => g in (profile.optionalGroups ?? {})).flatMap((g) => ['--claim', g]);
  // only the OI4 lifecycle waits on the clock; without it, quick mode runs exactly what full mode runs
  const clockBound = 'healthIntervalMs' in profile.parameters;
  // The clean quick run of a clock-bound profile, started once: the clean tests judge it, and the fault runs
  // learn from it which requirements only clock-bound checks decide (the ones quick mode defers).
  const quickDir = tempDir(`${device}-quick`);
  const fullDir = tempDir(`${device}-clean`);
  // asked for at once (see the queue): the file's first hook starts them, in the order of the devices
  let cleanRuns: Promise<[Awaited<ReturnType<typeof runCli>>, Awaited<ReturnType<typeof runCli>> | undefined]> | undefined;
  const clean = () =>
    (cleanRuns ??= Promise.all([
      queuedCli(['run', '--profile', profileId, '--target', target, ...CLAIMS, '--out', fullDir, ...FAST]),
      clockBound ? queuedCli(['run', '--profile', profileId, '--target', target, ...CLAIMS, '--out', quickDir, '--mode', 'quick']) : undefined,
    ]));
  starters.push(clean);
  const cleanQuick = async () => (await clean())[1];

  describe('clean', () => {
    let full: { dir: string; result: Awaited<ReturnType<typeof runCli>> };
    let quick: { dir: string; result: Awaited<ReturnType<typeof runCli>> } | undefined;
    // the time a clean run may wait in the queue comes on top of its own; runCli kills a hung run at its deadline
    beforeAll(async () => {
      const [fullResult, quickResult] = await clean();
      full = { dir: fullDir, result: fullResult };
      if (quickResult) quick = { dir: quickDir, result: quickResult };
    }, QUEUED_TIMEOUT_MS);

    test('full mode: CONFORMANT with no FAIL; non-certifying exactly when a guideline interval was shortened', () => {
      expect(full.result.killed).toBe(false);
      expect(full.result.code, full.result.stderr + full.result.stdout).toBe(0);
      const report = readReport(full.dir);
      expect(report.verdict).toBe('CONFORMANT');
      expect(report.requirements.filter((r) => r.outcome !== 'PASS' && r.outcome !== 'NA').map((r) => `${r.id} ${r.outcome}: ${r.reason}`)).toEqual([]);
      expect(report.errors).toEqual([]);
      expect(report.run.certifying).toBe(!clockBound);
      if (clockBound) {
        expect(report.run.notCertifyingBecause?.join(' ')).toMatch(/guideline parameter healthIntervalMs overridden/);
        expect(full.result.stdout).toMatch(/verdict: CONFORMANT .*not a certification/);
      }
    });

    if (clockBound) {
      test('quick mode: CONFORMANT, the clock-bound requirements deferred, and said to be no certification', () => {
        expect(quick!.result.code, quick!.result.stderr).toBe(0);
        const report = readReport(quick!.dir);
        expect(report.verdict).toBe('CONFORMANT');
        expect(report.run.mode).toBe('quick');
        expect(report.run.certifying).toBe(false);
        const deferred = report.requirements.filter((r) => r.deferred).map((r) => r.id);
        expect(deferred).toEqual(expect.arrayContaining(['OI4-LIF-001', 'OI4-LIF-002', 'OI4-LIF-003']));
        expect(report.requirements.filter((r) => !r.deferred && r.outcome !== 'PASS' && r.outcome !== 'NA').map((r) => r.id)).toEqual([]);
        expect(quick!.result.stdout).toMatch(/quick mode/);
      });
    }

    test('writes a report bundle: schema-valid report.json, junit.xml, evidence and a manifest over every file', () => {
      const report = readReport(full.dir);
      const checked = validateReport(report);
      expect(checked.ok ? [] : checked.problems).toEqual([]);
      // the identity as read from the target: the OI4 MAM, the OPC UA BuildInfo and DI nameplate, or both
      const sources = (report.target.identities ?? []).map((i) => i.source).join('\n');
      if (profile.targetKind === 'oi4-mqtt') expect(report.target.identity?.fields['ManufacturerUri']).toBe('reference.oi4-conformance.test');
      // the AAS reference server serves below a path prefix, which the suite must keep
      if (profile.targetKind === 'aas') expect(sources).toMatch(/^AAS GET \/description of http:\/\/127\.0\.0\.1:\d+\/reference\/api\/v3$/m);
      if (profile.targetKind === 'opcua' || profileId === 'oi4-opcua-consistency') {
        expect(sources).toMatch(/^OPC UA BuildInfo of opc\.tcp:/m);
        expect(sources).toMatch(/^OPC UA DI nameplate of /m);
      }
      const junit = readFileSync(join(full.dir, 'junit.xml'), 'utf8');
      expect(junit).toMatch(new RegExp(`<testsuites name="oi4-conformance ${profileId}"`));
      expect(junit.match(/<testcase /g)?.length).toBe(report.checks.length + 1);
      for (const check of report.checks) for (const e of check.evidence) expect(existsSync(join(full.dir, e.file)), e.file).toBe(true);
      const manifest = readFileSync(join(full.dir, 'manifest.sha256'), 'utf8').trim().split('\n');
      const preflight = { opcua: 'evidence/preflight.opcua.jsonl', aas: 'evidence/preflight.har' }[profile.targetKind] ?? 'evidence/preflight.jsonl';
      expect(manifest.map((l) => l.slice(66))).toEqual(expect.arrayContaining(['report.json', 'junit.xml', preflight]));
      for (const line of manifest) {
        const [hash, file] = [line.slice(0, 64), line.slice(66)];
        expect(sha256Hex(readFileSync(join(full.dir, file))), file).toBe(hash);
      }
    });

    test('every testable requirement of the profile is decided by at least one check', () => {
      // an unclaimed group is not exercised (its requirements are NA); the claimed ones count like the mandatory ones
      const undecided = readReport(full.dir).requirements.filter((r) => r.mandatory && library.catalog.get(r.id)!.testable && r.checks.length === 0).map((r) => r.id);
      expect(undecided).toEqual([]);
    });

    test('every requirement a check decides is broken by some fault (a check that cannot fail is a defect)', () => {
      // any reference device's fault proves a check can fail (DESIGN.md section 8): the checks are shared
      const broken = new Set(devices.flatMap((d) => d.faults.flatMap((f) => f.breaks)));
      const decided = readReport(full.dir).requirements.filter((r) => r.checks.length > 0 && r.outcome !== 'NA').map((r) => r.id);
      expect(decided.filter((id) => !broken.has(id))).toEqual([]);
    });
  });

  test('the fault catalog names only requirements of the device\'s profiles, and groups a fault needs are groups of them', () => {
    // the empty AAS server exists to prove seeding: its faults are the pre-loaded server's
    expect(allFaults.length).toBeGreaterThanOrEqual({ 'oi4-app': 25, 'oi4-opcua-device': 2, 'aas-server': 40, 'aas-server-empty': 0 }[device] ?? 8);
    const profiles = profileIds.map((id) => library.profiles.find((p) => p.id === id)!);
    const groups = Object.assign({}, ...profiles.map((p) => p.optionalGroups ?? {})) as Record<string, string[]>;
    for (const fault of allFaults) {
      expect(fault.breaks.length, fault.name).toBeGreaterThan(0);
      // a group requirement counts only when claimed: the device's own claims or the fault's
      const claimed = [...(referenceDevices[device]?.claims ?? []), ...(fault.claims ?? [])];
      const known = [...profiles.flatMap((p) => p.requirements), ...claimed.flatMap((group) => groups[group] ?? [])];
      for (const id of fault.breaks) expect(known, `${fault.name} breaks ${id}`).toContain(id);
      for (const group of fault.claims ?? []) expect(Object.keys(groups), `${fault.name} claims ${group}`).toContain(group);
    }
  });

  // A fault that breaks only requirements some quick check decides runs in quick mode: the lifecycle checks
  // cost seconds of waiting per run, and the clean full run proves them. A fault that breaks a clock-bound
  // requirement runs in full mode, so that its requirement is decided at all.
  test.concurrent.each(faults.map((f) => [f.name, f] as const))('fault %s turns exactly its declared requirements', async (_, fault) => {
    const deferred = clockBound ? (await cleanQuick(), new Set(readReport(quickDir).requirements.filter((r) => r.deferred).map((r) => r.id))) : new Set<string>();
    const mode = fault.breaks.some((id) => deferred.has(id)) ? 'full' : 'quick';
    const dir = tempDir(`${device}-${fault.name}`);
    const result = await queuedCli(['run', '--profile', profileId, '--target', target, '--fault', fault.name, '--mode', mode, '--out', dir, ...FAST], { timeoutMs: 170_000 });
    expect(result.killed, `${fault.name} hung`).toBe(false);
    const report = readReport(dir);
    const outcomes = Object.fromEntries(report.requirements.map((r) => [r.id, r.outcome]));
    // of a device with several profiles, the ids of this one
    const breaks = fault.breaks.filter((id) => id in outcomes);
    const expected = Object.fromEntries(breaks.map((id) => [id, levelOf(id) === 'MUST' ? 'FAIL' : 'WARN']));
    expect(Object.fromEntries(breaks.map((id) => [id, outcomes[id]])), JSON.stringify(report.requirements.filter((r) => breaks.includes(r.id)).map((r) => r.reason))).toEqual(expected);
    const otherFailures = report.requirements.filter((r) => r.outcome === 'FAIL' && !breaks.includes(r.id)).map((r) => `${r.id}: ${r.reason}`);
    expect(otherFailures).toEqual([]);
    const breaksMust = breaks.some((id) => levelOf(id) === 'MUST');
    expect(report.verdict).toBe(breaksMust ? 'NOT_CONFORMANT' : 'CONFORMANT');
    expect(result.code).toBe(breaksMust ? 1 : 0);
    expect(report.run.certifying).toBe(false);
    const checked = validateReport(report);
    expect(checked.ok ? [] : checked.problems).toEqual([]);
  }, QUEUED_TIMEOUT_MS);
});
