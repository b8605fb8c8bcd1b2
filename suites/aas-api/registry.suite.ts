/**
 * Registries (AAS Part 2): descriptors valid per the Part 2 schema, endpoints a client can follow, and a shell
 * descriptor's submodel descriptors reachable under it.
 */
import { check } from '../../harness/engine/check.js';
import { validatePart2 } from '../../harness/protocols/aas/index.js';
import { embeddedSubmodelDescriptors, endpointsOf, idOf, readDescriptors } from './lib/descriptors.js';
import { idPath, isObject, jsonOf, seen } from './lib/http.js';
import { walk } from './lib/paging.js';
import { collectionOf, shorten, withHeld } from './lib/resources.js';
import { sample } from './lib/sample.js';

check(
  {
    id: 'aas.registry.descriptors',
    title: 'Every descriptor answered is valid per the Part 2 schema',
    requirements: ['AAS-REG-001'],
  },
  async (ctx) => {
    await withHeld(ctx, ['AAS-REG-001'], async (api, service) => {
      const schema = service.kind === 'aas-registry' ? 'AssetAdministrationShellDescriptor' : 'SubmodelDescriptor';
      const read = await readDescriptors(ctx, api, service);
      const problems: string[] = read.broken ? [read.broken] : [];
      const resource = collectionOf(service);
      const byId = await Promise.all(resource.expected.slice(0, 20).map(async (id) => {
        const path = idPath(service.kind === 'aas-registry' ? '/shell-descriptors' : '/submodel-descriptors', id);
        const answer = await api.get(path);
        // found by its identifier or not is the identifier checks' business; what is answered must be valid
        return { where: `GET ${path.slice(0, 100)}`, descriptor: answer.status === 200 ? jsonOf(answer) : undefined };
      }));
      for (const { where, descriptor } of [...read.descriptors, ...byId.filter((b) => b.descriptor !== undefined)]) {
        const found = validatePart2(schema, descriptor);
        if (found.length) problems.push(`${where} (${shorten(idOf(descriptor))}) is not a valid ${schema}: ${found.slice(0, 3).join('; ')}`);
      }
      ctx.verify('AAS-REG-001', problems.slice(0, 10));
    });
  },
);

/** Why an endpoint cannot be followed, or undefined. */
function endpointProblem(endpoint: unknown): string | undefined {
  if (!isObject(endpoint)) return `is ${JSON.stringify(endpoint)}, not an object`;
  if (typeof endpoint['interface'] !== 'string' || endpoint['interface'] === '') return `has interface ${JSON.stringify(endpoint['interface'])}; expected a non-empty name such as AAS-3.0 or SUBMODEL-3.0`;
  const info = endpoint['protocolInformation'];
  const href = isObject(info) ? info['href'] : undefined;
  if (typeof href !== 'string') return `has no protocolInformation.href`;
  try {
    const url = new URL(href);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return `has href ${JSON.stringify(href)}; expected an http or https URL`;
  } catch {
    return `has href ${JSON.stringify(href.slice(0, 100))}, which is not an absolute URL`;
  }
  return undefined;
}

check(
  {
    id: 'aas.registry.endpoints',
    title: 'Every endpoint of a descriptor names its interface and an absolute http(s) href',
    requirements: ['AAS-REG-002'],
  },
  async (ctx) => {
    await withHeld(ctx, ['AAS-REG-002'], async (api, service) => {
      const read = await readDescriptors(ctx, api, service);
      const problems: string[] = read.broken ? [read.broken] : [];
      const all = read.descriptors.flatMap(({ where, descriptor }) => [
        { where: `${where} (${shorten(idOf(descriptor))})`, descriptor },
        ...embeddedSubmodelDescriptors(descriptor).map((sm, i) => ({ where: `${where} (${shorten(idOf(descriptor))}) submodelDescriptors[${i}] (${shorten(idOf(sm))})`, descriptor: sm })),
      ]);
      for (const { where, descriptor } of all) {
        const endpoints = endpointsOf(descriptor);
        if (endpoints.length === 0) problems.push(`${where} has no endpoints`);
        endpoints.forEach((endpoint, i) => {
          const problem = endpointProblem(endpoint);
          if (problem) problems.push(`${where} endpoints[${i}] ${problem}`);
        });
      }
      ctx.verify('AAS-REG-002', problems.slice(0, 10));
    });
  },
);

check(
  {
    id: 'aas.registry.superpath',
    title: 'A shell descriptor\'s submodel descriptors are listed under it and reached by their identifier there',
    requirements: ['AAS-REG-003'],
  },
  async (ctx) => {
    await withHeld(ctx, ['AAS-REG-003'], async (api) => {
      const problems: string[] = [];
      for (const shell of sample().shells.filter((s) => s.submodelIds.length > 0).slice(0, 3)) {
        const base = idPath('/shell-descriptors', shell.id);
        const own = await api.get(base);
        const embedded = embeddedSubmodelDescriptors(jsonOf(own)).map(idOf);
        const listed = await walk(api, { label: `GET ${base}/submodel-descriptors`, noun: 'submodel descriptor', list: (a, page) => a.get(`${base}/submodel-descriptors`, { query: { ...(page.limit !== undefined && { limit: page.limit }), ...(page.cursor !== undefined && { cursor: page.cursor }) } }), keyOf: idOf, expected: [] }, { limit: ctx.parameter('walkPageLimit'), maxPages: ctx.parameter('maxPages') });
        if (listed.broken) {
          problems.push(listed.broken);
          continue;
        }
        const missing = [...new Set([...embedded, ...shell.submodelIds])].filter((id) => !listed.keys.includes(id));
        if (missing.length) problems.push(`GET ${base.slice(0, 80)}/submodel-descriptors lacks ${missing.map((id) => JSON.stringify(shorten(id))).join(', ')}, which the shell descriptor has`);
        for (const id of shell.submodelIds) {
          const path = `${base}/${idPath('submodel-descriptors', id)}`;
          const answer = await api.get(path);
          const got = jsonOf(answer);
          if (answer.status !== 200 || idOf(got) !== id) problems.push(`GET ${path.slice(0, 120)} answered ${seen(answer)}; expected 200 with the submodel descriptor ${JSON.stringify(shorten(id))}`);
        }
      }
      ctx.verify('AAS-REG-003', problems);
    });
  },
);
