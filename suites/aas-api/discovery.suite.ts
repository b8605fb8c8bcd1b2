/**
 * Discovery (AAS Part 2): from an asset identifier to the shells that describe the asset, and back from a
 * shell to its asset identifiers. "Exactly" is judged from both sides: every shell the pre-load set links is
 * found, and every shell answered does carry the link (asked of the server itself, so a vendor's own data
 * does not make a false FAIL).
 */
import { randomUUID } from 'node:crypto';
import { check } from '../../harness/engine/check.js';
import { idPath, isObject, jsonOf, seen, withApi, type AasApi } from './lib/http.js';
import { walk } from './lib/paging.js';
import { assetIdsParameter, collectionOf, shorten, withHeld } from './lib/resources.js';
import { linksOf, sample, type AssetLink } from './lib/sample.js';
import { serviceOf } from './lib/service.js';

async function linksHeld(api: AasApi, shellId: string): Promise<AssetLink[] | string> {
  const path = idPath('/lookup/shells', shellId);
  const answer = await api.get(path);
  const body = jsonOf(answer);
  if (answer.status !== 200 || !Array.isArray(body)) return `GET ${path.slice(0, 100)} answered ${seen(answer)}`;
  return body.filter(isObject).map((l) => ({ name: String(l['name']), value: String(l['value']) }));
}

const has = (links: readonly AssetLink[], link: AssetLink) => links.some((l) => l.name === link.name && l.value === link.value);

/** Judges the shells a lookup answered for one link: the expected ones are there, and each answered carries it. */
async function judgeLookup(api: AasApi, label: string, link: AssetLink, answered: readonly string[]): Promise<string[]> {
  const problems: string[] = [];
  const expected = sample().shells.filter((s) => has(linksOf(s), link)).map((s) => s.id);
  const missing = expected.filter((id) => !answered.includes(id));
  if (missing.length) problems.push(`${label} for ${link.name}=${link.value} left out ${missing.map((id) => JSON.stringify(shorten(id))).join(', ')}, which is linked to it`);
  for (const id of answered.filter((id) => !expected.includes(id)).slice(0, 5)) {
    const links = await linksHeld(api, id);
    if (typeof links === 'string' || !has(links, link)) problems.push(`${label} for ${link.name}=${link.value} answered ${JSON.stringify(shorten(id))}, which is not linked to it (${typeof links === 'string' ? links : `its links: ${links.map((l) => `${l.name}=${l.value}`).join(', ')}`})`);
  }
  return problems;
}

/** Two probes: a specific asset id of one shell, and another shell's globalAssetId. */
function probeLinks(): AssetLink[] {
  const s = sample();
  const third = s.shells[2]!;
  return [third.specificAssetIds.find((l) => l.name !== s.sharedLink.name) ?? third.specificAssetIds[0]!, { name: 'globalAssetId', value: s.shells[3]!.globalAssetId }];
}

check(
  {
    id: 'aas.discovery.lookup',
    title: 'GET /lookup/shells with assetIds answers exactly the shells linked to that asset identifier',
    requirements: ['AAS-DSC-001'],
  },
  async (ctx) => {
    await withHeld(ctx, ['AAS-DSC-001'], async (api) => {
      const problems: string[] = [];
      const lookup = collectionOf({ ...serviceOf(ctx), full: true, version: '3.0' });
      for (const link of probeLinks()) {
        const w = await walk(api, lookup, { limit: ctx.parameter('walkPageLimit'), maxPages: ctx.parameter('maxPages'), filter: { assetIds: assetIdsParameter([link]) } });
        if (w.broken) problems.push(w.broken);
        else problems.push(...(await judgeLookup(api, 'GET /lookup/shells', link, w.keys)));
      }
      ctx.verify('AAS-DSC-001', problems);
    });
  },
);

check(
  {
    id: 'aas.discovery.search',
    title: 'POST /lookup/shellsByAssetLink answers exactly the shells linked to the asset identifiers in the body',
    requirements: ['AAS-DSC-003'],
  },
  async (ctx) => {
    await withHeld(ctx, ['AAS-DSC-003'], async (api) => {
      const problems: string[] = [];
      const search = collectionOf({ ...serviceOf(ctx), full: false, version: '3.1' });
      for (const link of probeLinks()) {
        const w = await walk(api, search, { limit: ctx.parameter('walkPageLimit'), maxPages: ctx.parameter('maxPages'), filter: { assetIds: assetIdsParameter([link]) } });
        if (w.broken) problems.push(w.broken);
        else problems.push(...(await judgeLookup(api, 'POST /lookup/shellsByAssetLink', link, w.keys)));
      }
      ctx.verify('AAS-DSC-003', problems);
    });
  },
);

check(
  {
    id: 'aas.discovery.asset-links',
    title: 'GET /lookup/shells/{aasIdentifier} answers the asset identifiers linked to the shell',
    requirements: ['AAS-DSC-002'],
  },
  async (ctx) => {
    await withHeld(ctx, ['AAS-DSC-002'], async (api) => {
      const problems: string[] = [];
      for (const shell of sample().shells.slice(0, 3)) {
        const links = await linksHeld(api, shell.id);
        if (typeof links === 'string') {
          problems.push(`${links}; expected 200 with the shell's asset links`);
          continue;
        }
        const missing = linksOf(shell).filter((l) => !has(links, l));
        if (missing.length) problems.push(`GET /lookup/shells/{${shorten(shell.id)}} lacks ${missing.map((l) => `${l.name}=${l.value}`).join(', ')} (answered ${links.length} link(s))`);
      }
      ctx.verify('AAS-DSC-002', problems);
    });
  },
);

check(
  {
    id: 'aas.discovery.links-write',
    title: 'Asset links are stored with POST (201), answered by GET, and removed with DELETE (204)',
    requirements: ['AAS-DSC-004'],
  },
  async (ctx) => {
    await withApi(ctx, async (api) => {
      const shellId = `https://example.com/ids/oi4c-write/${randomUUID()}`;
      const path = idPath('/lookup/shells', shellId);
      const links: AssetLink[] = [{ name: 'serialNumber', value: `OI4C-WRITE-${randomUUID().slice(0, 8)}` }];
      try {
        const problems: string[] = [];
        const created = await api.request('POST', path, { body: { json: links } });
        if (created.status !== 201) problems.push(`POST ${path.slice(0, 100)} answered ${seen(created)}; expected 201`);
        const stored = await linksHeld(api, shellId);
        if (typeof stored === 'string' || !has(stored, links[0]!)) problems.push(`after the POST, ${typeof stored === 'string' ? stored : `GET ${path.slice(0, 100)} answered ${JSON.stringify(stored).slice(0, 120)}`}; expected the stored link ${links[0]!.name}=${links[0]!.value}`);
        const removed = await api.request('DELETE', path);
        if (removed.status !== 204 && removed.status !== 200) problems.push(`DELETE ${path.slice(0, 100)} answered ${seen(removed)}; expected 204`);
        const after = await api.get(path);
        const left = jsonOf(after);
        if (after.status !== 404 && !(after.status === 200 && Array.isArray(left) && left.length === 0)) problems.push(`GET ${path.slice(0, 100)} after the DELETE answered ${seen(after)}; expected 404 (or no links)`);
        ctx.verify('AAS-DSC-004', problems);
      } finally {
        await api.request('DELETE', path).catch(() => undefined);
      }
    });
  },
);
