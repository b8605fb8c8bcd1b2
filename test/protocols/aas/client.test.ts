import { afterEach, describe, expect, it } from 'vitest';
import { AasHttpClient, encodeIdentifier, HarRecorder, type HarEntry } from '../../../harness/protocols/aas/index.js';
import { sendJson, startServer, type TestServer } from './servers.js';

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

async function serve(...args: Parameters<typeof startServer>): Promise<TestServer> {
  const server = await startServer(...args);
  cleanup.push(() => server.close());
  return server;
}

function client(options: ConstructorParameters<typeof AasHttpClient>[0]): AasHttpClient {
  const c = new AasHttpClient(options);
  cleanup.push(() => c.close());
  return c;
}

describe('AasHttpClient', () => {
  it('keeps the base URL path prefix, sends static headers and query parameters', async () => {
    const server = await serve((_req, res) => sendJson(res, 200, { result: [], paging_metadata: {} }));
    const id = encodeIdentifier('https://example.com/aas/1');
    const c = client({ endpoint: { baseUrl: `${server.origin}/api/v3.0/`, headers: { 'Edc-Bpn': 'BPNL000000000001' } } });
    const response = await c.get(`/shells/${id}`, { query: { limit: 2, cursor: 'abc' } });
    expect(response.status).toBe(200);
    expect(response.json).toEqual({ kind: 'ok', value: { result: [], paging_metadata: {} } });
    expect(response.url).toBe(`${server.origin}/api/v3.0/shells/${id}?limit=2&cursor=abc`);
    const seen = server.requests[0];
    expect(seen?.url).toBe(`/api/v3.0/shells/${id}?limit=2&cursor=abc`);
    expect(seen?.headers['edc-bpn']).toBe('BPNL000000000001');
    expect(seen?.headers['accept']).toBe('application/json');
  });

  it('sends a JSON body and a bearer token, and records both in the HAR with the token redacted', async () => {
    const server = await serve((_req, res, body) => sendJson(res, 201, JSON.parse(body)));
    const har = new HarRecorder();
    const c = client({ endpoint: { baseUrl: server.origin, auth: { kind: 'bearer', token: 'static-token-123' } }, har });
    const response = await c.request('POST', '/shells', { body: { json: { idShort: 'a' } } });
    expect(response.status).toBe(201);
    expect(server.requests[0]?.headers['authorization']).toBe('Bearer static-token-123');
    expect(server.requests[0]?.headers['content-type']).toBe('application/json');
    const text = har.toHar();
    expect(text).not.toContain('static-token-123');
    const entry = (JSON.parse(text) as { log: { entries: HarEntry[] } }).log.entries[0];
    expect(entry?.request.postData?.text).toBe('{"idShort":"a"}');
    expect(entry?.request.headers).toContainEqual({ name: 'authorization', value: '[redacted]' });
    expect(entry?.response.status).toBe(201);
    expect(entry?.response.content.text).toBe('{"idShort":"a"}');
  });

  it('gives invalid JSON as a parse problem, not a throw', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"result": [1, 2');
    });
    const c = client({ endpoint: { baseUrl: server.origin } });
    const response = await c.get('/shells');
    expect(response.status).toBe(200);
    expect(response.text).toBe('{"result": [1, 2');
    expect(response.json.kind).toBe('problem');
    expect(response.json.kind === 'problem' && response.json.reason).toMatch(/^the body is not JSON/);
    await c.close();
    await server.waitForNoConnections();
  });

  it('follows a same-origin redirect, keeping the prefix it is given', async () => {
    const server = await serve((req, res) => {
      if (req.url === '/api/old') {
        res.writeHead(308, { location: '/api/new' });
        res.end();
      } else sendJson(res, 200, { at: req.url });
    });
    const c = client({ endpoint: { baseUrl: `${server.origin}/api` } });
    const response = await c.get('/old');
    expect(response.json).toEqual({ kind: 'ok', value: { at: '/api/new' } });
    expect(response.url).toBe(`${server.origin}/api/new`);
  });

  it('turns a POST into a GET without body after 303 See Other', async () => {
    const server = await serve((req, res) => {
      if (req.method === 'POST') {
        res.writeHead(303, { location: 'done' });
        res.end();
      } else sendJson(res, 200, {});
    });
    const c = client({ endpoint: { baseUrl: `${server.origin}/api/` } });
    expect((await c.request('POST', '/jobs', { body: { json: { a: 1 } } })).status).toBe(200);
    expect(server.requests.map((r) => [r.method, r.url, r.body, r.headers['content-type']])).toEqual([
      ['POST', '/api/jobs', '{"a":1}', 'application/json'],
      ['GET', '/api/done', '', undefined],
    ]);
  });

  it('does not follow a redirect to another origin', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(302, { location: 'http://127.0.0.2:1/elsewhere' });
      res.end();
    });
    const c = client({ endpoint: { baseUrl: server.origin, auth: { kind: 'bearer', token: 'not-for-strangers' } } });
    await expect(c.get('/x')).rejects.toThrow(/redirect 302 to another origin \(http:\/\/127\.0\.0\.2:1\) not followed/);
  });
});
