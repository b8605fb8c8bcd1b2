/**
 * Servers that misbehave: every request ends within its deadline with a one-line reason, and leaves no socket
 * open. No assertion is about speed; the deadlines are what would otherwise hang the test.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { freePort } from '../../support/net.js';
import { AasHttpClient, AasHttpError, HarRecorder, MAX_REDIRECTS, type HarEntry } from '../../../harness/protocols/aas/index.js';
import { startServer, type Handler, type TestServer } from './servers.js';

const TIMEOUT_MS = 700;
const CAP = 64 * 1024;

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

async function against(handler: Handler) {
  const server = await startServer(handler);
  const har = new HarRecorder();
  const client = new AasHttpClient({ endpoint: { baseUrl: `${server.origin}/api/v3.0` }, har, timeoutMs: TIMEOUT_MS, maxBodyBytes: CAP });
  cleanup.push(() => server.close(), () => client.close());
  return { server, har, client };
}

async function failure(work: Promise<unknown>): Promise<AasHttpError> {
  const result = await work.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(result instanceof AasHttpError)) throw new Error(`expected an AasHttpError, got ${String(result)}`);
  expect(result.message).not.toContain('\n');
  return result;
}

function entries(har: HarRecorder): HarEntry[] {
  return (JSON.parse(har.toHar()) as { log: { entries: HarEntry[] } }).log.entries;
}

describe('hostile AAS servers', () => {
  it('headers then a stalled body: ends at the deadline with a timeout', async () => {
    const { server, client, har } = await against((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': 1000 });
      res.write('{"result": [');
    });
    const error = await failure(client.get('/shells'));
    expect(error.kind).toBe('timeout');
    expect(error.message).toBe(`GET ${server.origin}/api/v3.0/shells: the response body was not complete within ${TIMEOUT_MS} ms (12 bytes received)`);
    await server.waitForNoConnections();
    expect(entries(har)[0]?._error).toBe(error.message);
    expect(entries(har)[0]?.response.content.text).toBe('{"result": [');
  });

  it('never answers: ends at the deadline with a timeout', async () => {
    const { server, client } = await against(() => undefined);
    const error = await failure(client.get('/shells'));
    expect(error.kind).toBe('timeout');
    expect(error.message).toBe(`GET ${server.origin}/api/v3.0/shells: no response within ${TIMEOUT_MS} ms`);
    await server.waitForNoConnections();
  });

  it('the check aborts: ends at once, saying so', async () => {
    let arrived: () => void = () => undefined;
    const requestArrived = new Promise<void>((resolve) => (arrived = resolve));
    const { server, client } = await against(() => arrived());
    const controller = new AbortController();
    const pending = failure(client.get('/shells', { signal: controller.signal, timeoutMs: 60_000 }));
    await requestArrived;
    controller.abort();
    const error = await pending;
    expect(error.kind).toBe('aborted');
    expect(error.message).toMatch(/shells: aborted by the check$/);
    await server.waitForNoConnections();
  });

  it('an endless body: cut at the cap, the socket closed, memory bounded', async () => {
    let written = 0;
    const { server, client, har } = await against((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      const chunk = Buffer.alloc(16 * 1024, 0x61);
      const pump = () => {
        while (!res.destroyed) {
          written += chunk.length;
          if (!res.write(chunk)) return;
        }
      };
      res.on('drain', pump);
      pump();
    });
    const error = await failure(client.get('/shells'));
    expect(error.kind).toBe('body-too-large');
    expect(error.message).toBe(`GET ${server.origin}/api/v3.0/shells: the response body exceeded the cap of ${CAP} bytes and was cut off`);
    await server.waitForNoConnections();
    expect(written).toBeGreaterThan(CAP);
    const content = entries(har)[0]?.response.content;
    expect(content?.text).toHaveLength(CAP);
    expect(content?.comment).toMatch(/cut off by the client after 65536 of/);
  });

  it('invalid JSON: a parse problem in the result, not a throw', async () => {
    const { server, client } = await against((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('<html>not json</html>');
    });
    const response = await client.get('/shells');
    expect(response.json.kind).toBe('problem');
    await client.close();
    await server.waitForNoConnections();
  });

  it(`a redirect loop: an error after ${MAX_REDIRECTS} redirects`, async () => {
    const { server, client, har } = await against((req, res) => {
      res.writeHead(307, { location: req.url?.endsWith('/a') ? '/api/v3.0/b' : '/api/v3.0/a' });
      res.end();
    });
    const error = await failure(client.get('/a'));
    expect(error.kind).toBe('redirect');
    expect(error.message).toBe(
      `GET ${server.origin}/api/v3.0/a: more than 5 redirects (/api/v3.0/a -> /api/v3.0/b -> /api/v3.0/a -> /api/v3.0/b -> /api/v3.0/a -> /api/v3.0/b -> ...); a loop?`,
    );
    expect(server.requests).toHaveLength(MAX_REDIRECTS + 1);
    expect(entries(har)).toHaveLength(MAX_REDIRECTS + 1);
    await client.close();
    await server.waitForNoConnections();
  });

  it('a connection reset mid-body: a plain reason, no open socket', async () => {
    const { server, client } = await against((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': 5000 });
      res.write('{"result": [', () => res.socket?.resetAndDestroy());
    });
    const error = await failure(client.get('/shells'));
    expect(error.kind).toBe('reset');
    expect(error.message).toMatch(/^GET http:\/\/127\.0\.0\.1:\d+\/api\/v3\.0\/shells: the server (reset|closed) the connection/);
    await server.waitForNoConnections();
  });

  it('nobody listening: connection refused, in one line', async () => {
    const port = await freePort();
    const client = new AasHttpClient({ endpoint: { baseUrl: `http://user:pw-secret@127.0.0.1:${port}/api` }, timeoutMs: TIMEOUT_MS });
    cleanup.push(() => client.close());
    const error = await failure(client.get('/shells'));
    expect(error.kind).toBe('refused');
    expect(error.message).toBe(`GET http://***:***@127.0.0.1:${port}/api/shells: connection refused (is the server running and the port right?)`);
  });
});
