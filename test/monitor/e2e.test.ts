/**
 * `oi4-conformance monitor` end to end on a real Mosquitto, as at a plugfest: the three reference devices and
 * a faulty fourth run as `oi4-conformance reference` processes, a bus tool sends Gets to each of them, and the
 * monitor (the CLI, through a target file) watches for a few seconds. Every clean AppId must come out without
 * a violation, and the faulty one with exactly the requirement its fault breaks, in monitor.json and in the
 * terminal summary.
 *
 * Mosquitto rather than the embedded broker: a monitor watches a lab's broker, never ours, and
 * test/monitor/cli.test.ts already covers the embedded one. Locally the lane skips with a printed reason when
 * Mosquitto is missing; CI (CI=true) installs it and runs it.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { MonitorReportJson } from '../../harness/cli/monitor.js';
import { buildGetRequest, buildTopic, encodeNetworkMessage, isServiceType, type Resource } from '../../harness/protocols/oi4/index.js';
import { runCli, tempDir } from '../support/cli.js';
import { skipWithoutMosquitto, startMosquitto, startReference, stopChild, type Mosquitto, type Started } from '../support/mosquitto.js';

const REQUESTER = 'Utility/tools.example.com/Bus,20Tool/BT-1/T0001';
/** passive: every heartbeat and every answer of the faulty application carries such a MessageId */
const FAULT = 'message-id-not-timestamp';
const FAULT_BREAKS = 'OI4-ID-003';
const HEALTH_INTERVAL_MS = '500';
const DURATION_S = 4;

type Device = Started & { serviceType: string; appId: string };

describe.skipIf(skipWithoutMosquitto('monitor end-to-end lane'))('monitor end to end: three reference devices and a faulty one on Mosquitto', () => {
  let broker: Mosquitto | undefined;
  const devices: Device[] = [];
  let clean: Device[] = [];
  let faulty: Device;
  let requester: MqttClient | undefined;
  let requestTimer: NodeJS.Timeout | undefined;

  beforeAll(async () => {
    broker = await startMosquitto();
    const url = broker.url;
    const started = await Promise.allSettled([
      startReference('oi4-app', url, ['--health-interval', HEALTH_INTERVAL_MS]),
      startReference('oi4-device', url, ['--health-interval', HEALTH_INTERVAL_MS]),
      startReference('oi4-gateway', url, ['--health-interval', HEALTH_INTERVAL_MS]),
      startReference('oi4-app', url, ['--health-interval', HEALTH_INTERVAL_MS, '--serial-number', '0002', '--fault', FAULT]),
    ]);
    for (const s of started) if (s.status === 'fulfilled') devices.push(s.value);
    const failed = started.find((s) => s.status === 'rejected');
    if (failed) throw failed.reason;
    clean = devices.slice(0, 3);
    faulty = devices[3]!;
  });

  afterAll(async () => {
    clearInterval(requestTimer);
    await requester?.endAsync(true);
    await Promise.all(devices.map((d) => stopChild(d.child)));
    await broker?.stop();
  });

  /** A bus tool: Gets (with and without Source) to every device, so the monitor pairs Gets and Pubs. */
  async function startRequests(everyMs: number): Promise<void> {
    requester = await mqtt.connectAsync(broker!.url, { clientId: `monitor-e2e-${process.pid}`, protocolVersion: 4, reconnectPeriod: 0 });
    const client = requester;
    const send = () => {
      for (const device of devices) {
        const serviceType = device.serviceType;
        if (!isServiceType(serviceType)) throw new Error(`${device.appId} runs as "${serviceType}", not an OI4 ServiceType`);
        const gets: { resource: Resource; source?: string }[] = [{ resource: 'MAM' }, { resource: 'Health' }, { resource: 'Profile' }, { resource: 'Health', source: device.appId }];
        for (const get of gets) {
          const topic = buildTopic({ serviceType, appId: device.appId, method: 'Get', ...get });
          client.publish(topic, encodeNetworkMessage(buildGetRequest({ publisherId: REQUESTER, resource: get.resource })));
        }
      }
    };
    send();
    requestTimer = setInterval(send, everyMs);
  }

  test(`every clean AppId has no violation; the faulty one is named with ${FAULT_BREAKS}, in monitor.json and on the terminal`, async () => {
    const dir = tempDir('monitor-e2e-mosquitto');
    const target = join(dir, 'bus.yaml');
    writeFileSync(target, `name: plugfest-bus\nkind: oi4-mqtt\nbroker:\n  url: ${broker!.url}\noi4:\n  appId: discover\n`);
    const out = join(dir, 'out');
    // a generous pairing deadline: a loaded CI machine must not turn a late answer into a violation
    await startRequests(250);
    const result = await runCli(['monitor', '--target', target, '--duration', String(DURATION_S), '--out', out, '--param', 'responseTimeoutMs=5000'], { timeoutMs: 30_000 });
    clearInterval(requestTimer);

    expect(result.killed).toBe(false);
    // a MUST was violated
    expect(result.code, result.stderr).toBe(1);
    const report = JSON.parse(readFileSync(join(out, 'monitor.json'), 'utf8')) as MonitorReportJson;
    expect(report.endedBy).toBe('duration');
    expect(report.errors).toEqual([]);
    const app = (appId: string) => {
      const found = report.applications.find((a) => a.appId === appId);
      if (!found) throw new Error(`${appId} is not in monitor.json; applications: ${report.applications.map((a) => a.appId).join(', ')}`);
      return found;
    };
    // the four devices and the bus tool, nobody else
    expect(report.applications.map((a) => a.appId).sort()).toEqual([...devices.map((d) => d.appId), REQUESTER.slice('Utility/'.length)].sort());

    for (const device of clean) {
      const seen = app(device.appId);
      expect(seen.violations, `${device.appId}: ${JSON.stringify(seen.violations)}`).toEqual({});
      expect(seen.serviceType).toBe(device.serviceType);
      // heartbeats and answers: more than one interval's worth
      expect(seen.messages).toBeGreaterThan(DURATION_S);
    }
    const bad = app(faulty.appId);
    expect(Object.keys(bad.violations)).toEqual([FAULT_BREAKS]);
    expect(bad.violations[FAULT_BREAKS]).toMatchObject({ level: 'MUST' });
    expect(bad.violations[FAULT_BREAKS]?.samples[0]?.problem).toMatch(/MessageId prefix "msg\d+" is not a Unix time/);
    expect(app(REQUESTER.slice('Utility/'.length)).violations).toEqual({});

    // every Get was answered on its mirror topic by its own application
    expect(report.totals.gets.answered).toBeGreaterThan(devices.length * 4);
    expect(report.totals.gets.unanswered).toBe(0);
    expect(report.totals.gets.answeredElsewhere).toBe(0);

    // the terminal summary (stdout) names the faulty AppId with the rule, and every clean one without
    const summary = result.stdout.split('\n');
    const line = (appId: string) => summary.findIndex((l) => l.startsWith(`${appId}: `));
    for (const device of clean) expect(summary[line(device.appId)]).toMatch(/: \d+ messages, no violation$/);
    const at = line(faulty.appId);
    expect(summary[at]).toMatch(/: \d+ messages, \d+ violations$/);
    expect(summary[at + 1]).toMatch(new RegExp(`^\\s+${FAULT_BREAKS}\\s+MUST\\s+×\\d+`));
    expect(result.stdout).toMatch(/result: \d+ MUST violations/);
  });
});
