/**
 * `oi4-conformance plugfest`: many targets, each with its profiles, side by side, and the matrix. The big test runs
 * a plugfest of reference devices with mixed faults on one shared broker and pins the whole matrix; every
 * cross-target requirement is turned to FAIL by a deliberate setup (DESIGN.md section 8: a check that cannot
 * fail proves nothing). The small ones cover a configuration error, a run that never ends, and Ctrl-C.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, watch, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { validatePlugfestResult, type PlugfestResult } from '../harness/plugfest/index.js';
import { ROOT, runCli, tempDir } from './support/cli.js';

function writePlugfest(dir: string, yaml: string): string {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'plugfest.yaml');
  writeFileSync(file, yaml);
  return file;
}

function readMatrix(out: string): PlugfestResult {
  const checked = validatePlugfestResult(JSON.parse(readFileSync(join(out, 'plugfest.json'), 'utf8')));
  if (!checked.ok) throw new Error(`plugfest.json is invalid: ${checked.problems.join('; ')}`);
  return checked.value;
}

/** target -> profile -> verdict, as a lab reads the matrix */
function verdicts(result: PlugfestResult): Record<string, Record<string, string>> {
  return Object.fromEntries(result.targets.map((t) => [t.name, Object.fromEntries(t.runs.map((r) => [r.profile, r.verdict]))]));
}

function crossOutcomes(result: PlugfestResult, requirement: string): Record<string, string> {
  return Object.fromEntries(result.crossTarget.results.filter((r) => r.requirement === requirement).map((r) => [r.target, r.outcome]));
}

const MIXED = `
name: mixed-faults
mode: quick
concurrency: 3
broker: embedded
targets:
  - { name: app-clean, target: "embedded:oi4-app", profiles: [oi4-oec-application] }
  - { name: device-clean, target: "embedded:oi4-device", profiles: [oi4-oec-device] }
  # a target's profiles run one after the other, against the same device
  - { name: gateway-clean, target: "embedded:oi4-gateway", profiles: [oi4-oec-gateway, oi4-oec-application] }
  - { name: app-config-uncorrelated, target: "embedded:oi4-app", profiles: [oi4-oec-application], faults: [config-set-uncorrelated] }
  - { name: device-wrong-class-id, target: "embedded:oi4-device", profiles: [oi4-oec-device], faults: [wrong-dataset-class-id] }
  - { name: gateway-omits-device-mam, target: "embedded:oi4-gateway", profiles: [oi4-oec-gateway], faults: [omits-device-mam] }
  # its MAM names serial 0002 while it publishes under its own AppId: PLUGFEST-MAM must FAIL (and OI4-MAM-005)
  - { name: app-mam-serial-differs, target: "embedded:oi4-app", profiles: [oi4-oec-application], faults: [mam-serial-differs] }
  # conformant, but on a broker of its own: nobody at the plugfest could see its MAM, PLUGFEST-MAM must FAIL
  - { name: device-own-broker, target: "embedded:oi4-device", profiles: [oi4-oec-device], sharedBroker: false }
  # the same SerialNumber twice: one AppId for two applications, PLUGFEST-APPID must FAIL for both. Only the MAM
  # requirements: two applications answering every Get under one AppId make the other checks' outcomes a race
  - { name: twin-a, target: "embedded:oi4-app", profiles: [oi4-oec-application], serialNumber: TWIN-1, only: "OI4-MAM-*" }
  - { name: twin-b, target: "embedded:oi4-app", profiles: [oi4-oec-application], serialNumber: TWIN-1, only: "OI4-MAM-*" }
  # an OPC UA device is in the matrix, and not an OI4 participant
  - { name: opcua-nameplate, target: "embedded:opcua-device", profiles: [opcua-device-nameplate] }
`;

describe('plugfest', () => {
  test('a plugfest of 11 embedded targets with mixed faults on a shared broker yields the expected matrix', async () => {
    const dir = tempDir('plugfest-mixed');
    const out = join(dir, 'out');
    const started = performance.now();
    const result = await runCli(['plugfest', writePlugfest(dir, MIXED), '--out', out], { timeoutMs: 170_000 });
    const wallMs = performance.now() - started;
    expect(result.killed).toBe(false);
    const matrix = readMatrix(out);

    expect(verdicts(matrix)).toEqual({
      'app-clean': { 'oi4-oec-application': 'CONFORMANT' },
      'device-clean': { 'oi4-oec-device': 'CONFORMANT' },
      'gateway-clean': { 'oi4-oec-gateway': 'CONFORMANT', 'oi4-oec-application': 'CONFORMANT' },
      'app-config-uncorrelated': { 'oi4-oec-application': 'NOT_CONFORMANT' },
      'device-wrong-class-id': { 'oi4-oec-device': 'NOT_CONFORMANT' },
      'gateway-omits-device-mam': { 'oi4-oec-gateway': 'NOT_CONFORMANT' },
      'app-mam-serial-differs': { 'oi4-oec-application': 'NOT_CONFORMANT' },
      'device-own-broker': { 'oi4-oec-device': 'CONFORMANT' },
      // --only: the other mandatory requirements are not executed, so never CONFORMANT
      'twin-a': { 'oi4-oec-application': 'INCOMPLETE' },
      'twin-b': { 'oi4-oec-application': 'INCOMPLETE' },
      'opcua-nameplate': { 'opcua-device-nameplate': 'CONFORMANT' },
    });
    // each faulted run fails exactly the requirements its fault declares
    const failing = (target: string) =>
      matrix.heatMap.rows.filter((row) => !row.requirement.startsWith('PLUGFEST-') && row.cells[target]?.outcome === 'FAIL').map((row) => row.requirement);
    expect(failing('app-config-uncorrelated')).toEqual(['OI4-CFG-003']);
    expect(failing('device-wrong-class-id')).toEqual(['OI4-ENV-005']);
    expect(failing('gateway-omits-device-mam')).toEqual(['OI4-GW-001']);
    expect(failing('app-mam-serial-differs')).toEqual(['OI4-MAM-005']);
    for (const clean of ['app-clean', 'device-clean', 'gateway-clean', 'device-own-broker', 'twin-a', 'twin-b', 'opcua-nameplate']) expect(failing(clean)).toEqual([]);
    // the heat map takes the worst over a target's profiles, and says which profiles had the requirement
    const topicRow = matrix.heatMap.rows.find((row) => row.requirement === 'OI4-TOP-001')!;
    expect(topicRow.cells['gateway-clean']).toEqual({ outcome: 'PASS', profiles: ['oi4-oec-gateway', 'oi4-oec-application'] });
    expect(topicRow.cells['opcua-nameplate']).toBeUndefined();

    // the OPC UA device is no OI4 participant; every OI4 target is, also the one on its own broker
    const participants = ['app-clean', 'device-clean', 'gateway-clean', 'app-config-uncorrelated', 'device-wrong-class-id', 'gateway-omits-device-mam', 'app-mam-serial-differs', 'device-own-broker', 'twin-a', 'twin-b'];
    const all = (outcome: string) => Object.fromEntries(participants.map((p) => [p, outcome]));
    expect(matrix.crossTarget.applies).toBe(true);
    expect(crossOutcomes(matrix, 'PLUGFEST-MAM')).toEqual({ ...all('PASS'), 'app-mam-serial-differs': 'FAIL', 'device-own-broker': 'FAIL' });
    expect(crossOutcomes(matrix, 'PLUGFEST-APPID')).toEqual({ ...all('PASS'), 'twin-a': 'FAIL', 'twin-b': 'FAIL' });
    const reason = (requirement: string, target: string) => matrix.crossTarget.results.find((r) => r.requirement === requirement && r.target === target)!.reason;
    expect(reason('PLUGFEST-MAM', 'app-mam-serial-differs')).toMatch(/names the Oi4Identifier .*\/0002, not the AppId .*\/app-mam-serial-differs/);
    expect(reason('PLUGFEST-MAM', 'device-own-broker')).toMatch(/never seen there: it ran on a broker of its own \(sharedBroker: false\)/);
    expect(reason('PLUGFEST-APPID', 'twin-a')).toMatch(/\/TWIN-1, and target twin-b has the same AppId/);
    expect(reason('PLUGFEST-MAM', 'app-clean')).toMatch(/its MAM was seen \d+ time\(s\) on Oi4\/Utility\/.*\/app-clean\/Pub\/MAM\//);
    // default SerialNumbers are the target names: two devices of one type get different AppIds
    expect(matrix.targets.find((t) => t.name === 'app-clean')!.appId).toBe('reference.oi4-conformance.test/Reference,20App/REF-APP,231/app-clean');
    expect(matrix.heatMap.rows.slice(0, 2).map((r) => r.requirement)).toEqual(['PLUGFEST-MAM', 'PLUGFEST-APPID']);
    expect(matrix.counts.crossTarget).toEqual({ PASS: 16, FAIL: 4, NOT_EXECUTED: 0, ERROR: 0 });

    // every cell links the run's own report, and the links resolve inside the bundle
    for (const target of matrix.targets) {
      for (const run of target.runs) {
        expect(run.html).toBe(`targets/${target.name}/${run.profile}/report.html`);
        expect(existsSync(join(out, run.html!))).toBe(true);
        expect(existsSync(join(out, run.report!))).toBe(true);
        expect(existsSync(join(out, run.log))).toBe(true);
      }
    }
    const html = readFileSync(join(out, 'plugfest.html'), 'utf8');
    expect(html).toContain('href="targets/app-clean/oi4-oec-application/report.html"');
    expect(html).not.toMatch(/<script|<link|<img|\ssrc=/i);
    expect(existsSync(join(out, 'manifest.sha256'))).toBe(true);
    expect(readFileSync(join(out, 'manifest.sha256'), 'utf8')).toMatch(/ {2}plugfest\.json\n/);

    expect(matrix.verdict).toBe('NOT_CONFORMANT');
    expect(result.code).toBe(1);
    // one progress line per finished run
    expect(result.stderr.match(/^\[\s*\d+\/12\] /gm)).toHaveLength(12);
    expect(result.stdout).toContain('plugfest mixed-faults: NOT_CONFORMANT (exit code 1)');
    // different targets ran side by side, never more than 3 at once; a target's own runs one after the other
    const spans = matrix.targets.flatMap((t) => t.runs.map((r) => ({ target: t.name, from: Date.parse(r.startedAt!), to: Date.parse(r.startedAt!) + r.durationMs! })));
    const overlapping = (at: number) => spans.filter((s) => s.from <= at && at < s.to);
    // (the span ends are rounded to the millisecond: one ms of slack, so a lane's next run does not count twice)
    const most = Math.max(...spans.map((s) => overlapping(s.from + 1).length));
    expect(most).toBeGreaterThanOrEqual(2);
    expect(most).toBeLessThanOrEqual(3);
    const [gatewayFirst, gatewaySecond] = spans.filter((s) => s.target === 'gateway-clean');
    expect(gatewaySecond!.from).toBeGreaterThanOrEqual(gatewayFirst!.to);
    expect(wallMs).toBeLessThan(spans.reduce((n, s) => n + (s.to - s.from), 0));
  }, 180_000);

  test('a participant answering Gets meant for others is caught, and its neighbours are judged on their own answers', async () => {
    const dir = tempDir('plugfest-meddler');
    const out = join(dir, 'out');
    const file = writePlugfest(
      dir,
      `name: meddler\nmode: quick\nconcurrency: 3\nbroker: embedded\ntargets:\n` +
        `  - { name: clean-1, target: "embedded:oi4-app", profiles: [oi4-oec-application] }\n` +
        `  - { name: clean-2, target: "embedded:oi4-app", profiles: [oi4-oec-application] }\n` +
        `  - { name: meddler, target: "embedded:oi4-app", profiles: [oi4-oec-application], faults: [answers-foreign-get] }\n`,
    );
    const result = await runCli(['plugfest', file, '--out', out], { timeoutMs: 120_000 });
    expect(result.code, result.stderr).toBe(1);
    const matrix = readMatrix(out);
    expect(verdicts(matrix)).toEqual({
      'clean-1': { 'oi4-oec-application': 'CONFORMANT' },
      'clean-2': { 'oi4-oec-application': 'CONFORMANT' },
      meddler: { 'oi4-oec-application': 'NOT_CONFORMANT' },
    });
    const meddler = JSON.parse(readFileSync(join(out, matrix.targets[2]!.runs[0]!.report!), 'utf8')) as { requirements: { id: string; outcome: string }[] };
    expect(meddler.requirements.filter((r) => r.outcome === 'FAIL').map((r) => r.id)).toEqual(['OI4-GET-005']);
    expect(crossOutcomes(matrix, 'PLUGFEST-APPID')).toEqual({ 'clean-1': 'PASS', 'clean-2': 'PASS', meddler: 'FAIL' });
    expect(crossOutcomes(matrix, 'PLUGFEST-MAM')).toEqual({ 'clean-1': 'PASS', 'clean-2': 'PASS', meddler: 'PASS' });
  }, 130_000);

  test('a typo in a profile id is a one-line configuration error, and nothing starts', async () => {
    const dir = tempDir('plugfest-typo');
    const out = join(dir, 'out');
    const file = writePlugfest(dir, `name: typo\nbroker: embedded\ntargets:\n  - { name: app, target: "embedded:oi4-app", profiles: [oi4-oec-aplication] }\n`);
    const result = await runCli(['plugfest', file, '--out', out], { timeoutMs: 20_000 });
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/plugfest\.yaml: targets\[0\]\.profiles\[0\]: unknown profile "oi4-oec-aplication" \(did you mean "oi4-oec-application"\?\)/);
    expect(existsSync(out)).toBe(false);
  });

  test('a run that does not end in time is an ERROR cell, and the matrix is still written', async () => {
    const dir = tempDir('plugfest-timeout');
    const out = join(dir, 'out');
    const file = writePlugfest(dir, `name: stuck\nmode: quick\ntargets:\n  - { name: slow-app, target: "embedded:oi4-app", profiles: [oi4-oec-application], runTimeoutMs: 300 }\n`);
    const result = await runCli(['plugfest', file, '--out', out], { timeoutMs: 30_000 });
    expect(result.code).toBe(3);
    const matrix = readMatrix(out);
    const [run] = matrix.targets[0]!.runs;
    expect(run).toMatchObject({ verdict: 'ERROR', report: null, html: null, errors: ['no result within the run timeout (300 ms): the run was killed'] });
    expect(existsSync(join(out, run!.log))).toBe(true);
    expect(existsSync(join(out, 'plugfest.html'))).toBe(true);
    expect(matrix.crossTarget.applies).toBe(false);
    expect(result.stderr).toMatch(/\[1\/1\] slow-app · oi4-oec-application: ERROR \(\d+\.\d s\) — no result within the run timeout/);
  });

  test('Ctrl-C lets the running run finish its report, starts nothing more, and writes the matrix', async () => {
    const dir = tempDir('plugfest-interrupt');
    const out = join(dir, 'out');
    mkdirSync(out);
    const file = writePlugfest(
      dir,
      `name: interrupted\nmode: quick\nconcurrency: 1\nbroker: embedded\ntargets:\n` +
        `  - { name: first, target: "embedded:oi4-app", profiles: [oi4-oec-application] }\n` +
        `  - { name: second, target: "embedded:oi4-app", profiles: [oi4-oec-application] }\n`,
    );
    const child = spawn(process.execPath, [join(ROOT, 'bin', 'oi4-conformance.mjs'), 'plugfest', file, '--out', out], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    // the run prints its header once its own Ctrl-C handler is in place: interrupt then, not before
    const firstLog = join(out, 'targets', 'first', 'oi4-oec-application.log');
    await new Promise<void>((resolve, reject) => {
      const deadline = setTimeout(() => finish(new Error(`the first run did not start within 30 s; stderr: ${stderr}`)), 30_000);
      const watcher = watch(out, { recursive: true }, () => {
        if (existsSync(firstLog) && readFileSync(firstLog, 'utf8').includes('oi4-conformance: oi4-oec-application')) finish();
      });
      function finish(error?: Error) {
        clearTimeout(deadline);
        watcher.close();
        if (error) reject(error);
        else resolve();
      }
    });
    child.kill('SIGINT');
    const code = await exited;
    const matrix = readMatrix(out);
    expect(matrix.interrupted).toBe(true);
    expect(verdicts(matrix)).toEqual({ first: { 'oi4-oec-application': 'INCOMPLETE' }, second: { 'oi4-oec-application': 'NOT_RUN' } });
    expect(matrix.targets[0]!.runs[0]!.errors).toContain('the run was interrupted by the operator');
    expect(existsSync(join(out, matrix.targets[0]!.runs[0]!.html!))).toBe(true);
    expect(code).toBe(3);
    expect(stderr).toContain('interrupted: asking the running runs to finish their reports');
  }, 60_000);
});
