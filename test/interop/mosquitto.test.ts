/**
 * The interop lane: the profile against the reference device through a real Mosquitto broker (Debian
 * package), started by the test on a free loopback port. Locally it skips with a printed reason when
 * Mosquitto is missing; in CI (CI=true) a missing Mosquitto is a failure, never a silent skip.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { freePort } from '../support/net.js';
import { ROOT, readReport, runCli, tempDir } from '../support/cli.js';

const MOSQUITTO = ['/usr/sbin/mosquitto', '/usr/bin/mosquitto', '/usr/local/sbin/mosquitto'].find((p) => existsSync(p));
const IN_CI = process.env['CI'] === 'true';
const APP_ID = 'reference.oi4-conformance.test/Reference,20App/REF-APP,231/0001';

if (!MOSQUITTO && !IN_CI) console.log('interop lane skipped: mosquitto is not installed (apt-get install -y mosquitto); CI installs it and runs this lane');

/** Starts a process and resolves once its output matches; rejects at the deadline with what it printed. */
function startUntil(command: string, args: string[], ready: RegExp, timeoutMs: number): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const onData = (data: Buffer) => {
      output += data.toString();
      if (ready.test(output)) {
        clearTimeout(timer);
        resolve(child);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${command} exited with ${code} before it was ready: ${output.slice(-500)}`));
    });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${command} not ready within ${timeoutMs} ms: ${output.slice(-500)}`));
    }, timeoutMs);
  });
}

function stop(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

describe.skipIf(!MOSQUITTO && !IN_CI)('interop lane: Mosquitto', () => {
  let broker: ChildProcess | undefined;
  let url: string;
  const devices: ChildProcess[] = [];

  beforeAll(async () => {
    expect(MOSQUITTO, 'CI must install mosquitto (.ci/run does)').toBeDefined();
    const dir = tempDir('mosquitto');
    const port = await freePort();
    const config = join(dir, 'mosquitto.conf');
    writeFileSync(config, `listener ${port} 127.0.0.1\nallow_anonymous true\npersistence false\nlog_dest stderr\nlog_type information\n`);
    broker = await startUntil(MOSQUITTO!, ['-c', config], /running|Opening ipv4 listen socket/, 10_000);
    url = `mqtt://127.0.0.1:${port}`;
  });

  afterAll(async () => {
    await Promise.all(devices.map(stop));
    await stop(broker);
  });

  async function startReference(device: string, args: string[]): Promise<void> {
    devices.push(await startUntil(process.execPath, [join(ROOT, 'bin', 'oi4-conformance.mjs'), 'reference', device, '--broker', url, ...args], /is running as/, 20_000));
  }

  // All three reference devices share the broker, as at a plugfest. Quick mode: these target files name no
  // actions, so the lifecycle checks could not restart the devices.
  test.each([
    ['oi4-app', 'oi4-oec-application', 'discover', ''],
    ['oi4-device', 'oi4-oec-device', 'reference.oi4-conformance.test/Reference,20Device/REF-DEV-1/D0001', 'OTConnector'],
    ['oi4-gateway', 'oi4-oec-gateway', 'reference.oi4-conformance.test/Reference,20Gateway/REF-GW-1/G0001', 'OTConnector'],
  ])('clean %s is CONFORMANT to %s through Mosquitto', async (device, profile, appId, serviceType) => {
    // a short heartbeat lets discovery see the application soon
    await startReference(device, ['--health-interval', '1000']);
    const dir = tempDir(`interop-${device}`);
    const file = join(dir, 'target.yaml');
    const oi4 = appId === 'discover' ? '  appId: discover\nparameters:\n  discoveryTimeoutMs: 15000\n' : `  appId: ${appId}\n  serviceType: ${serviceType}\n`;
    writeFileSync(file, `name: mosquitto-${device}\nkind: oi4-mqtt\nbroker:\n  url: ${url}\noi4:\n${oi4}`);
    const result = await runCli(['run', '--profile', profile, '--target', file, '--out', join(dir, 'out'), '--mode', 'quick']);
    expect(result.code, result.stderr + result.stdout).toBe(0);
    const report = readReport(join(dir, 'out'));
    expect(report.verdict).toBe('CONFORMANT');
    if (appId === 'discover') expect(report.target.appId).toBe(APP_ID);
    expect(report.target.identity?.fields['ManufacturerUri']).toBe('reference.oi4-conformance.test');
  });

  test('a faulty device on the same broker is caught by exactly its requirement', async () => {
    await startReference('oi4-app', ['--fault', 'no-correlation-id', '--serial-number', '0002']);
    const dir = tempDir('interop-fault');
    const file = join(dir, 'target.yaml');
    writeFileSync(file, `name: mosquitto-faulty\nkind: oi4-mqtt\nbroker:\n  url: ${url}\noi4:\n  appId: ${APP_ID.replace(/0001$/, '0002')}\n  serviceType: Utility\n`);
    const result = await runCli(['run', '--profile', 'oi4-oec-application', '--target', file, '--out', join(dir, 'out'), '--mode', 'quick']);
    expect(result.code, result.stderr).toBe(1);
    const failing = readReport(join(dir, 'out')).requirements.filter((r) => r.outcome === 'FAIL').map((r) => r.id);
    expect(failing).toEqual(['OI4-GET-003']);
  });
});
