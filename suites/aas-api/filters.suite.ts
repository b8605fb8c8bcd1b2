/**
 * Filters of the lists (AAS Part 2): idShort, assetIds and semanticId narrow a list to exactly the matching
 * items - every answered item matches, and the pre-load set's matching items are all there. A filter that
 * matches nothing is an empty list, not an error (aas-test-engines issue 36).
 */
import { randomUUID } from 'node:crypto';
import { check } from '../../harness/engine/check.js';
import type { CheckContext } from '../../harness/engine/check-context.js';
import { encodeIdentifier } from '../../harness/protocols/aas/index.js';
import { isObject, seen, withApi, type AasApi } from './lib/http.js';
import { walk } from './lib/paging.js';
import { assetIdsParameter, collectionOf, shorten, withHeld, type Collection } from './lib/resources.js';
import { sample, type AssetLink } from './lib/sample.js';
import { serviceOf } from './lib/service.js';

type Filter = Readonly<Record<string, string | readonly string[]>>;

/**
 * Reads the filtered list whole and judges it: `matches` says why an item does not match (or undefined), and
 * `expected` are the pre-load items that must be in it.
 */
async function judgeFilter(ctx: CheckContext, api: AasApi, collection: Collection, filter: Filter, described: string, matches: (item: unknown) => string | undefined, expected: readonly string[]): Promise<string[]> {
  const w = await walk(api, collection, { limit: ctx.parameter('walkPageLimit'), maxPages: ctx.parameter('maxPages'), filter });
  if (w.broken) return [`${collection.label} filtered by ${described}: ${w.broken}`];
  const problems: string[] = [];
  for (const item of w.pages.flatMap((p) => p.items)) {
    const why = matches(item);
    if (why) problems.push(`${collection.label} filtered by ${described} answered ${JSON.stringify(shorten(collection.keyOf(item) ?? '?'))}, which ${why}`);
  }
  const listed = new Set(w.keys);
  const absent = expected.filter((id) => !listed.has(id));
  if (absent.length) problems.push(`${collection.label} filtered by ${described} left out ${absent.map((id) => JSON.stringify(shorten(id))).join(', ')}, which match`);
  return problems;
}

check(
  {
    id: 'aas.filters.idshort',
    title: 'The idShort filter answers exactly the items with that idShort',
    requirements: ['AAS-FLT-001'],
  },
  async (ctx) => {
    const service = serviceOf(ctx);
    const s = sample();
    const items = service.kind === 'aas-repository' ? s.shells : s.submodels;
    // an idShort two items of the set share, so "exactly" is more than "the first one"
    const idShort = items.find((a) => items.some((b) => b !== a && b.idShort === a.idShort))?.idShort ?? items[0]!.idShort;
    await withHeld(ctx, ['AAS-FLT-001'], async (api, service) => {
      const collection = collectionOf(service);
      const problems = await judgeFilter(ctx, api, collection, { idShort }, `idShort=${idShort}`, (item) => {
        const got = isObject(item) ? item['idShort'] : undefined;
        return got === idShort ? undefined : `has idShort ${JSON.stringify(got)}`;
      }, items.filter((i) => i.idShort === idShort).map((i) => i.id));
      ctx.verify('AAS-FLT-001', problems);
    });
  },
);

function hasLink(shell: unknown, link: AssetLink): boolean {
  const asset = isObject(shell) && isObject(shell['assetInformation']) ? shell['assetInformation'] : {};
  if (link.name === 'globalAssetId') return asset['globalAssetId'] === link.value;
  const ids = Array.isArray(asset['specificAssetIds']) ? asset['specificAssetIds'] : [];
  return ids.some((i) => isObject(i) && i['name'] === link.name && i['value'] === link.value);
}

check(
  {
    id: 'aas.filters.asset-ids',
    title: 'The assetIds filter answers exactly the shells linked to that asset identifier',
    requirements: ['AAS-FLT-002'],
  },
  async (ctx) => {
    const s = sample();
    const target = s.shells[2]!;
    const specific = target.specificAssetIds.find((l) => l.name !== s.sharedLink.name) ?? target.specificAssetIds[0]!;
    const probes: AssetLink[] = [specific, { name: 'globalAssetId', value: s.shells[3]!.globalAssetId }];
    await withHeld(ctx, ['AAS-FLT-002'], async (api, service) => {
      const collection = collectionOf(service);
      const problems: string[] = [];
      for (const link of probes) {
        const expected = s.shells.filter((shell) => hasLink(shell.json, link)).map((shell) => shell.id);
        problems.push(...(await judgeFilter(ctx, api, collection, { assetIds: assetIdsParameter([link]) }, `assetIds=${link.name}:${link.value}`, (item) => (hasLink(item, link) ? undefined : `is not linked to ${link.name} ${link.value}`), expected)));
      }
      ctx.verify('AAS-FLT-002', problems);
    });
  },
);

function semanticIdOf(item: unknown): unknown {
  const semantic = isObject(item) && isObject(item['semanticId']) ? item['semanticId'] : undefined;
  const keys = semantic && Array.isArray(semantic['keys']) ? semantic['keys'] : [];
  return isObject(keys[0]) ? keys[0]['value'] : undefined;
}

check(
  {
    id: 'aas.filters.semantic-id',
    title: 'The semanticId filter answers exactly the submodels with that semantic identifier',
    requirements: ['AAS-FLT-003'],
  },
  async (ctx) => {
    const s = sample();
    const semanticId = s.submodels.find((a) => s.submodels.some((b) => b !== a && b.semanticId === a.semanticId))?.semanticId ?? s.submodels[0]!.semanticId!;
    await withHeld(ctx, ['AAS-FLT-003'], async (api, service) => {
      const collection = collectionOf(service);
      const expected = s.submodels.filter((m) => m.semanticId === semanticId).map((m) => m.id);
      const problems = await judgeFilter(ctx, api, collection, { semanticId: encodeIdentifier(semanticId) }, `semanticId=${semanticId}`, (item) => {
        const got = semanticIdOf(item);
        return got === semanticId ? undefined : `has semanticId ${JSON.stringify(got)}`;
      }, expected);
      ctx.verify('AAS-FLT-003', problems);
    });
  },
);

check(
  {
    id: 'aas.filters.no-match',
    title: 'A filter that matches nothing is answered 200 with an empty list',
    requirements: ['AAS-FLT-004'],
  },
  async (ctx) => {
    const service = serviceOf(ctx);
    const collection = collectionOf(service);
    const filter: Filter =
      service.kind === 'discovery'
        ? { assetIds: assetIdsParameter([{ name: 'serialNumber', value: `oi4c-no-such-asset-${randomUUID()}` }]) }
        : { idShort: `OI4CNoSuchIdShort${randomUUID().slice(0, 8)}` };
    await withApi(ctx, async (api) => {
      const w = await walk(api, collection, { limit: ctx.parameter('walkPageLimit'), maxPages: 2, filter });
      const first = w.pages[0]!;
      const described = Object.entries(filter).map(([k, v]) => `${k}=${String(v)}`).join('&');
      if (first.response.status !== 200) return ctx.fail('AAS-FLT-004', `${collection.label} filtered by ${described} (matching nothing) answered ${seen(first.response)}; expected 200 with an empty result`);
      ctx.verify('AAS-FLT-004', first.items.length === 0 ? [] : [`${collection.label} filtered by ${described} (matching nothing) answered ${first.items.length} item(s); expected an empty result`]);
    });
  },
);
