import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateRunPki, type RunPki } from '../../../fixtures/pki/generate.js';
import { AasHttpClient, AasHttpError } from '../../../harness/protocols/aas/index.js';
import { sendJson, startServer, type TestServer } from './servers.js';

let pki: RunPki;
let wrongNamePki: RunPki;
let server: TestServer;
let wrongNameServer: TestServer;

beforeAll(async () => {
  [pki, wrongNamePki] = await Promise.all([generateRunPki(), generateRunPki({ serverNames: ['DNS:aas.other.example'] })]);
  server = await startServer((_req, res) => sendJson(res, 200, { ok: true }), { cert: pki.serverCert, key: pki.serverKey });
  wrongNameServer = await startServer((_req, res) => sendJson(res, 200, { ok: true }), { cert: wrongNamePki.serverCert, key: wrongNamePki.serverKey });
});

afterAll(async () => {
  await server?.close();
  await wrongNameServer?.close();
  pki?.dispose();
  wrongNamePki?.dispose();
});

async function outcome(client: AasHttpClient): Promise<number | AasHttpError> {
  try {
    return (await client.get('/description')).status;
  } catch (error) {
    if (error instanceof AasHttpError) return error;
    throw error;
  } finally {
    await client.close();
  }
}

describe('TLS', () => {
  it('works with the CA that issued the server certificate', async () => {
    expect(await outcome(new AasHttpClient({ endpoint: { baseUrl: `${server.origin}/api/v3.0`, tls: { ca: pki.ca } } }))).toBe(200);
  });

  it('fails without that CA, saying the certificate is not trusted', async () => {
    const result = await outcome(new AasHttpClient({ endpoint: { baseUrl: server.origin } }));
    expect(result).toBeInstanceOf(AasHttpError);
    const error = result as AasHttpError;
    expect(error.kind).toBe('tls');
    expect(error.message).toBe(`GET ${server.origin}/description: the server's certificate is not trusted (self-signed, or issued by a CA not given in tls.ca)`);
    await server.waitForNoConnections();
  });

  it('fails with a certificate for another host name, saying so', async () => {
    const result = await outcome(new AasHttpClient({ endpoint: { baseUrl: wrongNameServer.origin, tls: { ca: wrongNamePki.ca } } }));
    expect((result as AasHttpError).kind).toBe('tls');
    expect((result as AasHttpError).message).toMatch(/does not name this host \(hostname mismatch\)$/);
  });

  it('accepts any certificate only when told to', async () => {
    expect(await outcome(new AasHttpClient({ endpoint: { baseUrl: server.origin, tls: { rejectUnauthorized: false } } }))).toBe(200);
  });
});
