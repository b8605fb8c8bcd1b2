/**
 * The write operations of the full profiles (SSP-001): create, read back, refuse a duplicate, update, delete,
 * and refuse a body that is not JSON. Every check creates its own object under a fresh identifier and removes it
 * at its end, whatever happened, so a server is left as it was found.
 */
import { randomUUID } from 'node:crypto';
import { check } from '../../harness/engine/check.js';
import type { CheckContext } from '../../harness/engine/check-context.js';
import { idPath, isObject, jsonOf, seen, withApi, type AasApi } from './lib/http.js';
import { resourceOf, type Resource } from './lib/resources.js';
import { serviceOf, type Service } from './lib/service.js';

interface Probe {
  readonly id: string;
  readonly resource: Resource;
  /** the object as first created, and the same with a changed idShort */
  readonly created: Record<string, unknown>;
  readonly changed: Record<string, unknown>;
}

/** A small, valid object of the service's kind, with an identifier nobody else uses. */
function probeFor(service: Service, api: AasApi): Probe {
  const id = `https://example.com/ids/oi4c-write/${randomUUID()}`;
  const resource = resourceOf(service);
  const endpoint = (iface: string, path: string) => ({ interface: iface, protocolInformation: { href: api.url(idPath(path, id)), endpointProtocol: 'HTTP', endpointProtocolVersion: ['1.1'] } });
  const bodies: Record<Exclude<Service['kind'], 'discovery'>, Record<string, unknown>> = {
    'aas-repository': { modelType: 'AssetAdministrationShell', id, idShort: 'OI4CWriteProbe', assetInformation: { assetKind: 'Instance', globalAssetId: `${id}/asset` } },
    'submodel-repository': { modelType: 'Submodel', id, idShort: 'OI4CWriteProbe', submodelElements: [{ modelType: 'Property', idShort: 'Probe', valueType: 'xs:string', value: 'one' }] },
    'aas-registry': { id, idShort: 'OI4CWriteProbe', assetKind: 'Instance', endpoints: [endpoint('AAS-3.0', '/shells')] },
    'submodel-registry': { id, idShort: 'OI4CWriteProbe', semanticId: { type: 'ExternalReference', keys: [{ type: 'GlobalReference', value: 'https://admin-shell.io/oi4c/WriteProbe/1/0' }] }, endpoints: [endpoint('SUBMODEL-3.0', '/submodels')] },
  };
  if (service.kind === 'discovery') throw new Error('discovery writes asset links, not identifiables (aas.discovery.links-write)');
  const created = bodies[service.kind];
  return { id, resource, created, changed: { ...created, idShort: 'OI4CWriteProbeChanged' } };
}

/** Runs the body with a probe; removes the probe at the end, whatever the body did. */
async function withProbe(ctx: CheckContext, body: (api: AasApi, probe: Probe) => Promise<void>): Promise<void> {
  await withApi(ctx, async (api) => {
    const probe = probeFor(serviceOf(ctx), api);
    try {
      await body(api, probe);
    } finally {
      await api.request('DELETE', probe.resource.path(probe.id)).catch(() => undefined);
    }
  });
}

/** POST the probe as a precondition of another rule: a server that cannot create leaves that rule undecided. */
async function create(ctx: CheckContext, api: AasApi, probe: Probe, requirement: string): Promise<void> {
  const answer = await api.request('POST', probe.resource.collection, { body: { json: probe.created } });
  if (answer.status !== 201 && answer.status !== 200) ctx.notExecuted(`creating a ${probe.resource.noun} (POST ${probe.resource.collection}) answered ${seen(answer)}; AAS-WR-001 judges that`, [requirement]);
}

async function idShortNow(api: AasApi, probe: Probe): Promise<{ status: number; idShort: unknown; seen: string }> {
  const answer = await api.get(probe.resource.path(probe.id));
  const body = jsonOf(answer);
  return { status: answer.status, idShort: isObject(body) ? body['idShort'] : undefined, seen: seen(answer) };
}

check(
  {
    id: 'aas.write.create',
    title: 'POST of a new object answers 201 with it, and a GET then answers it',
    requirements: ['AAS-WR-001'],
  },
  async (ctx) => {
    await withProbe(ctx, async (api, probe) => {
      const answer = await api.request('POST', probe.resource.collection, { body: { json: probe.created } });
      const body = jsonOf(answer);
      const problems: string[] = [];
      if (answer.status !== 201) problems.push(`POST ${probe.resource.collection} of a new ${probe.resource.noun} answered ${seen(answer)}; expected 201 Created`);
      else if (!isObject(body) || body['id'] !== probe.id) problems.push(`POST ${probe.resource.collection} answered ${seen(answer)}; expected the created ${probe.resource.noun} (id ${probe.id})`);
      const now = await idShortNow(api, probe);
      if (now.status !== 200 || now.idShort !== probe.created['idShort']) problems.push(`GET ${probe.resource.path(probe.id)} after the POST answered ${now.seen}; expected 200 with the ${probe.resource.noun} as created`);
      ctx.verify('AAS-WR-001', problems);
    });
  },
);

check(
  {
    id: 'aas.write.duplicate',
    title: 'POST of an existing identifier is refused with 409 and changes nothing',
    requirements: ['AAS-WR-002'],
  },
  async (ctx) => {
    await withProbe(ctx, async (api, probe) => {
      await create(ctx, api, probe, 'AAS-WR-002');
      const again = await api.request('POST', probe.resource.collection, { body: { json: probe.changed } });
      const problems: string[] = [];
      if (again.status !== 409) problems.push(`a second POST ${probe.resource.collection} with the same id answered ${seen(again)}; expected 409 Conflict`);
      const now = await idShortNow(api, probe);
      if (now.idShort !== probe.created['idShort']) problems.push(`after the refused second POST, GET answered idShort ${JSON.stringify(now.idShort)}; expected the stored ${probe.resource.noun} unchanged (${String(probe.created['idShort'])})`);
      ctx.verify('AAS-WR-002', problems);
    });
  },
);

check(
  {
    id: 'aas.write.update',
    title: 'PUT of an existing object answers 204, and a GET then answers the new content',
    requirements: ['AAS-WR-003'],
  },
  async (ctx) => {
    await withProbe(ctx, async (api, probe) => {
      await create(ctx, api, probe, 'AAS-WR-003');
      const path = probe.resource.path(probe.id);
      const answer = await api.request('PUT', path, { body: { json: probe.changed } });
      const problems: string[] = [];
      if (answer.status !== 204 && answer.status !== 200) problems.push(`PUT ${path} answered ${seen(answer)}; expected 204 No Content (or 200)`);
      const now = await idShortNow(api, probe);
      if (now.idShort !== probe.changed['idShort']) problems.push(`GET ${path} after the PUT answered idShort ${JSON.stringify(now.idShort)} (${now.seen.slice(0, 40)}); expected the new content (${String(probe.changed['idShort'])})`);
      ctx.verify('AAS-WR-003', problems);
    });
  },
);

check(
  {
    id: 'aas.write.delete',
    title: 'DELETE answers 204, and a GET then answers 404',
    requirements: ['AAS-WR-004'],
  },
  async (ctx) => {
    await withProbe(ctx, async (api, probe) => {
      await create(ctx, api, probe, 'AAS-WR-004');
      const path = probe.resource.path(probe.id);
      const answer = await api.request('DELETE', path);
      const problems: string[] = [];
      if (answer.status !== 204 && answer.status !== 200) problems.push(`DELETE ${path} answered ${seen(answer)}; expected 204 No Content (or 200)`);
      const now = await idShortNow(api, probe);
      if (now.status !== 404) problems.push(`GET ${path} after the DELETE answered ${now.seen}; expected 404`);
      ctx.verify('AAS-WR-004', problems);
    });
  },
);

check(
  {
    id: 'aas.write.malformed-body',
    title: 'A request body that is not JSON is refused with 400',
    requirements: ['AAS-WR-005'],
  },
  async (ctx) => {
    await withProbe(ctx, async (api, probe) => {
      const answer = await api.request('POST', probe.resource.collection, { body: { bytes: new TextEncoder().encode(`{"id": "${probe.id}", "idShort": `), contentType: 'application/json' } });
      ctx.verify('AAS-WR-005', answer.status === 400 ? [] : [`POST ${probe.resource.collection} with a body that is not JSON (cut off mid-object) answered ${seen(answer)}; expected 400`]);
    });
  },
);
