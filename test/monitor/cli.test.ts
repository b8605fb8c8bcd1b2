/**
 * `oi4-conformance monitor` end to end: a broker with two reference applications (one clean, one with a
 * fault), a third party sending Gets to both, and the CLI as a child process watching the bus.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { oi4App } from '../../fixtures/devices/oi4-app/index.js';
import type { MonitorReportJson } from '../../harness/cli/monitor.js';
import type { RunningDevice } from '../../harness/model/index.js';
import { DATA_SET_CLASS_IDS, buildGetRequest, buildTopic, encodeNetworkMessage, type Resource } from '../../harness/protocols/oi4/index.js';
import { startEmbeddedBroker, type EmbeddedBroker } from '../../harness/targets/index.js';
import { ROOT, runCli, tempDir } from '../support/cli.js';
import { pub } from './messages.js';

const BIN = join(ROOT, 'bin', 'oi4-conformance.mjs');
const REQUESTER = 'Utility/tools.example.com/Bus,20Tool/BT-1/T0001';

let broker: EmbeddedBroker;
let clean: RunningDevice;
let faulty: RunningDevice;
let targetFile: string;

function readMonitorReport(dir: string): MonitorReportJson {
  return JSON.parse(readFileSync(join(dir, 'monitor.json'), 'utf8')) as MonitorReportJson;
}

function applicationOf(report: MonitorReportJson, appId: string) {
  const app = report.applications.find((a) => a.appId === appId);
  if (!app) throw new Error(`${appId} is not in monitor.json; applications: ${report.applications.map((a) => a.appId).join(', ')}`);
  return app;
}

async function connect(): Promise<MqttClient> {
  return mqtt.connectAsync(broker.url, { clientId: `monitor-test-${Math.random().toString(16).slice(2, 10)}`, protocolVersion: 4, reconnectPeriod: 0 });
}

/** Sends Gets (MAM and Health, without Source) to both applications every `everyMs` until stopped. */
async function startRequester(everyMs: number): Promise<{ stop(): Promise<void> }> {
  const client = await connect();
  const send = () => {
    for (const device of [clean, faulty]) {
      for (const resource of ['MAM', 'Health'] as Resource[]) {
        const topic = buildTopic({ serviceType: 'Utility', appId: device.appId, method: 'Get', resource });
        client.publish(topic, encodeNetworkMessage(buildGetRequest({ publisherId: REQUESTER, resource })));
      }
    }
  };
  send();
  const timer = setInterval(send, everyMs);
  return {
    async stop() {
      clearInterval(timer);
      await client.endAsync(true);
    },
  };
}

beforeAll(async () => {
  broker = await startEmbeddedBroker();
  const device = oi4App;
  clean = await device.start({ brokerUrl: broker.url, faults: [], serialNumber: '0001', healthIntervalMs: 300 });
  faulty = await device.start({ brokerUrl: broker.url, faults: ['wrong-dataset-class-id'], serialNumber: '0002', healthIntervalMs: 300 });
  targetFile = join(tempDir('monitor-target'), 'bus.yaml');
  writeFileSync(targetFile, `name: lab-bus\nkind: oi4-mqtt\nbroker:\n  url: ${broker.url}\noi4:\n  appId: discover\n`);
});

afterAll(async () => {
  await clean?.stop();
  await faulty?.stop();
  await broker?.close();
});

describe('monitor on a bus with a clean and a faulty application', () => {
  test('names the faulty AppId with OI4-ENV-005, the clean one with no violation; exit 1; evidence and manifest', async () => {
    const out = tempDir('monitor-e2e');
    const requester = await startRequester(200);
    const started = performance.now();
    let result;
    try {
      result = await runCli(['monitor', '--target', targetFile, '--duration', '3', '--out', out], { timeoutMs: 60_000 });
    } finally {
      await requester.stop();
    }
    const wallMs = performance.now() - started;
    expect(result.killed).toBe(false);
    expect(result.code, result.stderr).toBe(1);
    // --duration ends the run on time: 3 s of watching plus the start of a Node process
    expect(wallMs).toBeLessThan(15_000);

    const report = readMonitorReport(out);
    expect(report.endedBy).toBe('duration');
    expect(report.durationMs).toBeGreaterThanOrEqual(3000);
    expect(report.durationMs).toBeLessThan(5000);
    expect(report.exitCode).toBe(1);

    const bad = applicationOf(report, faulty.appId);
    expect(Object.keys(bad.violations)).toEqual(['OI4-ENV-005']);
    const violation = bad.violations['OI4-ENV-005'];
    expect(violation).toMatchObject({ level: 'MUST' });
    expect(violation?.title).toMatch(/DataSetClassId/);
    expect(violation?.count).toBeGreaterThan(0);
    expect(violation?.samples.length).toBeGreaterThan(0);
    expect(violation?.samples.length).toBeLessThanOrEqual(5);
    expect(violation?.samples[0]?.problem).toContain(DATA_SET_CLASS_IDS.MAM);

    const good = applicationOf(report, clean.appId);
    expect(good.violations).toEqual({});
    expect(good.messages).toBeGreaterThan(0);
    // the requester's Gets are valid, and both applications answered them
    expect(applicationOf(report, REQUESTER.slice('Utility/'.length)).violations).toEqual({});
    expect(report.totals.gets.answered).toBeGreaterThan(0);
    expect(report.totals.gets.unanswered).toBe(0);

    // evidence: the sampled messages of the faulty application, referenced from the samples
    const evidence = violation?.samples[0]?.evidence;
    expect(evidence?.file).toMatch(/^evidence\/.+\.jsonl$/);
    const records = readFileSync(join(out, evidence?.file ?? 'missing'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { seq: number; topic: string; payload: string });
    const record = records.find((r) => r.seq === evidence?.record);
    expect(record?.topic).toBe(violation?.samples[0]?.topic);
    expect(record?.payload).toContain(DATA_SET_CLASS_IDS.MAM);
    expect(existsSync(join(out, 'evidence'))).toBe(true);

    // manifest: every file with its sha256
    const manifest = readFileSync(join(out, 'manifest.sha256'), 'utf8').trim().split('\n');
    const files = manifest.map((line) => line.split('  ')[1]);
    expect(files).toContain('monitor.json');
    expect(files).toContain(evidence?.file);
    for (const line of manifest) {
      const [hash, file] = line.split('  ');
      expect(createHash('sha256').update(readFileSync(join(out, file ?? ''))).digest('hex')).toBe(hash);
    }

    // the final summary goes to stdout, progress to stderr
    expect(result.stdout).toContain(faulty.appId);
    expect(result.stdout).toContain('OI4-ENV-005');
    expect(result.stderr).toContain('listening on');
  });

  test('Ctrl-C ends the run and writes everything seen so far', async () => {
    const out = tempDir('monitor-sigint');
    const child = spawn(process.execPath, [BIN, 'monitor', '--target', targetFile, '--out', out], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    const deadline = setTimeout(() => child.kill('SIGKILL'), 60_000);
    try {
      await new Promise<void>((resolve, reject) => {
        child.stderr.on('data', (chunk: Buffer) => {
          stderr += chunk.toString();
          if (stderr.includes('listening on')) resolve();
        });
        void exited.then((code) => reject(new Error(`monitor exited (${code}) before it listened: ${stderr}`)));
      });
      // a fake application publishes wrong DataSetClassIds; once we have seen ten of them on the bus, the
      // monitor (subscribed before the first) has seen them too
      const publisher = await connect();
      const watcher = await connect();
      const fakeApp = 'fake.example.com/Fake/F-1/0001';
      let seen = 0;
      const enough = new Promise<void>((resolve) => watcher.on('message', () => ++seen >= 10 && resolve()));
      await watcher.subscribeAsync(`Oi4/Utility/${fakeApp}/#`);
      const timer = setInterval(() => {
        const [topic, payload] = pub('Health', { appId: fakeApp, dataSetClassId: DATA_SET_CLASS_IDS.MAM });
        publisher.publish(topic, payload);
      }, 20);
      await enough;
      clearInterval(timer);
      await publisher.endAsync(true);
      await watcher.endAsync(true);
      child.kill('SIGINT');
      const code = await exited;
      expect(code, stderr).toBe(1);
      const report = readMonitorReport(out);
      expect(report.endedBy).toBe('interrupt');
      expect(applicationOf(report, fakeApp).violations['OI4-ENV-005']?.count).toBeGreaterThan(0);
      expect(existsSync(join(out, 'manifest.sha256'))).toBe(true);
    } finally {
      clearTimeout(deadline);
      child.kill('SIGKILL');
    }
  });
});

describe('monitor options', () => {
  test('embedded:oi4-app runs for --duration and ends clean (exit 0)', async () => {
    const out = tempDir('monitor-embedded');
    const result = await runCli(['monitor', '--target', 'embedded:oi4-app', '--duration', '1', '--out', out], { timeoutMs: 30_000 });
    expect(result.killed).toBe(false);
    expect(result.code, result.stderr).toBe(0);
    const report = readMonitorReport(out);
    expect(report.endedBy).toBe('duration');
    expect(report.durationMs).toBeGreaterThanOrEqual(1000);
    expect(report.durationMs).toBeLessThan(3000);
    expect(report.totals.messages).toBeGreaterThan(0); // the birth MAM at least: the device starts after the monitor listens
    expect(report.applications.every((a) => Object.keys(a.violations).length === 0)).toBe(true);
  });

  test('an unreachable broker is exit 3, with a bundle that says why', async () => {
    const out = tempDir('monitor-unreachable');
    const file = join(out, 'down.yaml');
    writeFileSync(file, 'name: down\nkind: oi4-mqtt\nbroker:\n  url: mqtt://127.0.0.1:1\noi4:\n  appId: discover\n');
    const result = await runCli(['monitor', '--target', file, '--duration', '1', '--out', join(out, 'report'), '--param', 'connectTimeoutMs=2000'], { timeoutMs: 30_000 });
    expect(result.code, result.stderr).toBe(3);
    const report = readMonitorReport(join(out, 'report'));
    expect(report.endedBy).toBe('broker-error');
    expect(report.errors.join(' ')).toMatch(/cannot connect/);
  });

  for (const { name, args, pattern } of [
    { name: 'an unknown --param', args: ['--param', 'silenceWindowMs=5'], pattern: /--param silenceWindowMs: monitor knows only responseTimeoutMs, connectTimeoutMs/ },
    { name: '--fault with a target file', args: ['--fault', 'mute'], pattern: /--fault applies only to embedded targets/ },
  ]) {
    test(`a usage error is one line and exit 2: ${name}`, async () => {
      const result = await runCli(['monitor', '--target', targetFile, '--duration', '1', ...args], { timeoutMs: 30_000 });
      expect(result.killed).toBe(false);
      expect(result.code).toBe(2);
      const lines = result.stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^oi4-conformance: /);
      expect(lines[0]).toMatch(pattern);
    });
  }

  test('an unknown embedded device suggests the right one', async () => {
    const result = await runCli(['monitor', '--target', 'embedded:oi4-ap', '--duration', '1'], { timeoutMs: 30_000 });
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/did you mean "oi4-app"/);
  });
});
