/**
 * Pagination (AAS Part 2): every list is a PagedResult, and following the cursor yields the whole list once.
 * aas-test-engines never sends the cursor back; here the chain is walked twice - once in pages of the
 * specification's size (the whole list), once in pages of a third of it - and the two are compared.
 */
import { randomUUID } from 'node:crypto';
import { check } from '../../harness/engine/check.js';
import { seen, withApi } from './lib/http.js';
import { duplicates, walk, type Walk } from './lib/paging.js';
import { collectionOf, shorten, withHeld, type Collection } from './lib/resources.js';
import { serviceOf } from './lib/service.js';

function shapeProblems(label: string, w: Walk, limit: number): string[] {
  return w.pages.flatMap((page) => page.shapeProblems.map((p) => `${label}?limit=${limit}, page ${page.number}: ${p}`));
}

check(
  {
    id: 'aas.pagination.walk',
    title: 'Every page is a PagedResult, and the cursor chain yields every item once with no cursor on the last page',
    requirements: ['AAS-PAG-001', 'AAS-PAG-002'],
  },
  async (ctx) => {
    await withHeld(ctx, ['AAS-PAG-001', 'AAS-PAG-002'], async (api, service) => {
      const collection = collectionOf(service);
      const maxPages = ctx.parameter('maxPages');
      const whole = await walk(api, collection, { limit: ctx.parameter('walkPageLimit'), maxPages });
      const pagingProblems = shapeProblems(collection.label, whole, ctx.parameter('walkPageLimit'));
      const problems: string[] = [];
      if (whole.broken) problems.push(whole.broken);
      problems.push(...chainProblems(collection, whole, ctx.parameter('walkPageLimit')));
      const all = new Set(whole.keys);
      const absent = collection.expected.filter((id) => !all.has(id));
      if (absent.length) problems.push(`${collection.label} in pages of ${ctx.parameter('walkPageLimit')} never listed ${absent.map((id) => JSON.stringify(shorten(id))).join(', ')}, which the server holds`);

      // the same list in pages of a third of it: at least three pages, whatever its size
      const limit = Math.max(1, Math.floor(all.size / 3));
      if (!whole.broken && all.size >= 2) {
        const paged = await walk(api, collection, { limit, maxPages });
        pagingProblems.push(...shapeProblems(collection.label, paged, limit));
        if (paged.broken) problems.push(paged.broken);
        problems.push(...chainProblems(collection, paged, limit));
        const inPages = new Set(paged.keys);
        const gaps = [...all].filter((key) => !inPages.has(key));
        const extra = [...inPages].filter((key) => !all.has(key));
        if (gaps.length) problems.push(`walking ${collection.label} in pages of ${limit} missed ${gaps.length} of ${all.size} ${collection.noun}s (${gaps.slice(0, 3).map((k) => JSON.stringify(shorten(k))).join(', ')}${gaps.length > 3 ? ', …' : ''})`);
        if (extra.length) problems.push(`walking ${collection.label} in pages of ${limit} listed ${extra.length} ${collection.noun}(s) the whole list does not have (${extra.slice(0, 3).map((k) => JSON.stringify(shorten(k))).join(', ')})`);
      }
      ctx.verify('AAS-PAG-001', pagingProblems);
      ctx.verify('AAS-PAG-002', problems);
    });
  },
);

/** Duplicates within one walk, and a cursor on the last page (one that leads only to an empty page). */
function chainProblems(collection: Collection, w: Walk, limit: number): string[] {
  const problems: string[] = [];
  const twice = duplicates(w.keys);
  if (twice.length) problems.push(`walking ${collection.label} in pages of ${limit} listed ${twice.slice(0, 3).map((k) => JSON.stringify(shorten(k))).join(', ')}${twice.length > 3 ? ` and ${twice.length - 3} more` : ''} more than once`);
  const last = w.pages.at(-1);
  const before = w.pages.at(-2);
  if (!w.broken && last && before && last.items.length === 0 && before.cursor !== undefined) {
    problems.push(`page ${before.number} of ${collection.label}?limit=${limit} carried a cursor although no items followed (page ${last.number} was empty); expected no cursor on the last page`);
  }
  return problems;
}

check(
  {
    id: 'aas.pagination.limit-one',
    title: 'limit=1 answers one item and a cursor to the next',
    requirements: ['AAS-PAG-003'],
  },
  async (ctx) => {
    await withHeld(ctx, ['AAS-PAG-003'], async (api, service) => {
      const collection = collectionOf(service);
      // one page only: whether the chain goes on is the walk check's business
      const first = (await walk(api, collection, { limit: 1, maxPages: 1 })).pages[0]!;
      if (first.response.status !== 200) return ctx.fail('AAS-PAG-003', `${collection.label}?limit=1 answered ${seen(first.response)}; expected 200 with one ${collection.noun}`);
      const problems: string[] = [];
      if (first.items.length !== 1) problems.push(`${collection.label}?limit=1 answered ${first.items.length} ${collection.noun}s; expected exactly one (the server holds ${collection.expected.length} or more)`);
      if (first.cursor === undefined) problems.push(`${collection.label}?limit=1 answered no cursor; expected one, since more ${collection.noun}s follow`);
      ctx.verify('AAS-PAG-003', problems);
    });
  },
);

check(
  {
    id: 'aas.pagination.limit-invalid',
    title: 'A limit below 1 or that is not an integer is refused with 400',
    requirements: ['AAS-PAG-004'],
  },
  async (ctx) => {
    const collection = collectionOf(serviceOf(ctx));
    await withApi(ctx, async (api) => {
      const problems: string[] = [];
      for (const limit of ['0', '-1', 'abc', '1.5']) {
        const answer = await collection.list(api, { limit });
        if (answer.status !== 400) problems.push(`${collection.label}?limit=${limit} answered ${seen(answer)}; expected 400`);
      }
      ctx.verify('AAS-PAG-004', problems);
    });
  },
);

check(
  {
    id: 'aas.pagination.cursor-invalid',
    title: 'An empty cursor, or one the server never issued, is refused with 400',
    requirements: ['AAS-PAG-005'],
  },
  async (ctx) => {
    const collection = collectionOf(serviceOf(ctx));
    await withApi(ctx, async (api) => {
      const problems: string[] = [];
      for (const [cursor, what] of [
        ['', 'an empty cursor (Constraint AASa-001)'],
        [`oi4c-never-issued-${randomUUID()}`, 'a cursor the server never issued'],
      ] as const) {
        const answer = await collection.list(api, { cursor });
        if (answer.status !== 400) problems.push(`${collection.label}?cursor=${cursor.slice(0, 40)} (${what}) answered ${seen(answer)}; expected 400`);
      }
      ctx.verify('AAS-PAG-005', problems);
    });
  },
);
