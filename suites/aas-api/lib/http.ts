/**
 * The HTTP side of a check: one client per check, bound to the check's evidence (HAR) and deadline, and the
 * small words checks use to describe an answer in a failure message.
 */
import type { CheckContext } from '../../../harness/engine/check-context.js';
import { clientFor, encodeIdentifier, type AasHttpClient, type AasRequestOptions, type AasResponse } from '../../../harness/protocols/aas/index.js';

/** What a check body gets: the requests it makes land in its evidence and end with its deadline. */
export interface AasApi {
  request(method: string, path: string, options?: AasRequestOptions): Promise<AasResponse>;
  get(path: string, options?: AasRequestOptions): Promise<AasResponse>;
  /** the absolute URL of a path, for messages */
  url(path: string): string;
  /** the base URL as configured (credentials removed) */
  readonly baseUrl: string;
}

export async function withApi<T>(ctx: CheckContext, body: (api: AasApi) => Promise<T>): Promise<T> {
  if (ctx.target.kind !== 'aas') throw new Error(`check ${ctx.checkId} needs an AAS target, not ${ctx.target.kind}`);
  return withClient(ctx, clientFor(ctx.target, ctx.httpLog, ctx.parameters), body);
}

/**
 * A URL the server pointed to (a descriptor's endpoint). On the target's own origin it is asked with the
 * target's credentials; anywhere else without any, so no credential leaves for a host the lab did not name.
 */
export async function withUrl<T>(ctx: CheckContext, href: string, body: (api: AasApi) => Promise<T>): Promise<T> {
  if (ctx.target.kind !== 'aas') throw new Error(`check ${ctx.checkId} needs an AAS target, not ${ctx.target.kind}`);
  const own = new URL(ctx.target.aas.baseUrl).origin === new URL(href).origin;
  const aas = own ? { ...ctx.target.aas, baseUrl: href } : { baseUrl: href, ...(ctx.target.aas.tls && { tls: ctx.target.aas.tls }) };
  return withClient(ctx, clientFor({ ...ctx.target, aas }, ctx.httpLog, ctx.parameters), body);
}

async function withClient<T>(ctx: CheckContext, client: AasHttpClient, body: (api: AasApi) => Promise<T>): Promise<T> {
  const api: AasApi = {
    request: (method, path, options = {}) => client.request(method, path, { signal: ctx.signal, ...options }),
    get: (path, options = {}) => client.request('GET', path, { signal: ctx.signal, ...options }),
    url: (path) => client.url(path).href,
    baseUrl: client.baseUrl,
  };
  try {
    return await body(api);
  } finally {
    await client.close();
  }
}

/** `/shells/<base64url id>`: an identifiable's path as Part 2 writes it (no padding). */
export function idPath(collection: string, id: string, ...rest: string[]): string {
  return [collection, encodeIdentifier(id), ...rest].join('/');
}

/** An idShortPath as a path segment: URL-encoded, dots kept (`Temperatures%5B1%5D`). */
export function idShortPathSegment(path: string): string {
  return encodeURIComponent(path);
}

/** The parsed JSON body, or undefined when there is none or it does not parse. */
export function jsonOf(response: AasResponse): unknown {
  return response.json.kind === 'ok' ? response.json.value : undefined;
}

export function contentTypeOf(response: AasResponse): string {
  const value = response.headers['content-type'];
  return (Array.isArray(value) ? value[0] : value) ?? '';
}

/** Why a body that claims or is expected to be JSON is not, in the client's words; undefined when it parses. */
export function notJson(response: AasResponse): string | undefined {
  return response.json.kind === 'problem' ? response.json.reason : undefined;
}

/**
 * One line about an answer for a failure message: its status, the start of its body, and - when the body says it
 * is JSON and is not - why it does not parse, so a parse failure is never judged as a missing field.
 */
export function seen(response: AasResponse): string {
  const type = contentTypeOf(response).split(';')[0] || 'no content type';
  const text = response.text.replace(/\s+/g, ' ').trim();
  const body = text.length === 0 ? 'empty body' : `${type}: ${text.length > 160 ? `${text.slice(0, 160)}…` : text}`;
  const parse = type.includes('json') && text.length > 0 ? notJson(response) : undefined;
  return `status ${response.status} (${body}${parse ? `; ${parse}` : ''})`;
}

/** The request as a failure message names it: method and path with query, relative to the base URL. */
export function shown(method: string, path: string): string {
  return `${method} ${path}`;
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
