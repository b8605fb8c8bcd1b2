/** TLS failures are named as such, in one line: which certificate, which CA, which host name. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateTestPki, type TestPkiFiles } from '../../../fixtures/pki/generate.js';
import type { BrokerAccess } from '../../../harness/model/index.js';
import { BrokerError, MqttConnection } from '../../../harness/protocols/mqtt/connection.js';
import { attemptLogin } from '../../../harness/protocols/mqtt/login.js';
import { describeTlsError, probeTls } from '../../../harness/protocols/mqtt/tls.js';
import { startEmbeddedBroker, type EmbeddedBroker } from '../../../harness/targets/index.js';
import { freePort } from '../../support/net.js';

let dir: string;
let pki: TestPkiFiles;
let elsewhere: TestPkiFiles;
let broker: EmbeddedBroker;
let misnamed: EmbeddedBroker;
let plain: EmbeddedBroker;
const pem = (path: string) => readFileSync(path, 'utf8');

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'oi4-tls-'));
  [pki, elsewhere] = await Promise.all([generateTestPki(join(dir, 'loopback')), generateTestPki(join(dir, 'elsewhere'), { serverNames: ['DNS:broker.invalid'] })]);
  broker = await startEmbeddedBroker({ tls: { ca: pem(pki.caCert), cert: pem(pki.serverCert), key: pem(pki.serverKey) } });
  misnamed = await startEmbeddedBroker({ tls: { ca: pem(elsewhere.caCert), cert: pem(elsewhere.serverCert), key: pem(elsewhere.serverKey) } });
  plain = await startEmbeddedBroker();
});
afterAll(async () => {
  await Promise.all([broker, misnamed, plain].map((b) => b?.close()));
  rmSync(dir, { recursive: true, force: true });
});

const tls = (ca: string, caFile = 'certs/ca.pem') => ({ ca: pem(ca), caFile, rejectUnauthorized: true });

describe('probeTls', () => {
  it('reads the broker certificate: subject, issuer, names, validity and the chain', async () => {
    const probe = await probeTls({ url: broker.url, tls: tls(pki.caCert), timeoutMs: 5000 });
    expect(probe.ok).toBe(true);
    expect(probe.peer).toMatchObject({ subject: 'CN=localhost', issuer: 'CN=oi4-conformance test root CA', subjectAltName: 'IP Address:127.0.0.1, DNS:localhost' });
    expect(Date.parse(probe.peer!.validTo)).toBeGreaterThan(Date.now());
    expect(probe.peer!.chain[0]).toBe('CN=localhost');
  });

  it('verifies even when the target file turns verification off', async () => {
    const probe = await probeTls({ url: broker.url, tls: { ...tls(pki.otherCaCert), rejectUnauthorized: false }, timeoutMs: 5000 });
    expect(probe).toMatchObject({ ok: false, reason: expect.stringMatching(/^TLS: the broker's certificate is not trusted by the CA in certs\/ca\.pem \([A-Z_]+\)$/) });
  });

  it('names a host name the certificate is not valid for', async () => {
    const probe = await probeTls({ url: misnamed.url, tls: tls(elsewhere.caCert), timeoutMs: 5000 });
    expect(probe).toMatchObject({ ok: false, reason: expect.stringMatching(/^TLS: the broker's certificate is not valid for the host name 127\.0\.0\.1.*\(ERR_TLS_CERT_ALTNAME_INVALID\)$/) });
  });

  it('says when the port does not speak TLS, and throws when nothing listens', async () => {
    // an MQTT broker hangs up on a ClientHello, which is not an MQTT packet
    const probe = await probeTls({ url: plain.url.replace('mqtt:', 'mqtts:'), tls: tls(pki.caCert), timeoutMs: 5000 });
    expect(probe).toMatchObject({ ok: false, reason: expect.stringMatching(/^TLS: the broker closed the connection during the handshake \(is it a plain mqtt:\/\/ port/) });
    await expect(probeTls({ url: `mqtts://127.0.0.1:${await freePort()}`, tls: tls(pki.caCert), timeoutMs: 5000 })).rejects.toThrow(/ECONNREFUSED/);
  });
});

describe('connection errors of the harness', () => {
  const target = (url: string, t: BrokerAccess['tls']): BrokerAccess => ({ url, clientIdPrefix: 'unit', ...(t && { tls: t }) });

  it('an untrusted broker certificate: one line naming the CA file', async () => {
    const error = await MqttConnection.open({ broker: target(broker.url, tls(pki.otherCaCert)), connectTimeoutMs: 5000, purpose: 'unit' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BrokerError);
    expect((error as Error).message).toMatch(/^cannot connect to MQTT broker mqtts:\/\/127\.0\.0\.1:\d+: TLS: the broker's certificate is not trusted by the CA in certs\/ca\.pem \([A-Z_]+\)$/);
  });

  it('without a CA in the target, says the system CAs did not trust it', async () => {
    const error = await MqttConnection.open({ broker: target(broker.url, { rejectUnauthorized: true }), connectTimeoutMs: 5000, purpose: 'unit' }).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/TLS: the broker's certificate is not trusted by the system's CA certificates \(the target names no broker\.tls\.ca\)/);
  });

  it('a login attempt that cannot verify the broker is an error, not a refusal', async () => {
    await expect(
      attemptLogin({ url: misnamed.url, tls: tls(elsewhere.caCert), credentials: {}, clientIdPrefix: 'unit', purpose: 'unit', connectTimeoutMs: 5000 }),
    ).rejects.toThrow(/TLS: the broker's certificate is not valid for the host name/);
  });

  it('describeTlsError leaves what is not TLS alone', () => {
    expect(describeTlsError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }), { url: 'mqtts://h:1' })).toBeUndefined();
    expect(describeTlsError(Object.assign(new Error('Connection refused: Not authorized'), { code: 5 }), { url: 'mqtts://h:1' })).toBeUndefined();
    expect(describeTlsError(Object.assign(new Error('x'), { code: 'CERT_HAS_EXPIRED' }), { url: 'mqtts://h:1' })).toBe("TLS: the broker's certificate has expired (CERT_HAS_EXPIRED)");
    expect(describeTlsError(Object.assign(new Error('x'), { code: 'ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED' }), { url: 'mqtts://h:1' })).toMatch(
      /^TLS: the broker ended the handshake with the alert "certificate required" \(does it require a client certificate/,
    );
  });
});
