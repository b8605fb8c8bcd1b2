/**
 * The interop lane: the profile against the reference device through a real Mosquitto broker (Debian
 * package), started by the test on a free loopback port. Locally it skips with a printed reason when
 * Mosquitto is missing; in CI (CI=true) a missing Mosquitto is a failure, never a silent skip.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { readReport, runCli, tempDir } from '../support/cli.js';
import { skipWithoutMosquitto, startMosquitto, startReference as startReferenceProcess, stopChild, type Mosquitto } from '../support/mosquitto.js';

const APP_ID = 'reference.oi4-conformance.test/Reference,20App/REF-APP,231/0001';

describe.skipIf(skipWithoutMosquitto('interop lane'))('interop lane: Mosquitto', () => {
  let broker: Mosquitto | undefined;
  let url: string;
  const devices: ChildProcess[] = [];

  beforeAll(async () => {
    broker = await startMosquitto();
    url = broker.url;
  });

  afterAll(async () => {
    await Promise.all(devices.map((d) => stopChild(d)));
    await broker?.stop();
  });

  async function startReference(device: string, args: string[]): Promise<void> {
    devices.push((await startReferenceProcess(device, url, args)).child);
  }

  // All three reference devices share the broker, as at a plugfest. Quick mode: these target files name no
  // actions, so the lifecycle checks could not restart the devices (mosquitto-lifecycle.test.ts runs full mode
  // with shell actions).
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
