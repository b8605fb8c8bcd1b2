import { redactUrl } from '../../evidence/index.js';
import { AasHttpError } from './errors.js';

export type QueryValue = string | number | boolean | undefined | readonly (string | number | boolean)[];
/** query parameters in the order given; undefined values are left out, arrays repeat the name */
export type QueryParams = Readonly<Record<string, QueryValue>>;

/** Parses a base URL, or says in plain words why it cannot be one. */
export function parseBaseUrl(baseUrl: string): URL {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new AasHttpError(`the base URL "${redactUrl(baseUrl)}" is not a valid URL`, 'config', undefined);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new AasHttpError(`the base URL "${redactUrl(baseUrl)}" must start with http:// or https://`, 'config', undefined);
  }
  if (url.hash) throw new AasHttpError(`the base URL "${redactUrl(baseUrl)}" must not have a #fragment`, 'config', undefined);
  return url;
}

/**
 * The base URL plus an API path (`/shells/{id}`): the base's path prefix is kept and exactly one slash joins
 * them. Only the seam is normalised - a check may probe a doubled slash inside the path on purpose. A query in
 * the base URL or the path is kept byte for byte; `query` is appended, percent-encoded.
 */
export function joinUrl(base: string | URL, path: string, query?: QueryParams): URL {
  const url = new URL(typeof base === 'string' ? parseBaseUrl(base).href : base.href);
  const mark = path.indexOf('?');
  const pathPart = mark >= 0 ? path.slice(0, mark) : path;
  const pathQuery = mark >= 0 ? path.slice(mark + 1) : '';
  const prefix = url.pathname.replace(/\/+$/, '');
  const rest = pathPart.replace(/^\/+/, '');
  url.pathname = rest ? `${prefix}/${rest}` : prefix || '/';
  // built by hand: URLSearchParams would re-serialise the base's own query (spaces to '+', and so on)
  const parts = [url.search.slice(1), pathQuery, encodeQuery(query)].filter((p) => p.length > 0);
  url.search = parts.length ? `?${parts.join('&')}` : '';
  return url;
}

export function encodeQuery(query: QueryParams | undefined): string {
  if (!query) return '';
  const out: string[] = [];
  for (const [name, value] of Object.entries(query)) {
    if (value === undefined) continue;
    const values = Array.isArray(value) ? (value as readonly (string | number | boolean)[]) : [value as string | number | boolean];
    for (const v of values) out.push(`${encodeURIComponent(name)}=${encodeURIComponent(String(v))}`);
  }
  return out.join('&');
}
