/**
 * The resources of each service as the checks meet them: the list a profile pages through, how an item is
 * named, where one item lives, and what of the pre-load set the service holds - or, under a full profile,
 * what the suite seeds through the API and removes again.
 */
import type { CheckContext } from '../../../harness/engine/check-context.js';
import { encodeIdentifier, type AasResponse } from '../../../harness/protocols/aas/index.js';
import { idPath, isObject, jsonOf, seen, withApi, type AasApi } from './http.js';
import { walk } from './paging.js';
import { linksOf, sample, SAMPLE_FILE, type AssetLink, type SampleShell, type SampleSubmodel } from './sample.js';
import { serviceOf, type Service } from './service.js';

export interface PageQuery {
  readonly limit?: number | string;
  readonly cursor?: string;
}

/** One list of a service: the items the pagination and filter checks read. */
export interface Collection {
  /** how messages name it: `GET /shells`, `POST /lookup/shellsByAssetLink` */
  readonly label: string;
  /** what one item is called in messages */
  readonly noun: string;
  list(api: AasApi, page: PageQuery, filter?: Readonly<Record<string, string | readonly string[]>>): Promise<AasResponse>;
  /** the name of an item: its id (identifiables, descriptors) or the item itself (discovery's shell ids) */
  keyOf(item: unknown): string | undefined;
  /** the identifiers of the pre-load set this list holds */
  readonly expected: readonly string[];
}

/** The by-id resource of a service (discovery's asset links are reached by shell id too). */
export interface Resource {
  readonly noun: string;
  /** `/shells` */
  readonly collection: string;
  path(id: string): string;
  /** the pre-load set's identifiers this service holds */
  readonly expected: readonly string[];
}

export function assetIdsParameter(links: readonly AssetLink[]): string[] {
  return links.map((link) => encodeIdentifier(JSON.stringify({ name: link.name, value: link.value })));
}

export function collectionOf(service: Service): Collection {
  const s = sample();
  const byId = (path: string, noun: string, expected: readonly string[]): Collection => ({
    label: `GET ${path}`,
    noun,
    list: (api, page, filter) => api.get(path, { query: { ...filter, ...pageParameters(page) } }),
    keyOf: (item) => (isObject(item) && typeof item['id'] === 'string' ? item['id'] : undefined),
    expected,
  });
  switch (service.kind) {
    case 'aas-repository':
      return byId('/shells', 'shell', s.shells.map((x) => x.id));
    case 'submodel-repository':
      return byId('/submodels', 'submodel', s.submodels.map((x) => x.id));
    case 'aas-registry':
      return byId('/shell-descriptors', 'shell descriptor', s.shells.map((x) => x.id));
    case 'submodel-registry':
      return byId('/submodel-descriptors', 'submodel descriptor', s.submodels.map((x) => x.id));
    case 'discovery': {
      const expected = s.shells.map((x) => x.id);
      const keyOf = (item: unknown) => (typeof item === 'string' ? item : undefined);
      // the 3.1 read profile has only the search; the full profiles keep the GET (deprecated in 3.1)
      if (service.version === '3.1' && !service.full) {
        return {
          label: 'POST /lookup/shellsByAssetLink',
          noun: 'shell id',
          // a filter here is a set of asset links in the body: `assetIds` as GET takes them (base64url JSON)
          list: (api, page, filter) => api.request('POST', '/lookup/shellsByAssetLink', { query: pageParameters(page), body: { json: filter?.['assetIds'] !== undefined ? decodeLinks(filter['assetIds']) : [s.sharedLink] } }),
          keyOf,
          expected,
        };
      }
      return {
        label: 'GET /lookup/shells',
        noun: 'shell id',
        list: (api, page, filter) => api.get('/lookup/shells', { query: { assetIds: assetIdsParameter([s.sharedLink]), ...filter, ...pageParameters(page) } }),
        keyOf,
        expected,
      };
    }
  }
}

function decodeLinks(encoded: string | readonly string[]): unknown[] {
  return (typeof encoded === 'string' ? [encoded] : encoded).map((e) => JSON.parse(Buffer.from(e, 'base64url').toString('utf8')) as unknown);
}

function pageParameters(page: PageQuery): Record<string, string | number> {
  return { ...(page.limit !== undefined && { limit: page.limit }), ...(page.cursor !== undefined && { cursor: page.cursor }) };
}

export function resourceOf(service: Service): Resource {
  const s = sample();
  const make = (collection: string, noun: string, expected: readonly string[]): Resource => ({ noun, collection, path: (id) => idPath(collection, id), expected });
  switch (service.kind) {
    case 'aas-repository':
      return make('/shells', 'shell', s.shells.map((x) => x.id));
    case 'submodel-repository':
      return make('/submodels', 'submodel', s.submodels.map((x) => x.id));
    case 'aas-registry':
      return make('/shell-descriptors', 'shell descriptor', s.shells.map((x) => x.id));
    case 'submodel-registry':
      return make('/submodel-descriptors', 'submodel descriptor', s.submodels.map((x) => x.id));
    case 'discovery':
      return make('/lookup/shells', 'set of asset links', s.shells.map((x) => x.id));
  }
}

/** A descriptor for a shell of the set, its endpoints under the server's own base URL. */
export function shellDescriptorOf(shell: SampleShell, api: AasApi): Record<string, unknown> {
  const s = sample();
  const submodels = shell.submodelIds.map((id) => s.submodels.find((m) => m.id === id)).filter((m): m is SampleSubmodel => m !== undefined);
  return {
    id: shell.id,
    idShort: shell.idShort,
    assetKind: 'Instance',
    globalAssetId: shell.globalAssetId,
    specificAssetIds: shell.specificAssetIds.map((l) => ({ name: l.name, value: l.value })),
    endpoints: [endpoint('AAS-3.0', api.url(idPath('/shells', shell.id)))],
    submodelDescriptors: submodels.map((m) => submodelDescriptorOf(m, api)),
  };
}

export function submodelDescriptorOf(submodel: SampleSubmodel, api: AasApi): Record<string, unknown> {
  return {
    id: submodel.id,
    idShort: submodel.idShort,
    ...(submodel.semanticId !== undefined && { semanticId: { type: 'ExternalReference', keys: [{ type: 'GlobalReference', value: submodel.semanticId }] } }),
    endpoints: [endpoint('SUBMODEL-3.0', api.url(idPath('/submodels', submodel.id)))],
  };
}

function endpoint(iface: string, href: string): Record<string, unknown> {
  return { interface: iface, protocolInformation: { href, endpointProtocol: 'HTTP', endpointProtocolVersion: ['1.1'] } };
}

/** What one check found held, and how to undo what it seeded. */
export interface Held {
  /** the identifiers the server holds now, seeded or not */
  readonly ids: readonly string[];
  /** the identifiers the suite seeded (and cleanup removes) */
  readonly seeded: readonly string[];
  cleanup(): Promise<void>;
}

/**
 * Makes sure the service holds these identifiers of the pre-load set. A read-only profile cannot seed: what is
 * missing ends the check NOT_EXECUTED, naming exactly the identifiers it expected and where they come from.
 * A full profile seeds what is missing through the API; the check calls cleanup when it ends.
 */
export async function ensureHeld(ctx: CheckContext, api: AasApi, service: Service, ids: readonly string[], requirements?: readonly string[]): Promise<Held> {
  const resource = resourceOf(service);
  let missing: string[] = [];
  for (const id of ids) if (!(await holds(api, resource, id))) missing.push(id);
  if (missing.length) {
    // what the list shows is held, even when reading it by its identifier fails: that is for the identifier checks to judge
    const listed = await walk(api, collectionOf(service), { limit: ctx.parameter('walkPageLimit'), maxPages: ctx.parameter('maxPages') });
    missing = missing.filter((id) => !listed.keys.includes(id));
  }
  const seeded: string[] = [];
  const cleanup = async () => {
    for (const id of seeded.reverse()) await api.request('DELETE', resource.path(id)).catch(() => undefined);
  };
  if (missing.length === 0) return { ids, seeded, cleanup };
  if (!service.full) {
    ctx.notExecuted(
      `the server holds no ${resource.noun} ${missing.map((id) => JSON.stringify(shorten(id))).join(', ')}; this check needs them from the pre-load set ${SAMPLE_FILE} (or fixtures/samples/aas/sample.aasx) loaded into the server first`,
      requirements,
    );
  }
  for (const id of missing) {
    const answer = await seed(api, service, id);
    if (answer.status !== 201 && answer.status !== 200) {
      await cleanup();
      ctx.notExecuted(`seeding ${resource.noun} ${JSON.stringify(shorten(id))} of the pre-load set failed: POST answered ${seen(answer)}`, requirements);
    }
    seeded.push(id);
  }
  return { ids, seeded, cleanup };
}

/**
 * Runs a check body with the pre-load set's identifiers held (by default all the service's list should hold),
 * seeding them under a full profile; what was seeded is removed when the body ends, however it ends.
 */
export async function withHeld(ctx: CheckContext, requirements: readonly string[], body: (api: AasApi, service: Service, held: Held) => Promise<void>, ids?: readonly string[]): Promise<void> {
  const service = serviceOf(ctx);
  await withApi(ctx, async (api) => {
    const held = await ensureHeld(ctx, api, service, ids ?? collectionOf(service).expected, requirements);
    try {
      await body(api, service, held);
    } finally {
      await held.cleanup();
    }
  });
}

async function holds(api: AasApi, resource: Resource, id: string): Promise<boolean> {
  const answer = await api.get(resource.path(id));
  if (answer.status !== 200) return false;
  // discovery answers a shell without links as an empty list rather than 404
  const body = jsonOf(answer);
  return !Array.isArray(body) || body.length > 0;
}

function seed(api: AasApi, service: Service, id: string): Promise<AasResponse> {
  const s = sample();
  const shell = s.shells.find((x) => x.id === id);
  const submodel = s.submodels.find((x) => x.id === id);
  switch (service.kind) {
    case 'aas-repository':
      return api.request('POST', '/shells', { body: { json: shell!.json } });
    case 'submodel-repository':
      return api.request('POST', '/submodels', { body: { json: submodel!.json } });
    case 'aas-registry':
      return api.request('POST', '/shell-descriptors', { body: { json: shellDescriptorOf(shell!, api) } });
    case 'submodel-registry':
      return api.request('POST', '/submodel-descriptors', { body: { json: submodelDescriptorOf(submodel!, api) } });
    case 'discovery':
      return api.request('POST', idPath('/lookup/shells', id), { body: { json: linksOf(shell!) } });
  }
}

/** Long identifiers shortened for messages (the 1200-character IRI of the set). */
export function shorten(id: string): string {
  return id.length > 100 ? `${id.slice(0, 60)}…(${id.length} characters)` : id;
}
