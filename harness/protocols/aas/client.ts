import { Agent } from 'undici';
import { createRedactor, redactUrl, type Redactor } from '../../evidence/index.js';
import { endpointSecrets, type AasAuth, type AasEndpoint } from './endpoint.js';
import { AasHttpError, classifyHttpError, withPlace } from './errors.js';
import type { HarRecorder } from '../../evidence/index.js';
import { joinUrl, parseBaseUrl, type QueryParams } from './url.js';

export type AasBody = { readonly json: unknown } | { readonly bytes: Uint8Array; readonly contentType?: string };

export interface AasRequestOptions {
  readonly query?: QueryParams;
  /** on top of the endpoint's static headers, which they override */
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: AasBody;
  /** the Accept header; default application/json */
  readonly accept?: string;
  /** the deadline of the whole call: token, redirects and the retry after a 401 included */
  readonly timeoutMs?: number;
  /** the check's signal: aborting it ends the call at once */
  readonly signal?: AbortSignal;
  /**
   * send no credentials, for checks that probe a server's 401. An `authorization` header in `headers` also
   * replaces the endpoint's credentials (a check probing a wrong token); neither is retried after a 401.
   */
  readonly anonymous?: boolean;
}

export type JsonResult = { readonly kind: 'ok'; readonly value: unknown } | { readonly kind: 'problem'; readonly reason: string };

export interface AasResponse {
  readonly status: number;
  /** lower-case names, as undici gives them */
  readonly headers: Readonly<Record<string, string | readonly string[]>>;
  readonly bodyBytes: Uint8Array;
  readonly text: string;
  /** the body parsed as JSON, or why it could not be: a server's bad JSON is a finding, not a crash */
  readonly json: JsonResult;
  readonly durationMs: number;
  /** the URL that answered (after redirects), without credentials */
  readonly url: string;
}

export interface AasClientOptions {
  readonly endpoint: AasEndpoint;
  /** every exchange is recorded here, when given */
  readonly har?: HarRecorder;
  /** further values to keep out of error messages (the HAR recorder has its own list) */
  readonly secrets?: Iterable<string>;
  /** default deadline of a request; default 10 s */
  readonly timeoutMs?: number;
  /** a response body larger than this is cut off and the request fails; default 16 MiB */
  readonly maxBodyBytes?: number;
  /** the clock that ages cached tokens (milliseconds); tests pass their own so that no test has to wait */
  readonly now?: () => number;
}

export const DEFAULT_TIMEOUT_MS = 10_000;
export const DEFAULT_MAX_BODY_BYTES = 16 * 1024 * 1024;
/** browsers follow 20; an AAS server has no reason for more than a couple */
export const MAX_REDIRECTS = 5;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
/** a token is renewed this long before the server says it expires, so it cannot expire in flight */
const TOKEN_RENEW_MARGIN_MS = 30_000;
/** how much later than the deadline undici's own header and body timers fire */
const UNDICI_BACKSTOP_MS = 1_000;

interface Deadline {
  readonly signal: AbortSignal;
  readonly timeout: AbortSignal;
  readonly caller: AbortSignal | undefined;
  readonly ms: number;
  readonly endsAt: number;
}

interface Exchanged {
  readonly status: number;
  readonly headers: Record<string, string | readonly string[]>;
  readonly body: Buffer;
  readonly durationMs: number;
}

type OAuth2 = Extract<AasAuth, { kind: 'oauth2' }>;

/**
 * The HTTP client of the AAS checks: one undici Agent per endpoint (its TLS settings), a deadline on every
 * call, a cap on every body, redirects followed on the same origin only, and OAuth2 client credentials.
 * Nothing here decides an outcome: a status or a body is data for the check.
 */
export class AasHttpClient {
  readonly #agent: Agent;
  readonly #base: URL;
  readonly #endpoint: AasEndpoint;
  readonly #har: HarRecorder | undefined;
  readonly #timeoutMs: number;
  readonly #maxBodyBytes: number;
  readonly #secrets: Set<string>;
  #redact: Redactor;
  readonly #now: () => number;
  #token: { readonly value: string; readonly renewAt: number } | undefined;
  #pendingToken: Promise<string> | undefined;

  constructor(options: AasClientOptions) {
    this.#endpoint = options.endpoint;
    this.#base = parseBaseUrl(options.endpoint.baseUrl);
    this.#har = options.har;
    this.#timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.#maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
    this.#now = options.now ?? Date.now;
    this.#secrets = new Set([...endpointSecrets(options.endpoint), ...(options.secrets ?? [])]);
    this.#redact = createRedactor(this.#secrets);
    for (const secret of this.#secrets) this.#har?.addSecret(secret);
    const tls = options.endpoint.tls;
    this.#agent = new Agent({
      connect: {
        ...(tls?.ca ? { ca: tls.ca } : {}),
        rejectUnauthorized: tls?.rejectUnauthorized ?? true,
        timeout: this.#timeoutMs,
      },
      headersTimeout: this.#timeoutMs,
      bodyTimeout: this.#timeoutMs,
    });
  }

  /** The base URL as given (credentials removed), for messages. */
  get baseUrl(): string {
    return redactUrl(this.#base.href);
  }

  /** The URL a path resolves to under the base URL. */
  url(path: string, query?: QueryParams): URL {
    return joinUrl(this.#base, path, query);
  }

  async request(method: string, path: string, options: AasRequestOptions = {}): Promise<AasResponse> {
    const url = this.url(path, options.query);
    const deadline = this.#deadline(options);
    const body = requestBody(options.body);
    const headers: Record<string, string> = {
      accept: options.accept ?? 'application/json',
      ...lowerCaseKeys(this.#endpoint.headers ?? {}),
      ...lowerCaseKeys(options.headers ?? {}),
      ...(body ? { 'content-type': body.contentType } : {}),
    };
    const ownAuth = !options.anonymous && !('authorization' in headers);
    const started = Date.now();
    let answer = await this.#withRedirects(method, url, headers, body?.bytes, deadline, ownAuth);
    // a 401 may only mean the cached token was revoked or expired early: one fresh token, one retry
    if (answer.exchanged.status === 401 && ownAuth && this.#endpoint.auth?.kind === 'oauth2') {
      this.#token = undefined;
      answer = await this.#withRedirects(method, url, headers, body?.bytes, deadline, ownAuth);
    }
    const { exchanged, finalUrl } = answer;
    return {
      status: exchanged.status,
      headers: exchanged.headers,
      bodyBytes: exchanged.body,
      text: exchanged.body.toString('utf8'),
      json: parseJson(exchanged.body),
      durationMs: Date.now() - started,
      url: redactUrl(finalUrl.href),
    };
  }

  get(path: string, options: AasRequestOptions = {}): Promise<AasResponse> {
    return this.request('GET', path, options);
  }

  /** Closes the pooled connections; calling it again does nothing. */
  async close(): Promise<void> {
    if (this.#agent.closed || this.#agent.destroyed) return;
    await this.#agent.close();
  }

  #deadline(options: AasRequestOptions): Deadline {
    const ms = options.timeoutMs ?? this.#timeoutMs;
    const timeout = AbortSignal.timeout(ms);
    const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
    return { signal, timeout, caller: options.signal, ms, endsAt: Date.now() + ms };
  }

  async #withRedirects(
    method: string,
    url: URL,
    headers: Record<string, string>,
    body: Buffer | undefined,
    deadline: Deadline,
    ownAuth: boolean,
  ): Promise<{ exchanged: Exchanged; finalUrl: URL }> {
    let current = url;
    let currentMethod = method;
    let currentBody = body;
    let currentHeaders = headers;
    const visited = [url.href];
    for (let hop = 0; ; hop++) {
      const auth = ownAuth ? await this.#authorization(deadline) : {};
      const exchanged = await this.#exchange(currentMethod, current, { ...currentHeaders, ...auth }, currentBody, deadline, hop > 0 ? `redirect ${hop}` : undefined);
      const location = exchanged.headers['location'];
      if (!REDIRECT_STATUSES.has(exchanged.status) || typeof location !== 'string') return { exchanged, finalUrl: current };
      if (hop >= MAX_REDIRECTS) {
        throw this.#fail(`more than ${MAX_REDIRECTS} redirects (${visited.map((u) => new URL(u).pathname.slice(0, 80)).join(' -> ')} -> ...); a loop?`, 'redirect', method, url);
      }
      let next: URL;
      try {
        next = new URL(location, current);
      } catch {
        throw this.#fail(`redirect ${exchanged.status} to an invalid Location "${location.slice(0, 200)}"`, 'redirect', currentMethod, current);
      }
      // the credentials go with every request: following a redirect off the origin would hand them to a stranger
      if (next.origin !== current.origin) {
        throw this.#fail(`redirect ${exchanged.status} to another origin (${next.origin}) not followed`, 'redirect', currentMethod, current);
      }
      if (exchanged.status === 303 || ((exchanged.status === 301 || exchanged.status === 302) && currentMethod === 'POST')) {
        currentMethod = 'GET';
        currentBody = undefined;
        const { 'content-type': _dropped, ...rest } = currentHeaders;
        currentHeaders = rest;
      }
      visited.push(next.href);
      current = next;
    }
  }

  async #authorization(deadline: Deadline): Promise<Record<string, string>> {
    const auth = this.#endpoint.auth;
    if (!auth || auth.kind === 'none') return {};
    if (auth.kind === 'bearer') return { authorization: `Bearer ${auth.token}` };
    return { authorization: `Bearer ${await this.#accessToken(auth, deadline)}` };
  }

  #accessToken(auth: OAuth2, deadline: Deadline): Promise<string> {
    if (this.#token && this.#now() < this.#token.renewAt) return Promise.resolve(this.#token.value);
    // parallel requests share one token request
    this.#pendingToken ??= this.#fetchToken(auth, deadline).finally(() => {
      this.#pendingToken = undefined;
    });
    return this.#pendingToken;
  }

  async #fetchToken(auth: OAuth2, deadline: Deadline): Promise<string> {
    let tokenUrl: URL;
    try {
      tokenUrl = new URL(auth.tokenUrl);
    } catch {
      throw new AasHttpError(`the OAuth2 token URL "${redactUrl(auth.tokenUrl)}" is not a valid URL`, 'config', undefined);
    }
    // RFC 6749 §2.3.1: id and secret are form-encoded before they go into HTTP Basic
    const basic = Buffer.from(`${encodeURIComponent(auth.clientId)}:${encodeURIComponent(auth.clientSecret)}`).toString('base64');
    const form = new URLSearchParams({ grant_type: 'client_credentials', ...(auth.scope ? { scope: auth.scope } : {}) });
    const headers = { accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${basic}` };
    const exchanged = await this.#exchange('POST', tokenUrl, headers, Buffer.from(form.toString()), deadline, 'OAuth2 token request');
    const json = parseJson(exchanged.body);
    const value = json.kind === 'ok' && typeof json.value === 'object' && json.value !== null ? (json.value as Record<string, unknown>) : {};
    if (exchanged.status !== 200 || typeof value['access_token'] !== 'string' || value['access_token'] === '') {
      const why = typeof value['error'] === 'string' ? ` (${this.#redact(value['error'].slice(0, 100))})` : '';
      const what = exchanged.status === 200 ? 'answered 200 without an access_token' : `answered ${exchanged.status}${why}`;
      throw this.#fail(`the OAuth2 token endpoint ${what}`, 'token', 'POST', tokenUrl);
    }
    const token = value['access_token'];
    this.#learnSecret(token);
    const expiresIn = Number(value['expires_in']);
    const lifetimeMs = Number.isFinite(expiresIn) && expiresIn > 0 ? expiresIn * 1000 : Number.POSITIVE_INFINITY;
    // a short-lived token is renewed halfway, a long-lived one a fixed margin before its end
    const renewAt = this.#now() + lifetimeMs - Math.min(TOKEN_RENEW_MARGIN_MS, lifetimeMs / 2);
    this.#token = { value: token, renewAt };
    return token;
  }

  #learnSecret(value: string): void {
    this.#secrets.add(value);
    this.#redact = createRedactor(this.#secrets);
    this.#har?.addSecret(value);
  }

  /** One request and its response, the body read up to the cap; recorded in the HAR whatever happens. */
  async #exchange(method: string, url: URL, headers: Record<string, string>, body: Buffer | undefined, deadline: Deadline, comment?: string): Promise<Exchanged> {
    const startedAt = new Date();
    const started = performance.now();
    let waitMs = 0;
    let response: { status: number; headers: Record<string, string | readonly string[]> } | undefined;
    const chunks: Buffer[] = [];
    let kept = 0;
    let seen = 0;
    const record = (error?: string) =>
      this.#har?.record({
        startedAt,
        method,
        url: url.href,
        requestHeaders: headers,
        ...(body ? { requestBody: body } : {}),
        ...(response ? { response: { ...response, body: Buffer.concat(chunks), bodySize: seen } } : {}),
        ...(error ? { error } : {}),
        waitMs: Math.round(waitMs),
        receiveMs: response ? Math.round(performance.now() - started - waitMs) : 0,
        ...(comment ? { comment } : {}),
      });
    try {
      const remaining = Math.max(1, deadline.endsAt - Date.now());
      if (deadline.signal.aborted) throw deadline.signal.reason;
      const res = await this.#agent.request({
        origin: url.origin,
        path: `${url.pathname}${url.search}`,
        method,
        headers,
        ...(body ? { body } : {}),
        signal: deadline.signal,
        // undici's own timers are only a backstop: the deadline's signal ends the exchange and names the phase
        headersTimeout: remaining + UNDICI_BACKSTOP_MS,
        bodyTimeout: remaining + UNDICI_BACKSTOP_MS,
      });
      waitMs = performance.now() - started;
      response = { status: res.statusCode, headers: responseHeaders(res.headers) };
      for await (const chunk of res.body as AsyncIterable<Buffer>) {
        seen += chunk.byteLength;
        if (seen > this.#maxBodyBytes) {
          chunks.push(chunk.subarray(0, this.#maxBodyBytes - kept));
          kept = this.#maxBodyBytes;
          // leaving the loop destroys the body stream, and undici the socket with it: the rest is never read
          break;
        }
        chunks.push(chunk);
        kept += chunk.byteLength;
      }
      if (seen > this.#maxBodyBytes) {
        throw this.#fail(`the response body exceeded the cap of ${this.#maxBodyBytes} bytes and was cut off`, 'body-too-large', method, url);
      }
      record();
      return { ...response, body: Buffer.concat(chunks), durationMs: performance.now() - started };
    } catch (error) {
      const failure = error instanceof AasHttpError ? error : this.#wrap(error, method, url, deadline, response ? seen : undefined);
      record(failure.message);
      throw failure;
    }
  }

  /**
   * The plain reason, with the deadline or the check's abort named rather than undici's words for them.
   * `bodyBytes` is set when the headers had arrived: a server that never answers and one that stalls its body
   * are different findings.
   */
  #wrap(error: unknown, method: string, url: URL, deadline: Deadline, bodyBytes: number | undefined): AasHttpError {
    if (deadline.timeout.aborted) {
      const reason =
        bodyBytes === undefined
          ? `no response within ${deadline.ms} ms`
          : `the response body was not complete within ${deadline.ms} ms (${bodyBytes} bytes received)`;
      return this.#fail(reason, 'timeout', method, url, error);
    }
    if (deadline.caller?.aborted) return this.#fail('aborted by the check', 'aborted', method, url, error);
    const { kind, reason } = classifyHttpError(error, deadline.ms);
    return this.#fail(reason, kind, method, url, error);
  }

  #fail(reason: string, kind: AasHttpError['kind'], method: string, url: URL, cause?: unknown): AasHttpError {
    const safeUrl = this.#redact(redactUrl(url.href));
    return new AasHttpError(this.#redact(withPlace(reason, { method, url: safeUrl })), kind, safeUrl, cause === undefined ? undefined : { cause });
  }
}

function requestBody(body: AasBody | undefined): { bytes: Buffer; contentType: string } | undefined {
  if (!body) return undefined;
  if ('json' in body) return { bytes: Buffer.from(JSON.stringify(body.json) ?? 'null', 'utf8'), contentType: 'application/json' };
  return { bytes: Buffer.from(body.bytes), contentType: body.contentType ?? 'application/octet-stream' };
}

function parseJson(body: Buffer): JsonResult {
  if (body.byteLength === 0) return { kind: 'problem', reason: 'the body is empty' };
  try {
    return { kind: 'ok', value: JSON.parse(body.toString('utf8')) as unknown };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { kind: 'problem', reason: `the body is not JSON: ${message.split('\n')[0]?.slice(0, 200) ?? ''}` };
  }
}

function responseHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string | readonly string[]> {
  const out: Record<string, string | readonly string[]> = {};
  for (const [name, value] of Object.entries(headers)) if (value !== undefined) out[name.toLowerCase()] = value;
  return out;
}

function lowerCaseKeys(headers: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
}
