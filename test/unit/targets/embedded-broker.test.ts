import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateTestPki, type TestPkiFiles } from '../../../fixtures/pki/generate.js';
import type { BrokerDeviation } from '../../../harness/model/index.js';
import { attemptLogin, type LoginCredentials } from '../../../harness/protocols/mqtt/login.js';
import { startEmbeddedBroker, type EmbeddedBroker } from '../../../harness/targets/index.js';

describe('startEmbeddedBroker', () => {
  it('listens on loopback; a client can connect, subscribe and receive its own message; close() resolves', async () => {
    const broker = await startEmbeddedBroker();
    try {
      expect(broker.url).toBe(`mqtt://127.0.0.1:${broker.port}`);
      expect(broker.port).toBeGreaterThan(0);
      const client = await mqtt.connectAsync(broker.url, { reconnectPeriod: 0 });
      try {
        await client.subscribeAsync('unit/#');
        const received = new Promise<[string, string]>((resolve) => client.once('message', (topic, payload) => resolve([topic, payload.toString()])));
        await client.publishAsync('unit/hello', 'world', { qos: 1 });
        expect(await received).toEqual(['unit/hello', 'world']);
      } finally {
        await client.endAsync();
      }
    } finally {
      await broker.close();
    }
  });

  it('close() resolves while a client is still connected, and the client sees the connection end', async () => {
    const broker = await startEmbeddedBroker();
    const client = await mqtt.connectAsync(broker.url, { reconnectPeriod: 0 });
    const closed = new Promise<void>((resolve) => client.once('close', () => resolve()));
    await broker.close();
    await closed;
    expect(client.connected).toBe(false);
    await client.endAsync(true);
  });

  it('gives each broker its own port', async () => {
    const a = await startEmbeddedBroker();
    const b = await startEmbeddedBroker();
    try {
      expect(a.port).not.toBe(b.port);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });
});

describe('startEmbeddedBroker with TLS and an account', () => {
  const account = { username: 'lab', password: 'right-Pw-1' };
  let pki: TestPkiFiles;
  let dir: string;
  const pem = (path: string) => readFileSync(path, 'utf8');

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'oi4-unit-pki-'));
    pki = await generateTestPki(dir);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  async function withBroker(deviation: BrokerDeviation, body: (broker: EmbeddedBroker) => Promise<void>): Promise<void> {
    const broker = await startEmbeddedBroker({ tls: { ca: pem(pki.caCert), cert: pem(pki.serverCert), key: pem(pki.serverKey) }, account, deviation });
    try {
      await body(broker);
    } finally {
      await broker.close();
    }
  }

  /** accepted, or the CONNACK return code / how it ended */
  async function login(broker: EmbeddedBroker, credentials: LoginCredentials): Promise<string> {
    const result = await attemptLogin({ url: broker.url, tls: { ca: pem(pki.caCert), rejectUnauthorized: true }, credentials, clientIdPrefix: 'unit', purpose: 'login', connectTimeoutMs: 5000 });
    return result.kind === 'refused' ? `refused ${result.returnCode}` : result.kind;
  }
  const client = () => ({ cert: pem(pki.clientCert), key: pem(pki.clientKey) });
  const stranger = () => ({ cert: pem(pki.otherClientCert), key: pem(pki.otherClientKey) });

  it('lets in the right password or a client certificate it trusts, and nobody else', async () => {
    await withBroker({}, async (broker) => {
      expect(broker.url).toBe(`mqtts://127.0.0.1:${broker.port}`);
      expect(await login(broker, account)).toBe('accepted');
      expect(await login(broker, client())).toBe('accepted');
      expect(await login(broker, { ...account, ...client() })).toBe('accepted');
      expect(await login(broker, {})).toBe('refused 5');
      expect(await login(broker, { username: 'lab', password: 'wrong' })).toBe('refused 4');
      expect(await login(broker, { username: 'root', password: account.password })).toBe('refused 4');
      // a wrong password stays wrong with a good certificate: a password login is judged as one
      expect(await login(broker, { username: 'lab', password: 'wrong', ...client() })).toBe('refused 4');
      expect(await login(broker, stranger())).toBe('refused 5');
    });
  });

  it('broker faults: anonymous, any password, no certificate logins, no TLS', async () => {
    await withBroker({ allowAnonymous: true }, async (broker) => {
      expect(await login(broker, {})).toBe('accepted');
      expect(await login(broker, { username: 'lab', password: 'wrong' })).toBe('refused 4');
    });
    await withBroker({ acceptAnyPassword: true }, async (broker) => {
      expect(await login(broker, { username: 'lab', password: 'wrong' })).toBe('accepted');
      expect(await login(broker, {})).toBe('refused 5');
    });
    await withBroker({ refuseClientCertificates: true }, async (broker) => {
      expect(await login(broker, client())).toBe('refused 5');
      expect(await login(broker, { ...account, ...client() })).toBe('accepted');
    });
    await withBroker({ plainListener: true }, async (broker) => {
      expect(broker.url).toBe(`mqtt://127.0.0.1:${broker.port}`);
      expect(await login(broker, account)).toBe('accepted');
      expect(await login(broker, {})).toBe('refused 5');
    });
  });
});
