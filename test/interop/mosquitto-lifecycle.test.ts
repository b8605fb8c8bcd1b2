/**
 * The lifecycle in full mode over a real Mosquitto, driven the way a vendor's CI drives its product: the
 * reference application runs as its own process, started and stopped by fixtures/targets/reference-ctl.sh, and
 * the target file's actions call that script (restart, disconnect = SIGKILL so the broker publishes the Last
 * Will, start, stop = SIGTERM so the device says goodbye). Birth, heartbeat, Last Will and graceful stop must
 * PASS, not end NOT_EXECUTED. Locally the lane skips with a printed reason when Mosquitto is missing; CI
 * (CI=true) installs it and runs it.
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ROOT, readReport, runCli, tempDir } from '../support/cli.js';
import { skipWithoutMosquitto, startMosquitto, type Mosquitto } from '../support/mosquitto.js';
import { pidIn } from '../support/pid-file.js';

const SCRIPT = join(ROOT, 'fixtures', 'targets', 'reference-ctl.sh');
const APP_ID = 'reference.oi4-conformance.test/Reference,20App/REF-APP,231/0001';
const HEALTH_INTERVAL_MS = 500;
// as the self-test matrix's FAST values; the reference heartbeats at the same interval
const PARAMS = {
  responseTimeoutMs: 1000,
  silenceWindowMs: 300,
  healthIntervalMs: HEALTH_INTERVAL_MS,
  healthToleranceMs: 500,
  birthTimeoutMs: 5000,
  lastWillTimeoutMs: 5000,
  actionTimeoutMs: 30_000,
};
/** the script finds node through NODE: the one running these tests */
const ENV = { NODE: process.execPath, REFERENCE_CTL_TIMEOUT: '20' };

/** A word for sh, whatever it holds. */
function sh(word: string): string {
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

function ctl(args: readonly string[]): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile('sh', [SCRIPT, ...args], { env: { ...process.env, ...ENV }, timeout: 30_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, output: stdout + stderr });
    });
  });
}

describe.skipIf(skipWithoutMosquitto('lifecycle interop lane'))('interop lane: full-mode lifecycle through Mosquitto and shell actions', () => {
  let broker: Mosquitto | undefined;
  let dir: string;
  let pidFile: string;
  /** every device process seen, so that afterAll ends each even when the script failed half-way */
  const pids = new Set<number>();

  beforeAll(async () => {
    broker = await startMosquitto();
    dir = tempDir('lifecycle');
    pidFile = join(dir, 'oi4-app.pid');
  });

  afterAll(async () => {
    const current = pidFile ? pidIn(pidFile) : undefined;
    if (current) pids.add(current);
    if (pidFile) await ctl(['kill', pidFile]);
    for (const pid of pids) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    await broker?.stop();
  });

  test('oi4-app started by reference-ctl.sh is CONFORMANT in full mode, OI4-LIF-001..004 PASS through the target file actions', async () => {
    const start = [pidFile, 'oi4-app', broker!.url, '--health-interval', String(HEALTH_INTERVAL_MS)];
    const started = await ctl(['start', ...start]);
    expect(started.code, started.output).toBe(0);
    const firstPid = pidIn(pidFile);
    expect(firstPid, started.output).toBeDefined();
    pids.add(firstPid!);

    const command = (action: string, args: readonly string[]) => `sh ${[SCRIPT, action, ...args].map(sh).join(' ')}`;
    const actions = {
      restart: command('restart', start),
      disconnect: command('kill', [pidFile]),
      start: command('start', start),
      stop: command('stop', [pidFile]),
    };
    const target = join(dir, 'target.yaml');
    // JSON strings are YAML strings: no quoting rules of our own for paths and URLs
    writeFileSync(
      target,
      [
        'name: mosquitto-lifecycle',
        'kind: oi4-mqtt',
        'broker:',
        `  url: ${broker!.url}`,
        'oi4:',
        `  appId: ${APP_ID}`,
        '  serviceType: Utility',
        'actions:',
        ...Object.entries(actions).map(([name, cmd]) => `  ${name}: ${JSON.stringify(cmd)}`),
        '',
      ].join('\n'),
    );

    const out = join(dir, 'out');
    const params = Object.entries(PARAMS).flatMap(([name, value]) => ['--param', `${name}=${value}`]);
    const result = await runCli(['run', '--profile', 'oi4-oec-application', '--target', target, '--mode', 'full', '--out', out, ...params], { env: ENV, timeoutMs: 150_000 });
    const current = pidIn(pidFile);
    if (current) pids.add(current);
    const log = existsSync(join(dir, 'oi4-app.log')) ? readFileSync(join(dir, 'oi4-app.log'), 'utf8') : '(no log)';

    expect(result.killed, result.stderr).toBe(false);
    const report = readReport(out);
    const lifecycle = report.requirements.filter((r) => /^OI4-LIF-00[1-4]$/.test(r.id)).map((r) => ({ id: r.id, outcome: r.outcome, reason: r.reason }));
    expect(lifecycle.map(({ id, outcome }) => ({ id, outcome })), `${JSON.stringify(lifecycle, null, 2)}\n--- reference log\n${log.slice(-3000)}`).toEqual([
      { id: 'OI4-LIF-001', outcome: 'PASS' },
      { id: 'OI4-LIF-002', outcome: 'PASS' },
      { id: 'OI4-LIF-003', outcome: 'PASS' },
      { id: 'OI4-LIF-004', outcome: 'PASS' },
    ]);
    expect(result.code, result.stdout.slice(-3000)).toBe(0);
    expect(report.verdict).toBe('CONFORMANT');
    expect(report.run.mode).toBe('full');

    // the actions really went through the script: a restart, a kill and two starts each began a new process,
    // with graceful stops (the goodbye) where the script sent SIGTERM
    expect(log.match(/^--- .* start oi4-app /gm)?.length, log).toBeGreaterThanOrEqual(4);
    expect(log).toContain('oi4-app stopped');
    // the device still runs after the run, as the lifecycle checks promise
    expect(current, log.slice(-2000)).toBeDefined();
    expect(current).not.toBe(firstPid);
  });
});
