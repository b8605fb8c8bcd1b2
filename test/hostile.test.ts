/**
 * Bad input never crashes or hangs the harness: each case gives a one-line error (exit 2) or a FAIL/ERROR
 * outcome with the reason, and a report is still written.
 */
import { createServer } from 'node:net';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Aedes } from 'aedes';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { oi4App } from '../fixtures/devices/oi4-app/index.js';
import { DEFAULT_MQTT_LOG_LIMITS } from '../harness/evidence/index.js';
import { startEmbeddedBroker, type EmbeddedBroker } from '../harness/targets/index.js';
import { freePort } from './support/net.js';
import { allFilesText, readReport, runCli, tempDir } from './support/cli.js';

const PROFILE = 'oi4-oec-application';
const APP_ID = 'reference.oi4-conformance.test/Reference,20App/REF-APP,231/0001';

function targetFile(dir: string, yaml: string): string {
  const file = join(dir, 'target.yaml');
  writeFileSync(file, yaml);
  return file;
}

/** A usage error is one line on stderr, no stack trace, exit 2. */
function expectUsageError(result: Awaited<ReturnType<typeof runCli>>, pattern: RegExp): void {
  expect(result.killed).toBe(false);
  expect(result.code).toBe(2);
  const lines = result.stderr.trim().split('\n').filter((l) => l.startsWith('oi4-conformance:'));
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(pattern);
  expect(result.stderr).not.toMatch(/\n\s+at /);
}

describe('configuration mistakes give one line and exit 2', () => {
  test('a typo in a target file names the field and suggests the right one', async () => {
    const dir = tempDir('typo');
    const file = targetFile(dir, 'name: lab\nkind: oi4-mqtt\nbrokr:\n  url: mqtt://127.0.0.1:1883\noi4:\n  appId: discover\n');
    expectUsageError(await runCli(['run', '--profile', PROFILE, '--target', file]), /did you mean "broker"/);
  });

  test('a missing field is named', async () => {
    const dir = tempDir('missing');
    const file = targetFile(dir, 'name: lab\nkind: oi4-mqtt\nbroker:\n  url: mqtt://127.0.0.1:1883\n');
    expectUsageError(await runCli(["run", "--profile", PROFILE, "--target", file]), /a target of kind oi4-mqtt needs an oi4 section with appId/);
  });

  test('a literal password is refused: secrets come from the environment', async () => {
    const dir = tempDir('literal');
    const file = targetFile(dir, 'name: lab\nkind: oi4-mqtt\nbroker:\n  url: mqtt://127.0.0.1:1883\n  password: hunter22\noi4:\n  appId: discover\n');
    const result = await runCli(['run', '--profile', PROFILE, '--target', file]);
    expectUsageError(result, /broker\.password/);
    expect(result.stderr).not.toContain('hunter22');
  });

  test('malformed YAML names the line', async () => {
    const dir = tempDir('yaml');
    const file = targetFile(dir, 'name: lab\nkind: [oi4-mqtt\nbroker: {}\n');
    expectUsageError(await runCli(['run', '--profile', PROFILE, '--target', file]), /target\.yaml:\d+: invalid YAML/);
  });

  test('an unknown profile suggests the closest one', async () => {
    expectUsageError(await runCli(['run', '--profile', 'oi4-oec-aplication', '--target', 'embedded:oi4-app']), /unknown profile .*did you mean "oi4-oec-application"/);
  });

  test('an unknown fault and a fault on a file target are refused', async () => {
    expectUsageError(await runCli(['run', '--profile', PROFILE, '--target', 'embedded:oi4-app', '--fault', 'mutee']), /unknown fault "mutee".*did you mean "mute"/);
    const file = targetFile(tempDir('fault'), `name: lab\nkind: oi4-mqtt\nbroker:\n  url: mqtt://127.0.0.1:1\noi4:\n  appId: ${APP_ID}\n  serviceType: Utility\n`);
    expectUsageError(await runCli(['run', '--profile', PROFILE, '--target', file, '--fault', 'mute']), /--fault applies only to embedded targets/);
  });
});

describe('an unreachable or empty broker makes the run inconclusive, with a report', () => {
  let broker: EmbeddedBroker;
  beforeAll(async () => {
    broker = await startEmbeddedBroker();
  });
  afterAll(() => broker.close());

  test('connection refused: exit 3, every requirement ERROR with the reason (unclaimed groups NA)', async () => {
    const dir = tempDir('refused');
    const port = await freePort();
    const file = targetFile(dir, `name: lab\nkind: oi4-mqtt\nbroker:\n  url: mqtt://127.0.0.1:${port}\noi4:\n  appId: ${APP_ID}\n  serviceType: Utility\n`);
    const result = await runCli(['run', '--profile', PROFILE, '--target', file, '--out', join(dir, 'out')]);
    expect(result.code).toBe(3);
    const report = readReport(join(dir, 'out'));
    expect(report.verdict).toBe('INCOMPLETE');
    expect(report.errors.join(' ')).toMatch(/cannot connect to MQTT broker mqtt:\/\/127\.0\.0\.1:\d+\/?: connection refused/);
    expect(new Set(report.requirements.filter((r) => r.mandatory).map((r) => r.outcome))).toEqual(new Set(['ERROR']));
    expect(report.requirements.filter((r) => !r.mandatory).every((r) => r.outcome === 'NA' && /not claimed/.test(r.reason))).toBe(true);
  });

  test('a claim no profile knows (a typo): exit 2 with one line naming the groups', async () => {
    const dir = tempDir('bad-claim');
    const file = targetFile(dir, `name: lab\nkind: oi4-mqtt\nbroker:\n  url: ${broker.url}\noi4:\n  appId: ${APP_ID}\n  serviceType: Utility\nclaims: [confg]\n`);
    const result = await runCli(['run', '--profile', PROFILE, '--target', file, '--out', join(dir, 'out')]);
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/claim "confg" .* \(did you mean "config"\?\); groups: (.*, )?config, event/);
  });

  test('discovery finds nobody within its deadline: exit 3 with the reason', async () => {
    const dir = tempDir('discover');
    const file = targetFile(dir, `name: lab\nkind: oi4-mqtt\nbroker:\n  url: ${broker.url}\noi4:\n  appId: discover\nparameters:\n  discoveryTimeoutMs: 500\n`);
    const result = await runCli(['run', '--profile', PROFILE, '--target', file, '--out', join(dir, 'out')]);
    expect(result.code).toBe(3);
    expect(readReport(join(dir, 'out')).errors.join(' ')).toMatch(/no OI4 application announced itself .* within discoveryTimeoutMs \(500 ms\)/);
  });

  test('a target that never answers: exit 1, the Get->Pub requirements FAIL saying so', async () => {
    const dir = tempDir('silent');
    const file = targetFile(dir, `name: lab\nkind: oi4-mqtt\nbroker:\n  url: ${broker.url}\noi4:\n  appId: ${APP_ID}\n  serviceType: Utility\nparameters:\n  responseTimeoutMs: 300\n`);
    // quick mode: the case is about Gets; in full mode the lifecycle checks would wait out a minute of heartbeats
    const result = await runCli(['run', '--profile', PROFILE, '--target', file, '--out', join(dir, 'out'), '--mode', 'quick']);
    expect(result.code).toBe(1);
    const report = readReport(join(dir, 'out'));
    const get001 = report.requirements.find((r) => r.id === 'OI4-GET-001')!;
    expect(get001.outcome).toBe('FAIL');
    expect(get001.reason).toMatch(/no answer to Get MAM .* within 300 ms/);
    expect(report.notes.join(' ')).toMatch(/identity could not be read/);
    expect(report.target.identity).toBeNull();
  });
});

describe('a hostile target yields FAIL outcomes with the reason, never a hang', () => {
  // quick mode: these cases are about answers, not heartbeats
  const fast = ['--mode', 'quick', '--param', 'responseTimeoutMs=1000'];

  test('answers with invalid JSON: OI4-ENV-001 FAIL', async () => {
    const dir = tempDir('badjson');
    const result = await runCli(['run', '--profile', PROFILE, '--target', 'embedded:oi4-app', '--fault', 'invalid-json-answer', '--out', dir, ...fast]);
    expect(result.code).toBe(1);
    const env001 = readReport(dir).requirements.find((r) => r.id === 'OI4-ENV-001')!;
    expect(env001.outcome).toBe('FAIL');
    expect(env001.reason).toMatch(/is not a JSON NetworkMessage: payload is not JSON/);
  });

  test('answers with 1 MiB of garbage: OI4-ENV-001 FAIL, evidence keeps a truncated record with the full size and hash', async () => {
    const dir = tempDir('garbage');
    const result = await runCli(['run', '--profile', PROFILE, '--target', 'embedded:oi4-app', '--fault', 'garbage-1mib', '--out', dir, ...fast]);
    expect(result.code).toBe(1);
    const report = readReport(dir);
    expect(report.requirements.find((r) => r.id === 'OI4-ENV-001')!.reason).toMatch(/not valid UTF-8|not JSON/);
    const evidence = readFileSync(join(dir, 'evidence', 'oi4.get-pub.health.summarised.jsonl'), 'utf8');
    const big = evidence.split('\n').filter(Boolean).map((l) => JSON.parse(l) as { bytes?: number; truncated?: boolean; sha256?: string }).find((r) => (r.bytes ?? 0) >= 1024 * 1024);
    expect(big).toMatchObject({ truncated: true });
    expect(big?.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(statSync(join(dir, 'evidence', 'oi4.get-pub.health.summarised.jsonl')).size).toBeLessThan(512 * 1024);
  });

  // how much of the flood lands inside one check's window depends on timing; what is guaranteed is that the
  // duplicates are found and no evidence file grows beyond the cap (the cap itself: test/unit/evidence)
  test('floods 10,000 messages: OI4-ID-004 FAIL, and no evidence file grows beyond the record cap', async () => {
    const dir = tempDir('flood');
    const result = await runCli(['run', '--profile', PROFILE, '--target', 'embedded:oi4-app', '--fault', 'flood-10k', '--out', dir, ...fast]);
    expect(result.code).toBe(1);
    const report = readReport(dir);
    expect(report.requirements.find((r) => r.id === 'OI4-ID-004')!.reason).toMatch(/was published \d+ times/);
    const records = report.checks.flatMap((c) => c.evidence.map((e) => e.records));
    expect(Math.max(...records)).toBeLessThanOrEqual(DEFAULT_MQTT_LOG_LIMITS.maxRecords);
    expect(records.reduce((a, b) => a + b, 0)).toBeGreaterThan(2 * report.checks.length);
  });
});

describe('secrets', () => {
  const PASSWORD = 'Sup3r-Secret-Pw!';
  let server: ReturnType<typeof createServer>;
  let broker: Aedes;
  let url: string;
  let stopDevice: () => Promise<void>;

  beforeAll(async () => {
    broker = await Aedes.createBroker();
    broker.authenticate = (_client, username, password, done) => done(null, username === 'lab' && password?.toString() === PASSWORD);
    server = createServer(broker.handle);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `mqtt://127.0.0.1:${(server.address() as { port: number }).port}`;
    const device = await oi4App.start({ brokerUrl: url, faults: [], username: 'lab', password: PASSWORD });
    stopDevice = () => device.stop();
  });
  afterAll(async () => {
    await stopDevice();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await new Promise<void>((resolve) => broker.close(() => resolve()));
  });

  const target = (dir: string) =>
    targetFile(dir, `name: lab\nkind: oi4-mqtt\nbroker:\n  url: ${url}\n  username: \${OI4_TEST_USER}\n  password: \${OI4_TEST_PASSWORD}\noi4:\n  appId: ${APP_ID}\n  serviceType: Utility\n`);

  test('the password from the environment works and appears in no file of the report', async () => {
    const dir = tempDir('secret');
    // quick mode: a file target without actions cannot be restarted, so full mode would end INCOMPLETE
    const result = await runCli(['run', '--profile', PROFILE, '--target', target(dir), '--out', join(dir, 'out'), '--mode', 'quick'], {
      env: { OI4_TEST_USER: 'lab', OI4_TEST_PASSWORD: PASSWORD },
    });
    expect(result.code, result.stderr).toBe(0);
    expect(allFilesText(join(dir, 'out'))).not.toContain(PASSWORD);
    expect(result.stdout + result.stderr).not.toContain(PASSWORD);
  });

  test('a wrong password is an ERROR of the run that names the cause but not the password', async () => {
    const dir = tempDir('wrongpw');
    const wrong = 'Wrong-Pw-4711';
    const result = await runCli(['run', '--profile', PROFILE, '--target', target(dir), '--out', join(dir, 'out')], {
      env: { OI4_TEST_USER: 'lab', OI4_TEST_PASSWORD: wrong },
    });
    expect(result.code).toBe(3);
    const report = readReport(join(dir, 'out'));
    expect(report.errors.join(' ')).toMatch(/refused the credentials|Not authorized|Bad username or password/i);
    expect(allFilesText(join(dir, 'out')) + result.stdout + result.stderr).not.toContain(wrong);
  });
});
