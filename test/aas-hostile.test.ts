/**
 * AAS servers that misbehave, end to end through the CLI: a real `run` against each, through a target file.
 * Whatever the server does, the run ends (no hang), writes report.json, is NOT_CONFORMANT or INCOMPLETE with
 * exit 1 or 3, says what happened in plain words, and crashes nowhere. The credentials of a bearer or an
 * OAuth2 target appear in no file of the bundle.
 *
 * Every server listens on 127.0.0.1 and is closed by its test. Deadlines are small so that the file stays quick;
 * the runs are concurrent (vitest's maxConcurrency, 3 CLI processes at most).
 *
 * A body that is not JSON is said to be so in the reasons, in the client's words, and never judged as a value
 * with missing fields (this file found that the suites said "id undefined" there; suites/aas-api/lib/http.ts
 * now passes the parse failure on).
 */
import { execFile } from 'node:child_process';
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { createServer as createNetServer, type Server as NetServer, type Socket } from 'node:net';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test, type ExpectStatic } from 'vitest';
import type { Report } from '../harness/model/index.js';
import { DEFAULT_MAX_BODY_BYTES, MAX_REDIRECTS } from '../harness/protocols/aas/index.js';
import { allFilesText, readReport, runCli, tempDir, type CliResult } from './support/cli.js';
import { freePort } from './support/net.js';

/**
 * The deadline of one request where the case waits it out (a silent server, a stalled body); a server that answers
 * at once gets a generous one, which costs nothing and keeps a busy machine from turning its case into a timeout.
 */
const WAITED_OUT_MS = 1000;
const ANSWERING_MS = 8000;
const params = (requestTimeoutMs: number, checkTimeoutMs = 10_000) => ['--param', `requestTimeoutMs=${requestTimeoutMs}`, '--param', `checkTimeoutMs=${checkTimeoutMs}`];
/** a hang shows as `killed`, long before vitest's own timeout */
const CLI_DEADLINE_MS = 45_000;
/** the client's cap on a response body: 16 MiB */
const BODY_CAP = DEFAULT_MAX_BODY_BYTES;
const PREFIX = '/vendor/api/v3.0';

interface Listening {
  /** the base URL a target file names: origin and PREFIX */
  readonly baseUrl: string;
  close(): Promise<void>;
}

/** Listens on a free loopback port; close() ends every open connection, so a stalled answer cannot keep the test alive. */
async function listen(server: NetServer, scheme: 'http' | 'https'): Promise<Listening> {
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    // a hostile server's writes after the client left must not crash the test process
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
  });
  // TLS sockets of an https server report here, not on the socket
  server.on('tlsClientError', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    baseUrl: `${scheme}://127.0.0.1:${port}${PREFIX}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

function httpServer(handler: Handler, tls?: { cert: string; key: string }): Promise<Listening> {
  const server = tls ? createHttpsServer(tls) : createHttpServer();
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    res.on('error', () => undefined);
    // read the request body (the POSTs of discovery) before answering, so the answer is not cut short by it
    req.resume();
    req.on('end', () => handler(req, res));
  });
  return listen(server, tls ? 'https' : 'http');
}

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  const text = JSON.stringify(value);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/** A self-signed certificate for 127.0.0.1, made with the openssl command line for this file only. */
function selfSigned(dir: string): Promise<{ cert: string; key: string }> {
  const cert = join(dir, 'self-signed.pem');
  const key = join(dir, 'self-signed.key');
  const args = ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '1'];
  args.push('-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', key, '-out', cert);
  return new Promise((resolve, reject) =>
    execFile('openssl', args, { timeout: 20_000 }, (error, _stdout, stderr) =>
      error ? reject(new Error(`openssl failed: ${stderr || error.message}`)) : resolve({ cert: readFileSync(cert, 'utf8'), key: readFileSync(key, 'utf8') }),
    ),
  );
}

function writeTarget(dir: string, aasSection: string, name = 'hostile-aas'): string {
  const file = join(dir, 'target.yaml');
  writeFileSync(file, `name: ${name}\nkind: aas\naas:\n${aasSection}`);
  return file;
}

async function run(profile: string, target: string, out: string, timeouts: { requestTimeoutMs: number; checkTimeoutMs?: number }, env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  const args = ['run', '--profile', profile, '--target', target, '--out', out, ...params(timeouts.requestTimeoutMs, timeouts.checkTimeoutMs)];
  return runCli(args, { timeoutMs: CLI_DEADLINE_MS, env });
}

/** The run ended by itself with a verdict against the target, a report, and no crash. */
function expectEndedWithReport(expect: ExpectStatic, result: CliResult, out: string): Report {
  const shown = `exit ${String(result.code)}\n${result.stderr}\n${result.stdout.slice(-2000)}`;
  expect(result.killed, `the run hung and was killed:\n${shown}`).toBe(false);
  expect(result.stderr, 'a stack trace on stderr').not.toMatch(/\n\s+at \S/);
  expect(existsSync(join(out, 'report.json')), `no report.json:\n${shown}`).toBe(true);
  const report = readReport(out);
  expect(['NOT_CONFORMANT', 'INCOMPLETE'], shown).toContain(report.verdict);
  expect(result.code, shown).toBe(report.verdict === 'NOT_CONFORMANT' ? 1 : 3);
  return report;
}

/** The requirements that did not pass, with their reasons. */
function notPassed(report: Report): { id: string; outcome: string; reason: string }[] {
  return report.requirements.filter((r) => r.outcome === 'FAIL' || r.outcome === 'ERROR').map((r) => ({ id: r.id, outcome: r.outcome, reason: r.reason }));
}

interface HostileCase {
  readonly name: string;
  /** starts the server (or finds a port where none listens); `dir` is the test's temp folder */
  start(dir: string): Promise<Listening>;
  /** what every failing or erroring requirement's reason must say */
  readonly reason: RegExp;
  /** the profile parameter requestTimeoutMs of the run */
  readonly requestTimeoutMs: number;
  /** the profile parameter checkTimeoutMs of the run; default 10 s */
  readonly checkTimeoutMs?: number;
  /** default aas-repository-read-3-0 */
  readonly profile?: string;
  /** when only some requirements are about the misbehaviour (the others fail on what the answer lacks) */
  readonly someReasons?: boolean;
  /** further expectations on the failing requirements */
  readonly alsoExpect?: (expect: ExpectStatic, failing: readonly { id: string; outcome: string; reason: string }[]) => void;
}

const silent: HostileCase = {
  name: 'accepts the connection and never answers',
  start: () => httpServer(() => undefined),
  reason: new RegExp(`no response within ${WAITED_OUT_MS} ms`),
  requestTimeoutMs: WAITED_OUT_MS,
};

const stalledBody: HostileCase = {
  name: 'sends the headers, then stalls the body',
  start: () =>
    httpServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': 4096 });
      res.write('{"profiles": [');
    }),
  reason: new RegExp(`the response body was not complete within ${WAITED_OUT_MS} ms`),
  requestTimeoutMs: WAITED_OUT_MS,
};

const hugeBody: HostileCase = {
  name: 'streams a body bigger than the client cap',
  start: () =>
    httpServer((_req, res) => {
      // valid JSON, only too large: whitespace inside an array, streamed in chunks (never held in memory)
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      const total = BODY_CAP + 8 * 1024 * 1024;
      let sent = 0;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"profiles": [');
      const pump = () => {
        while (!res.destroyed && sent < total) {
          sent += chunk.length;
          if (!res.write(chunk)) return;
        }
        if (!res.destroyed) res.end(']}');
      };
      res.on('drain', pump);
      pump();
    }),
  reason: new RegExp(`the response body exceeded the cap of ${BODY_CAP} bytes`),
  // 16 MiB over loopback while two other runs share the cores
  requestTimeoutMs: 20_000,
};

const invalidJson: HostileCase = {
  name: 'answers invalid JSON to everything',
  start: () =>
    httpServer((_req, res) => {
      const text = '{"profiles": ["https://admin-shell.io/aas/API/3/0/AssetAdministrationShellRepositoryServiceSpecification/SSP-002",';
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
      res.end(text);
    }),
  reason: /not a JSON object|not JSON/,
  someReasons: true,
  requestTimeoutMs: ANSWERING_MS,
  alsoExpect: (expect, failing) => {
    // the client knows why (`the body is not JSON: Unexpected end of JSON input`); the reasons should pass it on
    // rather than judge a parse failure as a missing field of a value that was never there
    for (const r of failing) expect.soft(r.reason, `${r.id}: a JavaScript "undefined" in the reason`).not.toMatch(/\bundefined\b/);
    for (const r of failing.filter((f) => ['AAS-DESC-001', 'AAS-PAG-001'].includes(f.id))) expect.soft(r.reason, `${r.id} does not say the body is not JSON`).toMatch(/not JSON/);
  },
};

const invalidJsonDiscovery: HostileCase = { ...invalidJson, name: 'answers invalid JSON to everything, as a discovery service', profile: 'discovery-read-3-1' };

const redirectLoop: HostileCase = {
  name: 'redirects in a loop',
  start: () =>
    httpServer((req, res) => {
      res.writeHead(307, { location: req.url?.includes('/again') ? req.url.replace('/again', '') : `${PREFIX}/again${(req.url ?? '/').slice(PREFIX.length)}` });
      res.end();
    }),
  reason: new RegExp(`more than ${MAX_REDIRECTS} redirects .*a loop\\?`),
  requestTimeoutMs: ANSWERING_MS,
};

const selfSignedTls: HostileCase = {
  name: 'speaks HTTPS with a self-signed certificate the target file does not trust',
  start: async (dir) => httpServer((_req, res) => sendJson(res, 200, { profiles: [] }), await selfSigned(dir)),
  reason: /certificate is not trusted \(self-signed/,
  requestTimeoutMs: ANSWERING_MS,
};

const resets: HostileCase = {
  name: 'resets every connection',
  start: () => listen(createNetServer((socket) => socket.resetAndDestroy()), 'http'),
  reason: /the server (reset|closed) the connection/,
  requestTimeoutMs: ANSWERING_MS,
};

const refused: HostileCase = {
  name: 'is not there (connection refused)',
  start: async () => {
    const port = await freePort();
    return { baseUrl: `http://127.0.0.1:${port}${PREFIX}`, close: async () => undefined };
  },
  reason: /connection refused/,
  requestTimeoutMs: ANSWERING_MS,
};

const stallsAfterDescription: HostileCase = {
  name: 'answers GET /description, then stalls every other body',
  profile: 'discovery-read-3-1',
  start: () =>
    httpServer((req, res) => {
      if (req.url === `${PREFIX}/description`) {
        sendJson(res, 200, { profiles: ['https://admin-shell.io/aas/API/3/1/DiscoveryServiceSpecification/SSP-002'] });
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': 4096 });
      res.write('{"result": [');
    }),
  // every check but the description's stops on its first request: ERROR with the timeout, none may pass
  reason: new RegExp(`stopped: .*the response body was not complete within ${WAITED_OUT_MS} ms`),
  requestTimeoutMs: WAITED_OUT_MS,
  alsoExpect: (expect, failing) => expect(new Set(failing.map((r) => r.outcome))).toEqual(new Set(['ERROR'])),
};

const silentAfterDescription: HostileCase = {
  name: 'answers GET /description, then never answers: the check deadline ends each check before its request deadline',
  profile: 'discovery-read-3-1',
  start: () =>
    httpServer((req, res) => {
      if (req.url === `${PREFIX}/description`) sendJson(res, 200, { profiles: ['https://admin-shell.io/aas/API/3/1/DiscoveryServiceSpecification/SSP-002'] });
    }),
  reason: /stopped: did not finish within its time limit \(1000 ms: checkTimeoutMs/,
  // a request deadline of a minute: only checkTimeoutMs can end these checks, and the run must not wait for the requests
  requestTimeoutMs: 60_000,
  checkTimeoutMs: 1000,
  alsoExpect: (expect, failing) => expect(new Set(failing.map((r) => r.outcome))).toEqual(new Set(['ERROR'])),
};

const CASES = [silent, stalledBody, hugeBody, invalidJson, invalidJsonDiscovery, redirectLoop, selfSignedTls, resets, refused, stallsAfterDescription, silentAfterDescription];

describe.concurrent('a hostile AAS server: the run ends with a report and the reason, never a hang or a crash', () => {
  // test.for hands each test its own expect: soft assertions of concurrent tests land on the right test
  test.for(CASES.map((c) => [c.name, c] as const))('%s', async ([, hostile], { expect }) => {
    const dir = tempDir('aas-hostile');
    const server = await hostile.start(dir);
    try {
      const out = join(dir, 'out');
      const profile = hostile.profile ?? 'aas-repository-read-3-0';
      const report = expectEndedWithReport(expect, await run(profile, writeTarget(dir, `  baseUrl: ${server.baseUrl}\n`), out, hostile), out);
      expect(report.profile.id).toBe(profile);
      const failing = notPassed(report);
      expect(failing.length, 'nothing failed').toBeGreaterThan(0);
      const matching = failing.filter((r) => hostile.reason.test(r.reason));
      if (hostile.someReasons) expect(matching.length, JSON.stringify(failing, null, 1)).toBeGreaterThan(0);
      else expect(failing.filter((r) => !hostile.reason.test(r.reason)), 'reasons that do not say what happened').toEqual([]);
      for (const r of failing) expect(r.reason, r.id).not.toContain('\n');
      hostile.alsoExpect?.(expect, failing);
      // a body cut at the client's cap is cut again in the evidence: the bundle stays small
      const bundleBytes = readdirSync(out, { recursive: true, withFileTypes: true })
        .filter((e) => e.isFile())
        .reduce((sum, e) => sum + statSync(join(e.parentPath, e.name)).size, 0);
      expect(bundleBytes).toBeLessThan(8 * 1024 * 1024);
      // kept when an assertion failed, for a look at the bundle
      rmSync(dir, { recursive: true, force: true });
    } finally {
      await server.close();
    }
  });
});

/** The Authorization header of every recorded exchange, from every HAR file of the bundle. */
function harAuthorizationValues(out: string): string[] {
  const evidence = join(out, 'evidence');
  return readdirSync(evidence)
    .filter((f) => f.endsWith('.har'))
    .flatMap((f) => {
      const har = JSON.parse(readFileSync(join(evidence, f), 'utf8')) as { log: { entries: { request: { headers: { name: string; value: string }[] } }[] } };
      return har.log.entries.flatMap((e) => e.request.headers.filter((h) => h.name.toLowerCase() === 'authorization').map((h) => h.value));
    });
}

/**
 * A small AAS stub under PREFIX that lets in only `authorized(header)`: a service description, an empty shell list,
 * and a 404 for the rest whose message quotes the Authorization header back, as careless servers do.
 */
function aasStub(authorized: (authorization: string | undefined, gatewayKey: string | undefined) => boolean, seen: { authorized: number; refused: number }): Promise<Listening> {
  return httpServer((req, res) => {
    const authorization = req.headers.authorization;
    if (!authorized(authorization, req.headers['gateway-key'] as string | undefined)) {
      seen.refused++;
      sendJson(res, 401, { messages: [{ messageType: 'Error', text: `not authorized: ${authorization ?? '(none)'}` }] });
      return;
    }
    seen.authorized++;
    const path = (req.url ?? '').split('?')[0];
    if (path === `${PREFIX}/description`) sendJson(res, 200, { profiles: ['https://admin-shell.io/aas/API/3/0/AssetAdministrationShellRepositoryServiceSpecification/SSP-002'] });
    else if (path === `${PREFIX}/shells`) sendJson(res, 200, { result: [], paging_metadata: {} });
    else {
      const had = `Authorization: ${authorization}, Edc-Bpn: ${String(req.headers['edc-bpn'])}, Gateway-Key: ${String(req.headers['gateway-key'])}`;
      sendJson(res, 404, { messages: [{ messageType: 'Error', text: `${req.method} ${path} not found (request had ${had})` }] });
    }
  });
}

describe.concurrent('credentials stay out of the report bundle', () => {
  test('bearer token and a header from the environment: nowhere in the bundle, the Authorization header redacted in the HAR evidence', async ({ expect }) => {
    const dir = tempDir('aas-bearer');
    // characters of real tokens (base64, JWT dots) that a careless redactor would take for regular expression syntax
    const token = `bearer.${randomBytes(12).toString('hex')}+/=`;
    // a header whose name says nothing of a secret: only its ${ENV} origin makes it one
    const gatewayKey = `gwkey-${randomBytes(12).toString('hex')}`;
    const seen = { authorized: 0, refused: 0 };
    const server = await aasStub((a, gateway) => a === `Bearer ${token}` && gateway === gatewayKey, seen);
    try {
      const out = join(dir, 'out');
      const headers = '  headers:\n    Edc-Bpn: BPNL000000000TEST\n    Gateway-Key: ${AAS_GATEWAY_KEY}\n';
      const target = writeTarget(dir, `  baseUrl: ${server.baseUrl}\n${headers}  auth:\n    bearer: \${AAS_TOKEN}\n`);
      const result = await run('aas-repository-read-3-0', target, out, { requestTimeoutMs: ANSWERING_MS }, { AAS_TOKEN: token, AAS_GATEWAY_KEY: gatewayKey });
      expectEndedWithReport(expect, result, out);
      expect(seen.authorized, 'the stub never saw the right token').toBeGreaterThan(0);
      expect(seen.refused).toBe(0);
      const everything = allFilesText(out) + result.stdout + result.stderr;
      expect(everything.includes(token), 'the bearer token appears in the bundle').toBe(false);
      expect(everything.includes(gatewayKey), 'the header value from ${AAS_GATEWAY_KEY} appears in the bundle').toBe(false);
      const authorization = harAuthorizationValues(out);
      expect(authorization.length).toBeGreaterThan(0);
      expect(new Set(authorization)).toEqual(new Set(['[redacted]']));
      // a plain header is no secret: it stays visible as evidence
      expect(everything).toContain('BPNL000000000TEST');
      // kept when an assertion failed, for a look at the bundle
      rmSync(dir, { recursive: true, force: true });
    } finally {
      await server.close();
    }
  });

  test('OAuth2 client credentials: the client secret and the access token nowhere in the bundle, Authorization redacted', async ({ expect }) => {
    const dir = tempDir('aas-oauth2');
    const clientId = 'conformance-client';
    const secret = `secret-${randomBytes(12).toString('hex')}`;
    const accessToken = `access-${randomBytes(12).toString('hex')}`;
    const basic = `Basic ${Buffer.from(`${clientId}:${secret}`).toString('base64')}`;
    let tokensIssued = 0;
    const tokenServer = await httpServer((req, res) => {
      if (req.method !== 'POST' || req.headers.authorization !== basic) {
        sendJson(res, 401, { error: 'invalid_client' });
        return;
      }
      tokensIssued++;
      sendJson(res, 200, { access_token: accessToken, token_type: 'Bearer', expires_in: 300 });
    });
    const seen = { authorized: 0, refused: 0 };
    const server = await aasStub((a) => a === `Bearer ${accessToken}`, seen);
    try {
      const out = join(dir, 'out');
      const tokenUrl = tokenServer.baseUrl.replace(PREFIX, '/realms/test/token');
      const target = writeTarget(
        dir,
        `  baseUrl: ${server.baseUrl}\n  auth:\n    oauth2:\n      tokenUrl: ${tokenUrl}\n      clientId: ${clientId}\n      clientSecret: \${AAS_CLIENT_SECRET}\n      scope: aas-read\n`,
      );
      const result = await run('aas-repository-read-3-0', target, out, { requestTimeoutMs: ANSWERING_MS }, { AAS_CLIENT_SECRET: secret });
      expectEndedWithReport(expect, result, out);
      expect(tokensIssued, 'no access token was asked for').toBeGreaterThan(0);
      expect(seen.authorized, 'the stub never saw the access token').toBeGreaterThan(0);
      const everything = allFilesText(out) + result.stdout + result.stderr;
      expect(everything.includes(secret), 'the client secret appears in the bundle').toBe(false);
      expect(everything.includes(basic.slice('Basic '.length)), 'the Basic credentials (base64 of id:secret) appear in the bundle').toBe(false);
      expect(everything.includes(accessToken), 'the access token appears in the bundle').toBe(false);
      const authorization = harAuthorizationValues(out);
      expect(authorization.length).toBeGreaterThan(0);
      expect(new Set(authorization)).toEqual(new Set(['[redacted]']));
      rmSync(dir, { recursive: true, force: true });
    } finally {
      await Promise.all([server.close(), tokenServer.close()]);
    }
  });
});
