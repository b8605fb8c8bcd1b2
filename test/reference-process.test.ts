/**
 * The reference device as a process a target file's actions can drive: `reference --pid-file`, SIGTERM as a
 * graceful stop (goodbye Health, clean DISCONNECT, exit 0), SIGKILL as the ungraceful disconnect (the broker
 * publishes the Last Will), and fixtures/targets/reference-ctl.sh on top of them. On the in-process broker, so
 * it runs everywhere; test/interop/mosquitto-lifecycle.test.ts runs the whole lifecycle through Mosquitto.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { TestBroker, Tester, type Received } from '../fixtures/devices/common/testing.js';
import { ROOT, tempDir } from './support/cli.js';
import { pidIn } from './support/pid-file.js';

const BIN = join(ROOT, 'bin', 'oi4-conformance.mjs');
const SCRIPT = join(ROOT, 'fixtures', 'targets', 'reference-ctl.sh');
const APP_ID = 'reference.oi4-conformance.test/Reference,20App/REF-APP,231/0003';
const HEALTH_TOPIC = `Oi4/Utility/${APP_ID}/Pub/Health`;

let broker: TestBroker;
let tester: Tester;
const children: ChildProcess[] = [];
const pidFiles: string[] = [];

beforeAll(async () => {
  broker = await TestBroker.start();
  tester = await Tester.connect(broker.url, 'reference-process-test');
});

afterAll(async () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  for (const file of pidFiles) {
    const pid = pidIn(file);
    if (pid === undefined) continue;
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  await tester?.client.endAsync(true);
  await broker?.close();
});

/** The process exists and is no zombie (a process detached by the script is reaped by whoever adopted it, maybe late). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    // Linux: the state follows the parenthesised command name
    return !/\)\s+Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return true;
  }
}

/** Health {Health, HealthScore} published unasked on the application's Health topic after `from` messages. */
function health(from: number, state: string, score: number) {
  return (m: Received) =>
    tester.inbox.all.indexOf(m) >= from &&
    m.topic.startsWith(HEALTH_TOPIC) &&
    m.message?.CorrelationId === undefined &&
    m.message?.Messages[0]?.Payload['Health'] === state &&
    m.message?.Messages[0]?.Payload['HealthScore'] === score;
}

/** Starts `reference oi4-app --pid-file`; resolves once it says it runs. */
function startReference(pidFile: string): Promise<{ child: ChildProcess; exited: Promise<number | null>; output: () => string }> {
  const child = spawn(process.execPath, [BIN, 'reference', 'oi4-app', '--broker', broker.url, '--serial-number', '0003', '--pid-file', pidFile], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  pidFiles.push(pidFile);
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`not running within 20 s: ${output}`)), 20_000);
    const onData = (data: Buffer) => {
      output += data.toString();
      if (/is running as/.test(output)) {
        clearTimeout(timer);
        resolve({ child, exited, output: () => output });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code} before it ran: ${output}`));
    });
  });
}

function withDeadline<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([promise.finally(() => clearTimeout(timer)), new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} within ${ms} ms`)), ms)))]);
}

function ctl(args: readonly string[]): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile('sh', [SCRIPT, ...args], { env: { ...process.env, NODE: process.execPath, REFERENCE_CTL_TIMEOUT: '20' }, timeout: 30_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, output: stdout + stderr });
    });
  });
}

describe('reference --pid-file', () => {
  test('writes its pid once it runs; SIGTERM says goodbye (NORMAL_0, 0), disconnects cleanly, removes the file and exits 0', async () => {
    const pidFile = join(tempDir('reference-pid'), 'app.pid');
    const from = tester.inbox.all.length;
    const running = await startReference(pidFile);
    expect(pidIn(pidFile)).toBe(running.child.pid);
    running.child.kill('SIGTERM');
    expect(await withDeadline(running.exited, 10_000, 'no exit after SIGTERM'), running.output()).toBe(0);
    expect(existsSync(pidFile)).toBe(false);
    await tester.inbox.waitFor(health(from, 'NORMAL_0', 0), 'the goodbye Health');
    // a clean DISCONNECT: the broker publishes no Last Will
    await tester.roundTrip();
    expect(tester.inbox.all.slice(from).some(health(from, 'FAILURE_1', 0))).toBe(false);
    expect(running.output()).toMatch(/oi4-app stopped/);
  });

  test('SIGKILL is an ungraceful disconnect: the broker publishes the Last Will (FAILURE_1, 0)', async () => {
    const pidFile = join(tempDir('reference-pid'), 'app.pid');
    const from = tester.inbox.all.length;
    const running = await startReference(pidFile);
    running.child.kill('SIGKILL');
    await withDeadline(running.exited, 10_000, 'no exit after SIGKILL');
    await tester.inbox.waitFor(health(from, 'FAILURE_1', 0), 'the Last Will', 5000);
    expect(tester.inbox.all.slice(from).some(health(from, 'NORMAL_0', 0))).toBe(false);
  });

  test('a pid file that cannot be written is a configuration error (exit 2), and the device stops', async () => {
    const missing = join(tempDir('reference-pid'), 'no', 'such', 'dir', 'app.pid');
    const child = spawn(process.execPath, [BIN, 'reference', 'oi4-app', '--broker', broker.url, '--serial-number', '0003', '--pid-file', missing], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(child);
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await withDeadline(new Promise<number | null>((resolve) => child.once('exit', resolve)), 20_000, 'no exit');
    expect(code, stderr).toBe(2);
    expect(stderr).toMatch(/--pid-file .*cannot write it/);
  });
});

describe('fixtures/targets/reference-ctl.sh', () => {
  test('start runs the device detached and returns once it runs; stop is graceful, kill is not; both are idempotent', async () => {
    const dir = tempDir('reference-ctl');
    const pidFile = join(dir, 'app.pid');
    pidFiles.push(pidFile);
    const start = [pidFile, 'oi4-app', broker.url, '--serial-number', '0003'];

    let from = tester.inbox.all.length;
    const started = await ctl(['start', ...start]);
    expect(started.code, started.output).toBe(0);
    const first = pidIn(pidFile);
    expect(first !== undefined && alive(first), started.output).toBe(true);
    expect(started.output).toContain(`running (pid ${first})`);
    // the birth MAM is out by the time start returns
    await tester.inbox.waitFor((m) => tester.inbox.all.indexOf(m) >= from && m.topic.startsWith(`Oi4/Utility/${APP_ID}/Pub/MAM`), 'the birth MAM', 1000);

    const again = await ctl(['start', ...start]);
    expect(again.code, again.output).toBe(0);
    expect(again.output).toContain(`already running (pid ${first})`);

    from = tester.inbox.all.length;
    const stopped = await ctl(['stop', pidFile]);
    expect(stopped.code, stopped.output).toBe(0);
    expect(alive(first!)).toBe(false);
    expect(existsSync(pidFile)).toBe(false);
    await tester.inbox.waitFor(health(from, 'NORMAL_0', 0), 'the goodbye Health');
    expect(readFileSync(join(dir, 'app.log'), 'utf8')).toContain('oi4-app stopped');

    const notRunning = await ctl(['stop', pidFile]);
    expect(notRunning.code, notRunning.output).toBe(0);
    expect(notRunning.output).toContain('not running');

    expect((await ctl(['start', ...start])).code).toBe(0);
    const second = pidIn(pidFile);
    expect(second).not.toBe(first);
    from = tester.inbox.all.length;
    const killed = await ctl(['kill', pidFile]);
    expect(killed.code, killed.output).toBe(0);
    expect(alive(second!)).toBe(false);
    expect(existsSync(pidFile)).toBe(false);
    await tester.inbox.waitFor(health(from, 'FAILURE_1', 0), 'the Last Will', 5000);
    expect((await ctl(['kill', pidFile])).output).toContain('not running');
  });

  test('a device that cannot start fails the action at once with the tail of its log; a wrong call is a usage error', async () => {
    const pidFile = join(tempDir('reference-ctl'), 'bad.pid');
    const failed = await ctl(['start', pidFile, 'no-such-device', broker.url]);
    expect(failed.code).toBe(1);
    expect(failed.output).toMatch(/no-such-device exited before it ran/);
    expect(failed.output).toMatch(/no-such-device/);
    expect(existsSync(pidFile)).toBe(false);

    expect((await ctl(['start', pidFile])).code).toBe(2);
    expect((await ctl(['bounce', pidFile])).code).toBe(2);
  });
});
