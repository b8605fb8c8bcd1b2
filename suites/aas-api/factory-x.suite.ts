/**
 * Factory-X ADR-008 (AAS profile of a data provider's digital twin registry): registry and discovery from one
 * base URL, every submodel descriptor with a semanticId, and its endpoint leading to a valid Submodel.
 */
import { check } from '../../harness/engine/check.js';
import { verifySubmodel } from '../../harness/protocols/aas/index.js';
import { embeddedSubmodelDescriptors, endpointsOf, idOf, readDescriptors } from './lib/descriptors.js';
import { contentTypeOf, idPath, isObject, jsonOf, seen, withApi, withUrl } from './lib/http.js';
import { pagedResultProblems } from './lib/paging.js';
import { assetIdsParameter, ensureHeld, shorten } from './lib/resources.js';
import { sample } from './lib/sample.js';
import { serviceOf } from './lib/service.js';

const GROUP = 'factory-x';

check(
  {
    id: 'fx.adr008.common-base',
    title: 'The registry and discovery are served from one base URL',
    requirements: ['FX-ADR008-001'],
    group: GROUP,
  },
  async (ctx) => {
    await withApi(ctx, async (api) => {
      const s = sample();
      const problems: string[] = [];
      for (const [label, path, query] of [
        ['the registry', '/shell-descriptors', { limit: 1 }],
        ['discovery', '/lookup/shells', { assetIds: assetIdsParameter([s.sharedLink]), limit: 1 }],
      ] as const) {
        const answer = await api.get(path, { query });
        const shape = answer.status === 200 ? pagedResultProblems(answer) : [];
        if (answer.status !== 200 || shape.length) problems.push(`${label}: GET ${api.baseUrl}${path} answered ${seen(answer)}${shape.length ? ` (${shape[0]})` : ''}; expected 200 with a PagedResult under the same base URL`);
      }
      const links = await api.get(idPath('/lookup/shells', s.rich.shellId));
      if (links.status !== 200 && links.status !== 404) problems.push(`discovery: GET ${api.baseUrl}/lookup/shells/{id} answered ${seen(links)}; expected it served under the same base URL`);
      ctx.verify('FX-ADR008-001', problems);
    });
  },
);

check(
  {
    id: 'fx.adr008.semantic-ids',
    title: 'Every SubmodelDescriptor embedded in a shell descriptor carries a semanticId',
    requirements: ['FX-ADR008-002'],
    group: GROUP,
  },
  async (ctx) => {
    const service = serviceOf(ctx);
    await withApi(ctx, async (api) => {
      const held = await ensureHeld(ctx, api, service, sample().shells.map((s) => s.id), ['FX-ADR008-002']);
      try {
        const read = await readDescriptors(ctx, api, service);
        const problems: string[] = read.broken ? [read.broken] : [];
        for (const { where, descriptor } of read.descriptors) {
          embeddedSubmodelDescriptors(descriptor).forEach((sm, i) => {
            const semantic = isObject(sm) ? sm['semanticId'] : undefined;
            const keys = isObject(semantic) && Array.isArray(semantic['keys']) ? semantic['keys'] : [];
            if (keys.length === 0) problems.push(`${where} (${shorten(idOf(descriptor))}) submodelDescriptors[${i}] (${shorten(idOf(sm))}) has no semanticId`);
          });
        }
        ctx.verify('FX-ADR008-002', problems.slice(0, 10));
      } finally {
        await held.cleanup();
      }
    });
  },
);

check(
  {
    id: 'fx.adr008.endpoints-resolve',
    title: 'Every SubmodelDescriptor endpoint leads to a valid Submodel with the descriptor\'s identifier',
    requirements: ['FX-ADR008-003'],
    group: GROUP,
  },
  async (ctx) => {
    const service = serviceOf(ctx);
    const read = await withApi(ctx, async (api) => {
      const held = await ensureHeld(ctx, api, service, sample().shells.map((s) => s.id), ['FX-ADR008-003']);
      // what the suite seeded points to where it guessed, not to where the provider serves: only real data counts
      if (held.seeded.length) {
        await held.cleanup();
        ctx.notExecuted('the registry held none of the pre-load set, and endpoints the suite seeded prove nothing about the provider');
      }
      return readDescriptors(ctx, api, service);
    });
    const problems: string[] = read.broken ? [read.broken] : [];
    const endpoints = read.descriptors.flatMap(({ descriptor }) =>
      embeddedSubmodelDescriptors(descriptor).flatMap((sm) =>
        endpointsOf(sm)
          .filter((e) => isObject(e) && typeof e['interface'] === 'string' && e['interface'].startsWith('SUBMODEL'))
          .map((e) => ({ id: idOf(sm), href: String(isObject(e) && isObject(e['protocolInformation']) ? e['protocolInformation']['href'] : '') })),
      ),
    );
    if (endpoints.length === 0 && !read.broken) ctx.notExecuted('no shell descriptor embeds a submodel descriptor with a SUBMODEL endpoint');
    for (const { id, href } of endpoints.slice(0, 50)) {
      let valid: URL | undefined;
      try {
        valid = new URL(href);
      } catch {
        problems.push(`the endpoint of submodel descriptor ${JSON.stringify(shorten(id))} has href ${JSON.stringify(href.slice(0, 100))}, which cannot be followed`);
      }
      if (!valid) continue;
      const answer = await withUrl(ctx, href, (api) => api.get(''));
      const body = jsonOf(answer);
      const where = `GET ${href.slice(0, 120)} (submodel descriptor ${shorten(id)})`;
      if (answer.status !== 200) problems.push(`${where} answered ${seen(answer)}; expected 200 with the Submodel`);
      else if (!contentTypeOf(answer).startsWith('application/json')) problems.push(`${where} answered content type ${JSON.stringify(contentTypeOf(answer))}; expected application/json`);
      else if (!isObject(body)) problems.push(`${where} answered ${seen(answer)}; expected the Submodel as a JSON object`);
      else if (body['id'] !== id) problems.push(`${where} answered a Submodel with id ${typeof body['id'] === 'string' ? JSON.stringify(shorten(body['id'])) : 'missing'}; expected ${JSON.stringify(shorten(id))}`);
      else {
        const invalid = verifySubmodel(body, { apiVersion: service.version });
        if (invalid.length) problems.push(`${where} answered a Submodel that is not valid per Part 1: ${invalid.slice(0, 2).join('; ')}`);
      }
    }
    ctx.verify('FX-ADR008-003', problems.slice(0, 10));
  },
);
