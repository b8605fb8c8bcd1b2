import { afterEach, describe, expect, it } from 'vitest';
import { AasHttpClient, HarRecorder, type HarEntry } from '../../../harness/protocols/aas/index.js';
import { sendJson, startServer, type TestServer } from './servers.js';

const CLIENT_ID = 'conformance-client';
const CLIENT_SECRET = 's3cr3t:with&odd=chars';

/** A token endpoint and a resource in one server; `revoke()` makes the current token unknown, as a restart would. */
async function authServer(): Promise<TestServer & { tokensIssued(): number; revoke(): void }> {
  let issued = 0;
  const valid = new Set<string>();
  const server = await startServer((req, res, body) => {
    if (req.url === '/auth/token') {
      const expected = `Basic ${Buffer.from(`${encodeURIComponent(CLIENT_ID)}:${encodeURIComponent(CLIENT_SECRET)}`).toString('base64')}`;
      const form = new URLSearchParams(body);
      if (req.headers['authorization'] !== expected || form.get('grant_type') !== 'client_credentials') {
        return sendJson(res, 401, { error: 'invalid_client' });
      }
      const token = `token-${++issued}-${'x'.repeat(20)}`;
      valid.add(token);
      return sendJson(res, 200, { access_token: token, token_type: 'Bearer', expires_in: 3600, scope: form.get('scope') });
    }
    const token = /^Bearer (.+)$/.exec(req.headers['authorization'] ?? '')?.[1];
    if (!token || !valid.has(token)) return sendJson(res, 401, { messages: [{ messageType: 'Error', text: 'unauthorized' }] });
    // a careless server echoing the token must not leak it into the evidence either
    sendJson(res, 200, { result: [], echo: token });
  });
  return Object.assign(server, { tokensIssued: () => issued, revoke: () => valid.clear() });
}

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

async function setup(scope?: string, now?: () => number) {
  const server = await authServer();
  const har = new HarRecorder();
  const client = new AasHttpClient({
    endpoint: {
      baseUrl: `${server.origin}/api/v3.0`,
      auth: { kind: 'oauth2', tokenUrl: `${server.origin}/auth/token`, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, ...(scope ? { scope } : {}) },
    },
    har,
    ...(now ? { now } : {}),
  });
  cleanup.push(() => server.close(), () => client.close());
  return { server, har, client };
}

describe('OAuth2 client credentials', () => {
  it('fetches a token once and reuses it', async () => {
    const { server, client } = await setup('aas:read');
    for (let i = 0; i < 3; i++) expect((await client.get('/shells')).status).toBe(200);
    expect(server.tokensIssued()).toBe(1);
    const tokenRequest = server.requests.find((r) => r.url === '/auth/token');
    expect(tokenRequest?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(new URLSearchParams(tokenRequest?.body).get('scope')).toBe('aas:read');
    expect(server.requests.filter((r) => r.url === '/api/v3.0/shells')).toHaveLength(3);
  });

  it('fetches a new token shortly before the old one expires', async () => {
    let clock = 1_000_000;
    const { server, client } = await setup(undefined, () => clock);
    await client.get('/shells');
    // expires_in 3600 s: still good 3569 s later, renewed within the last 30 s
    clock += 3_569_000;
    await client.get('/shells');
    expect(server.tokensIssued()).toBe(1);
    clock += 2_000;
    await client.get('/shells');
    expect(server.tokensIssued()).toBe(2);
  });

  it('fetches a new token once after a 401 and retries', async () => {
    const { server, client } = await setup();
    expect((await client.get('/shells')).status).toBe(200);
    server.revoke();
    expect((await client.get('/shells')).status).toBe(200);
    expect(server.tokensIssued()).toBe(2);
    // a second 401 is the server's answer, not a reason to loop
    server.revoke();
    const stubborn = await authServerRefusingAll();
    const c = new AasHttpClient({
      endpoint: { baseUrl: stubborn.origin, auth: { kind: 'oauth2', tokenUrl: `${stubborn.origin}/token`, clientId: 'a', clientSecret: 'bbbb' } },
    });
    cleanup.push(() => stubborn.close(), () => c.close());
    expect((await c.get('/shells')).status).toBe(401);
    expect(stubborn.requests.map((r) => r.url)).toEqual(['/token', '/shells', '/token', '/shells']);
  });

  it('keeps the client secret and the tokens out of the HAR, while recording the token request', async () => {
    const { client, har } = await setup();
    await client.get('/shells');
    const text = har.toHar();
    expect(text).not.toContain(CLIENT_SECRET);
    expect(text).not.toContain(encodeURIComponent(CLIENT_SECRET));
    expect(text).not.toContain('token-1-');
    const entries = (JSON.parse(text) as { log: { creator: { name: string }; entries: HarEntry[] } }).log.entries;
    expect(entries.map((e) => e.comment ?? '')).toEqual(['OAuth2 token request', '']);
    const [token, shells] = entries;
    expect(token?.request.postData?.text).toBe('grant_type=client_credentials');
    expect(token?.request.headers).toContainEqual({ name: 'authorization', value: '[redacted]' });
    expect(token?.response.content.text).toContain('"access_token":"[redacted]"');
    expect(shells?.response.content.text).toContain('"echo":"***"');
  });

  it('sends no credentials when asked to, and a caller-given Authorization instead of its own, without retrying', async () => {
    const { server, client } = await setup();
    expect((await client.get('/shells', { anonymous: true })).status).toBe(401);
    expect((await client.get('/shells', { headers: { Authorization: 'Bearer forged' } })).status).toBe(401);
    expect(server.tokensIssued()).toBe(0);
    expect(server.requests.map((r) => r.headers['authorization'])).toEqual([undefined, 'Bearer forged']);
  });

  it('says in one line when the token endpoint refuses, without the secret', async () => {
    const server = await authServer();
    const client = new AasHttpClient({
      endpoint: { baseUrl: server.origin, auth: { kind: 'oauth2', tokenUrl: `${server.origin}/auth/token`, clientId: CLIENT_ID, clientSecret: 'wrong-secret' } },
    });
    cleanup.push(() => server.close(), () => client.close());
    const error = await client.get('/shells').then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(error?.message).toBe(`POST ${server.origin}/auth/token: the OAuth2 token endpoint answered 401 (invalid_client)`);
  });
});

async function authServerRefusingAll(): Promise<TestServer> {
  return startServer((req, res) => {
    if (req.url === '/token') sendJson(res, 200, { access_token: 'always-refused', expires_in: 60 });
    else sendJson(res, 401, { messages: [] });
  });
}
