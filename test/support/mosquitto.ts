/**
 * A real Mosquitto (Debian package) on a free loopback port, and child processes that are ready once their
 * output says so. Locally a lane that needs Mosquitto skips with a printed reason when it is missing; in CI
 * (CI=true) a missing Mosquitto is a failure, never a silent skip.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, tempDir } from './cli.js';
import { freePort } from './net.js';

export const MOSQUITTO = ['/usr/sbin/mosquitto', '/usr/bin/mosquitto', '/usr/local/sbin/mosquitto'].find((p) => existsSync(p));
export const IN_CI = process.env['CI'] === 'true';
/** true when the lane must be skipped: no Mosquitto, and not CI (the reason is printed once per lane) */
export function skipWithoutMosquitto(lane: string): boolean {
  const skip = !MOSQUITTO && !IN_CI;
  if (skip) console.log(`${lane} skipped: mosquitto is not installed (apt-get install -y mosquitto); CI installs it and runs this lane`);
  return skip;
}

export interface Started {
  readonly child: ChildProcess;
  /** what it printed until it was ready */
  readonly output: string;
}

/** Starts a process and resolves once its output matches; rejects at the deadline with what it printed. */
export function startUntil(command: string, args: readonly string[], ready: RegExp, timeoutMs: number): Promise<Started> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, [...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const onData = (data: Buffer) => {
      output += data.toString();
      if (ready.test(output)) {
        clearTimeout(timer);
        resolve({ child, output });
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

/** Stops a child with SIGTERM, and with SIGKILL when it has not exited within `graceMs`. */
export function stopChild(child: ChildProcess | undefined, graceMs = 10_000): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

export interface Mosquitto {
  readonly url: string;
  readonly child: ChildProcess;
  stop(): Promise<void>;
}

/** Starts Mosquitto on a free loopback port, anonymous, without persistence. */
export async function startMosquitto(): Promise<Mosquitto> {
  if (!MOSQUITTO) throw new Error('CI must install mosquitto (.ci/run does)');
  const dir = tempDir('mosquitto');
  const port = await freePort();
  const config = join(dir, 'mosquitto.conf');
  writeFileSync(config, `listener ${port} 127.0.0.1\nallow_anonymous true\npersistence false\nlog_dest stderr\nlog_type information\n`);
  const { child } = await startUntil(MOSQUITTO, ['-c', config], /running|Opening ipv4 listen socket/, 10_000);
  return { url: `mqtt://127.0.0.1:${port}`, child, stop: () => stopChild(child) };
}

/** Starts `oi4-conformance reference <device> --broker <url> [args]`; resolves once it runs. */
export async function startReference(device: string, brokerUrl: string, args: readonly string[] = []): Promise<Started & { serviceType: string; appId: string }> {
  const started = await startUntil(process.execPath, [join(ROOT, 'bin', 'oi4-conformance.mjs'), 'reference', device, '--broker', brokerUrl, ...args], /is running as [^\n]*\n/, 20_000);
  const match = /is running as ([^/\s]+)\/(\S+)/.exec(started.output);
  if (!match) throw new Error(`cannot read the AppId of ${device} from: ${started.output.slice(-500)}`);
  return { ...started, serviceType: match[1]!, appId: match[2]! };
}
