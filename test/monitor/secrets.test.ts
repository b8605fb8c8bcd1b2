/** The monitor never writes a secret: not in monitor.json, the evidence, the manifest or the terminal. */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { Aedes } from 'aedes';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DATA_SET_CLASS_IDS } from '../../harness/protocols/oi4/index.js';
import { allFilesText, runCli, tempDir } from '../support/cli.js';
import { pub } from './messages.js';

const PASSWORD = 'Sup3r-Secret-Pw-Monitor';

describe('secrets', () => {
  let server: ReturnType<typeof createServer>;
  let broker: Aedes;
  let url: string;

  beforeAll(async () => {
    broker = await Aedes.createBroker();
    broker.authenticate = (_client, username, password, done) => done(null, username === 'lab' && password?.toString() === PASSWORD);
    server = createServer(broker.handle);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `mqtt://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await new Promise<void>((resolve) => broker.close(() => resolve()));
  });

  function target(dir: string): string {
    const file = join(dir, 'lab.yaml');
    writeFileSync(file, `name: lab\nkind: oi4-mqtt\nbroker:\n  url: ${url}\n  username: \${OI4_TEST_USER}\n  password: \${OI4_TEST_PASSWORD}\noi4:\n  appId: discover\n`);
    return file;
  }

  test('a password that travels in topics and payloads is redacted everywhere', async () => {
    const dir = tempDir('monitor-secret');
    const child = runCli(['monitor', '--target', target(dir), '--duration', '3', '--out', join(dir, 'out')], {
      env: { OI4_TEST_USER: 'lab', OI4_TEST_PASSWORD: PASSWORD },
      timeoutMs: 60_000,
    });
    // an application that leaks the password into its AppId and its payload, with a wrong DataSetClassId so
    // that its messages are sampled as evidence; published until the monitor has ended
    const publisher = await mqtt.connectAsync(url, { username: 'lab', password: PASSWORD, reconnectPeriod: 0 });
    const appId = `leaky.example.com/Leaky/L-1/${PASSWORD}`;
    const timer = setInterval(() => {
      const [topic, payload] = pub('Health', { appId, dataSetClassId: DATA_SET_CLASS_IDS.MAM, extra: { Comment: `password=${PASSWORD}` } });
      publisher.publish(topic, payload);
    }, 50);
    const result = await child;
    clearInterval(timer);
    await publisher.endAsync(true);

    expect(result.killed).toBe(false);
    expect(result.code, result.stderr).toBe(1);
    const text = allFilesText(join(dir, 'out'));
    expect(text).toContain('OI4-ENV-005'); // the leaky application was seen and sampled
    expect(readdirSync(join(dir, 'out', 'evidence')).length).toBeGreaterThan(0);
    expect(text).not.toContain(PASSWORD);
    expect(readdirSync(join(dir, 'out'), { recursive: true }).join('\n')).not.toContain(PASSWORD);
    expect(result.stdout + result.stderr).not.toContain(PASSWORD);
  });

  test('a wrong password is exit 3 with the cause, and the wrong password appears nowhere', async () => {
    const dir = tempDir('monitor-wrongpw');
    const wrong = 'Wrong-Pw-Monitor-4711';
    const result = await runCli(['monitor', '--target', target(dir), '--duration', '1', '--out', join(dir, 'out')], {
      env: { OI4_TEST_USER: 'lab', OI4_TEST_PASSWORD: wrong },
      timeoutMs: 30_000,
    });
    expect(result.code, result.stderr).toBe(3);
    const report = JSON.parse(readFileSync(join(dir, 'out', 'monitor.json'), 'utf8')) as { errors: string[] };
    expect(report.errors.join(' ')).toMatch(/refused the credentials|Not authorized|Bad username or password/i);
    expect(allFilesText(join(dir, 'out')) + result.stdout + result.stderr).not.toContain(wrong);
  });
});
