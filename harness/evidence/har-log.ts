import { STATUS_CODES } from 'node:http';
import { CappedLog } from './capped-log.js';
import { createRedactor, redactUrl, type Redactor } from './redact.js';

/**
 * The HTTP evidence of one check as HAR 1.2 (`evidence/<check>.har`), which browsers' developer tools and
 * HAR viewers open as they are. Every exchange lands here, the token request too, so a lab sees exactly what
 * the server was asked and answered - minus credentials: named fields are replaced by "[redacted]", and the
 * run's secret values anywhere by the redactor's mark.
 */

export const HAR_REDACTED = '[redacted]';

/** One exchange as the client saw it; the recorder does the redaction and the capping. */
export interface HarExchange {
  readonly startedAt: Date;
  readonly method: string;
  readonly url: string;
  readonly requestHeaders: Readonly<Record<string, string>>;
  readonly requestBody?: Uint8Array;
  /** absent when no response headers arrived */
  readonly response?: {
    readonly status: number;
    readonly headers: Readonly<Record<string, string | readonly string[]>>;
    /** what was read of the body */
    readonly body: Uint8Array;
    /** bytes seen, which is more than body.length when the client's cap cut the body */
    readonly bodySize: number;
  };
  /** why the exchange did not complete */
  readonly error?: string;
  /** milliseconds until the response headers, and from then until the body's end */
  readonly waitMs: number;
  readonly receiveMs: number;
  /** why this exchange happened, when it is not the check's own request ("OAuth2 token request", "redirect 2") */
  readonly comment?: string;
}

export interface HarLimits {
  readonly maxEntries: number;
  /** a body is cut to this many bytes in the HAR, with a note */
  readonly maxBodyBytes: number;
}

export const DEFAULT_HAR_LIMITS: HarLimits = { maxEntries: 2000, maxBodyBytes: 256 * 1024 };

export interface HarNameValue {
  readonly name: string;
  readonly value: string;
}

export interface HarContent {
  readonly size: number;
  readonly mimeType: string;
  readonly text?: string;
  readonly encoding?: 'base64';
  readonly comment?: string;
}

export interface HarEntry {
  readonly startedDateTime: string;
  readonly time: number;
  readonly request: {
    readonly method: string;
    readonly url: string;
    readonly httpVersion: string;
    readonly cookies: readonly never[];
    readonly headers: readonly HarNameValue[];
    readonly queryString: readonly HarNameValue[];
    readonly postData?: { readonly mimeType: string; readonly text: string; readonly comment?: string };
    readonly headersSize: -1;
    readonly bodySize: number;
  };
  readonly response: {
    readonly status: number;
    readonly statusText: string;
    readonly httpVersion: string;
    readonly cookies: readonly never[];
    readonly headers: readonly HarNameValue[];
    readonly content: HarContent;
    readonly redirectURL: string;
    readonly headersSize: -1;
    readonly bodySize: number;
  };
  readonly cache: Record<string, never>;
  readonly timings: { readonly send: number; readonly wait: number; readonly receive: number };
  readonly comment?: string;
  /** HAR's place for fields of our own: why the exchange failed */
  readonly _error?: string;
}

/** headers whose whole value is a credential */
const SECRET_HEADERS = new Set(['authorization', 'proxy-authorization', 'cookie', 'set-cookie', 'x-api-key']);
/** JSON members holding tokens or secrets; the value may be cut off by a cap, hence the optional closing quote */
const SECRET_JSON_MEMBER = /("(?:access_token|refresh_token|id_token|client_secret)"\s*:\s*)"(?:[^"\\]|\\.)*("|$)/g;
/** the same in form bodies and query strings */
const SECRET_FORM_FIELD = /(^|&)(client_secret|client_assertion|password|access_token|refresh_token|id_token)=[^&]*/g;
const SECRET_QUERY_NAMES = new Set(['client_secret', 'client_assertion', 'password', 'access_token', 'refresh_token', 'id_token']);

const CREATOR = { name: 'oi4-conformance', version: '0.1.0' };

export class HarRecorder extends CappedLog<HarEntry> {
  readonly #limits: HarLimits;
  readonly #secrets: Set<string>;
  #redact: Redactor;

  constructor(options: { readonly secrets?: Iterable<string | undefined>; readonly limits?: HarLimits } = {}) {
    const limits = options.limits ?? DEFAULT_HAR_LIMITS;
    super(limits.maxEntries);
    this.#limits = limits;
    this.#secrets = new Set([...(options.secrets ?? [])].filter((s): s is string => typeof s === 'string'));
    this.#redact = createRedactor(this.#secrets);
  }

  /** A secret learnt during the run (an access token): redacted from every entry recorded from now on. */
  addSecret(value: string): void {
    if (this.#secrets.has(value)) return;
    this.#secrets.add(value);
    this.#redact = createRedactor(this.#secrets);
  }

  record(exchange: HarExchange): void {
    if (this.admit() === undefined) return;
    this.keep(this.#entry(exchange));
  }

  /** The JSON text of `evidence/<check>.har`. */
  toHar(): string {
    const comment = this.dropped > 0 ? `${this.dropped} further exchanges not recorded: entry cap of ${this.#limits.maxEntries} reached` : undefined;
    return JSON.stringify({ log: { version: '1.2', creator: CREATOR, entries: this.records, ...(comment ? { comment } : {}) } }, null, 2);
  }

  #entry(x: HarExchange): HarEntry {
    const url = this.#url(x.url);
    const requestType = headerValue(x.requestHeaders, 'content-type') ?? 'application/octet-stream';
    const requestContent = x.requestBody && x.requestBody.byteLength > 0 ? this.#content(x.requestBody, x.requestBody.byteLength, requestType) : undefined;
    const response = x.response;
    const responseType = response ? (headerValue(response.headers, 'content-type') ?? '') : '';
    const content: HarContent = response ? this.#content(response.body, response.bodySize, responseType) : { size: 0, mimeType: '' };
    const location = response ? headerValue(response.headers, 'location') : undefined;
    return {
      startedDateTime: x.startedAt.toISOString(),
      time: x.waitMs + x.receiveMs,
      request: {
        method: x.method,
        url,
        httpVersion: 'HTTP/1.1',
        cookies: [],
        headers: this.#headers(x.requestHeaders),
        queryString: [...new URL(url).searchParams].map(([name, value]) => ({ name, value })),
        ...(requestContent
          ? {
              postData: {
                mimeType: requestType,
                // HAR has no base64 for postData: binary uploads appear as a note
                text: requestContent.encoding ? `[${requestContent.size} bytes of binary data]` : (requestContent.text ?? ''),
                ...(requestContent.comment ? { comment: requestContent.comment } : {}),
              },
            }
          : {}),
        headersSize: -1,
        bodySize: x.requestBody?.byteLength ?? 0,
      },
      response: {
        status: response?.status ?? 0,
        statusText: response ? (STATUS_CODES[response.status] ?? '') : '',
        httpVersion: response ? 'HTTP/1.1' : '',
        cookies: [],
        headers: response ? this.#headers(response.headers) : [],
        content,
        redirectURL: location ? this.#redact(location) : '',
        headersSize: -1,
        bodySize: response?.bodySize ?? -1,
      },
      cache: {},
      timings: { send: 0, wait: x.waitMs, receive: x.receiveMs },
      ...(x.comment ? { comment: x.comment } : {}),
      ...(x.error ? { _error: this.#redact(x.error) } : {}),
    };
  }

  #url(raw: string): string {
    const url = new URL(redactUrl(raw));
    if ([...url.searchParams.keys()].some((k) => SECRET_QUERY_NAMES.has(k))) {
      url.search = url.search.slice(1).replace(SECRET_FORM_FIELD, (_m, sep: string, name: string) => `${sep}${name}=${encodeURIComponent(HAR_REDACTED)}`);
    }
    return this.#redact(url.href);
  }

  #headers(headers: Readonly<Record<string, string | readonly string[]>>): HarNameValue[] {
    const out: HarNameValue[] = [];
    for (const [name, value] of Object.entries(headers)) {
      for (const v of typeof value === 'string' ? [value] : value) {
        out.push({ name, value: SECRET_HEADERS.has(name.toLowerCase()) ? HAR_REDACTED : this.#redact(v) });
      }
    }
    return out;
  }

  /** Redacts first and cuts after, so that a secret straddling the cut cannot survive half-hidden. */
  #content(body: Uint8Array, size: number, mimeType: string): HarContent {
    const notes: string[] = [];
    if (size > body.byteLength) notes.push(`body cut off by the client after ${body.byteLength} of ${size}+ bytes`);
    const bytes = Buffer.from(this.#redact.bytes(body));
    const text = textOf(bytes, mimeType);
    const max = this.#limits.maxBodyBytes;
    if (text === undefined) {
      const kept = bytes.subarray(0, max);
      if (bytes.byteLength > max) notes.push(`body cut to ${max} of ${bytes.byteLength} bytes (HAR cap)`);
      return { size, mimeType, text: kept.toString('base64'), encoding: 'base64', ...(notes.length ? { comment: notes.join('; ') } : {}) };
    }
    let redacted = text.replace(SECRET_JSON_MEMBER, (_m, head: string) => `${head}"${HAR_REDACTED}"`);
    if (/x-www-form-urlencoded/i.test(mimeType)) redacted = redacted.replace(SECRET_FORM_FIELD, (_m, sep: string, name: string) => `${sep}${name}=${HAR_REDACTED}`);
    const encoded = Buffer.from(redacted, 'utf8');
    if (encoded.byteLength > max) {
      notes.push(`body cut to ${max} of ${encoded.byteLength} bytes (HAR cap)`);
      redacted = encoded.subarray(0, max).toString('utf8');
    }
    return { size, mimeType, text: redacted, ...(notes.length ? { comment: notes.join('; ') } : {}) };
  }
}

const TEXTUAL = /^(text\/|application\/([\w.+-]*\+)?(json|xml)|application\/x-www-form-urlencoded|application\/problem)/i;
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The body as text when its type says text and its bytes are UTF-8; undefined means base64. */
function textOf(bytes: Uint8Array, mimeType: string): string | undefined {
  if (bytes.byteLength === 0) return '';
  // an empty or missing type still gets a chance: a server that forgets Content-Type often sends JSON
  if (mimeType && !TEXTUAL.test(mimeType)) return undefined;
  try {
    return utf8.decode(bytes);
  } catch {
    return undefined;
  }
}

function headerValue(headers: Readonly<Record<string, string | readonly string[]>>, name: string): string | undefined {
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === name) return typeof value === 'string' ? value : value[0];
  }
  return undefined;
}
