/**
 * Reading a list page by page (AAS Part 2 pagination): `{result: [...], paging_metadata: {cursor?}}`, the cursor
 * handed back until a page comes without one. The walk records everything it saw, so the checks can judge
 * the pages' shape, duplicates, gaps and the end of the chain separately.
 */
import { validatePart2, type AasResponse } from '../../../harness/protocols/aas/index.js';
import type { AasApi } from './http.js';
import { isObject, jsonOf, seen } from './http.js';
import type { Collection } from './resources.js';

export interface Page {
  readonly number: number;
  readonly response: AasResponse;
  /** the items, when the page is a PagedResult */
  readonly items: readonly unknown[];
  readonly cursor: string | undefined;
  /** what is wrong with the page's shape (PagedResult), one line each */
  readonly shapeProblems: readonly string[];
}

export interface Walk {
  readonly pages: readonly Page[];
  /** the keys of all items in the order seen, duplicates included */
  readonly keys: readonly string[];
  /** why the walk stopped early, when it did: an error status, an unreadable page, too many pages */
  readonly broken?: string;
}

/** The problems of one answer as a PagedResult (our Part 2 schema); an empty list when it is one. */
export function pagedResultProblems(response: AasResponse): string[] {
  const body = jsonOf(response);
  if (!isObject(body)) return [`the body is not a JSON object (${seen(response)})`];
  return [...validatePart2('PagedResult', body)];
}

function toPage(number: number, response: AasResponse): Page {
  const body = jsonOf(response);
  const items = isObject(body) && Array.isArray(body['result']) ? body['result'] : [];
  const meta = isObject(body) && isObject(body['paging_metadata']) ? body['paging_metadata'] : undefined;
  const cursor = typeof meta?.['cursor'] === 'string' && meta['cursor'] !== '' ? meta['cursor'] : undefined;
  return { number, response, items, cursor, shapeProblems: response.status === 200 ? pagedResultProblems(response) : [] };
}

/** Follows the cursor from the first page until a page has none, an answer is not 200, or maxPages is reached. */
export async function walk(api: AasApi, collection: Collection, options: { limit: number; maxPages: number; filter?: Readonly<Record<string, string | readonly string[]>> }): Promise<Walk> {
  const pages: Page[] = [];
  const keys: string[] = [];
  let cursor: string | undefined;
  const seenCursors = new Set<string>();
  for (let number = 1; ; number++) {
    const response = await collection.list(api, { limit: options.limit, ...(cursor !== undefined && { cursor }) }, options.filter);
    const page = toPage(number, response);
    pages.push(page);
    if (response.status !== 200) return { pages, keys, broken: `page ${number} of ${collection.label}?limit=${options.limit} answered ${seen(response)}` };
    for (const item of page.items) keys.push(collection.keyOf(item) ?? `(an item without id: ${JSON.stringify(item).slice(0, 80)})`);
    if (page.cursor === undefined) return { pages, keys };
    // a cursor handed out twice would loop for ever: the chain is broken there
    if (seenCursors.has(page.cursor)) return { pages, keys, broken: `page ${number} handed back cursor ${JSON.stringify(page.cursor)} a second time (a loop)` };
    seenCursors.add(page.cursor);
    if (number >= options.maxPages) return { pages, keys, broken: `the cursor chain did not end within ${options.maxPages} pages (parameter maxPages)` };
    cursor = page.cursor;
  }
}

/** Items listed more than once, each named once. */
export function duplicates(keys: readonly string[]): string[] {
  const seenKeys = new Set<string>();
  const twice = new Set<string>();
  for (const key of keys) (seenKeys.has(key) ? twice : seenKeys).add(key);
  return [...twice];
}
