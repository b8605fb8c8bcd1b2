/**
 * The serialization modifiers of a submodel and its elements (AAS Part 2): the content ($value, $metadata,
 * $reference, $path), level (core, deep) and extent (withoutBlobValue, withBlobValue), and the combinations
 * that are forbidden. They are read on the pre-load set's rich submodel - directly in a submodel repository,
 * through its shell's superpath in an AAS repository - and compared with the normal, deep form. ValueOnly and
 * metadata are judged against that form rather than by a schema: a schema cannot tell which values belong.
 */
import { check } from '../../harness/engine/check.js';
import type { CheckContext } from '../../harness/engine/check-context.js';
import { encodeIdentifier, validatePart2 } from '../../harness/protocols/aas/index.js';
import { childrenOf, elementAt, pathsOf, valueOnlyProblems } from './lib/elements.js';
import { idPath, idShortPathSegment, isObject, jsonOf, seen, withApi, type AasApi } from './lib/http.js';
import { ensureHeld, shorten } from './lib/resources.js';
import { sample } from './lib/sample.js';
import { serviceOf } from './lib/service.js';

interface Rich {
  readonly api: AasApi;
  /** the submodel's path: `/submodels/{id}` or `/shells/{id}/submodels/{id}` */
  readonly base: string;
  /** its normal, deep form */
  readonly normal: Record<string, unknown>;
  element(path: string, suffix?: string): string;
}

async function withRich(ctx: CheckContext, requirements: readonly string[], body: (rich: Rich) => Promise<void>): Promise<void> {
  const service = serviceOf(ctx);
  const { shellId, submodelId } = sample().rich;
  const inShell = service.kind === 'aas-repository';
  const base = inShell ? idPath('/shells', shellId, 'submodels', encodeIdentifier(submodelId)) : idPath('/submodels', submodelId);
  await withApi(ctx, async (api) => {
    const held = await ensureHeld(ctx, api, service, [inShell ? shellId : submodelId], requirements);
    try {
      const answer = await api.get(base);
      const normal = jsonOf(answer);
      if (answer.status >= 500) for (const id of requirements) ctx.fail(id, `GET ${base} (the normal form the modifiers are compared with) answered ${seen(answer)}`);
      if (answer.status !== 200 || !isObject(normal)) ctx.notExecuted(`GET ${base} answered ${seen(answer)}; the modifier checks need the submodel ${shorten(submodelId)} of the pre-load set${inShell ? ` under the shell ${shorten(shellId)}` : ''}`, requirements);
      const element = (path: string, suffix = '') => `${base}/submodel-elements/${idShortPathSegment(path)}${suffix}`;
      await body({ api, base, normal: normal as Record<string, unknown>, element });
    } finally {
      await held.cleanup();
    }
  });
}

/**
 * The submodel's ValueOnly form with these modifiers, or undefined when the answer is not one: whether $value
 * works at all is AAS-MOD-001's to judge, so level and extent are judged only on a ValueOnly answer.
 */
async function valueOnly(api: AasApi, base: string, query: Readonly<Record<string, string>>): Promise<Record<string, unknown> | undefined> {
  const answer = await api.get(`${base}/$value`, { query });
  const body = jsonOf(answer);
  return answer.status === 200 && isObject(body) && !('modelType' in body) && !('submodelElements' in body) ? body : undefined;
}

/** The nested collection of the rich submodel (one with a collection inside), and a leaf below it. */
function nested(normal: unknown): { collection: string; leaf: string } | undefined {
  const all = pathsOf(normal);
  const collection = all.find((p) => p.element['modelType'] === 'SubmodelElementCollection' && childrenOf(p.element).some((c) => c['modelType'] === 'SubmodelElementCollection'));
  const leaf = collection && all.find((p) => p.path.startsWith(`${collection.path}.`) && p.element['modelType'] === 'Property' && p.path.split('.').length > 2);
  return collection && leaf ? { collection: collection.path, leaf: leaf.path } : undefined;
}

check(
  {
    id: 'aas.modifiers.value',
    title: '$value answers the ValueOnly form with the values of the normal form',
    requirements: ['AAS-MOD-001'],
  },
  async (ctx) => {
    await withRich(ctx, ['AAS-MOD-001'], async ({ api, base, normal }) => {
      const answer = await api.get(`${base}/$value`);
      const value = jsonOf(answer);
      if (answer.status !== 200) return ctx.fail('AAS-MOD-001', `GET ${base}/$value answered ${seen(answer)}; expected 200 with the ValueOnly form`);
      if (!isObject(value) || 'modelType' in value || 'submodelElements' in value) {
        return ctx.fail('AAS-MOD-001', `GET ${base}/$value answered ${JSON.stringify(value)?.slice(0, 160)}; expected the ValueOnly form, an object of the elements' values by idShort (not the normal form)`);
      }
      const problems = childrenOf(normal).flatMap((element) => {
        const key = String(element['idShort']);
        return key in value ? valueOnlyProblems(element, value[key], `$value.${key}`) : [`$value lacks ${key}`];
      });
      ctx.verify('AAS-MOD-001', problems.map((p) => `GET ${base}/$value: ${p}`));
    });
  },
);

check(
  {
    id: 'aas.modifiers.metadata',
    title: '$metadata answers the submodel and its elements without values and without children',
    requirements: ['AAS-MOD-002'],
  },
  async (ctx) => {
    await withRich(ctx, ['AAS-MOD-002'], async ({ api, base, normal, element }) => {
      const problems: string[] = [];
      const probes = [{ path: `${base}/$metadata`, banned: ['submodelElements'] }];
      const tree = nested(normal);
      if (tree) probes.push({ path: element(tree.collection, '/$metadata'), banned: ['value'] }, { path: element(tree.leaf, '/$metadata'), banned: ['value', 'valueId'] });
      for (const probe of probes) {
        const answer = await api.get(probe.path);
        const body = jsonOf(answer);
        if (answer.status !== 200 || !isObject(body)) problems.push(`GET ${probe.path} answered ${seen(answer)}; expected 200 with the metadata`);
        else for (const field of probe.banned.filter((f) => f in body)) problems.push(`GET ${probe.path} answered ${field} (${JSON.stringify(body[field]).slice(0, 80)}); $metadata leaves out values and children`);
      }
      ctx.verify('AAS-MOD-002', problems);
    });
  },
);

check(
  {
    id: 'aas.modifiers.reference',
    title: '$reference answers a ModelReference from the submodel to the element asked for',
    requirements: ['AAS-MOD-003'],
  },
  async (ctx) => {
    const { submodelId } = sample().rich;
    await withRich(ctx, ['AAS-MOD-003'], async ({ api, base, normal, element }) => {
      const problems: string[] = [];
      const tree = nested(normal);
      const probes: { path: string; last: string }[] = [{ path: `${base}/$reference`, last: submodelId }];
      if (tree) probes.push({ path: element(tree.leaf, '/$reference'), last: tree.leaf.split('.').at(-1)! });
      for (const probe of probes) {
        const answer = await api.get(probe.path);
        const body = jsonOf(answer);
        const keys = isObject(body) && Array.isArray(body['keys']) ? body['keys'].filter(isObject) : [];
        if (answer.status !== 200 || !isObject(body)) problems.push(`GET ${probe.path} answered ${seen(answer)}; expected 200 with a Reference`);
        else if (body['type'] !== 'ModelReference') problems.push(`GET ${probe.path} answered a reference of type ${JSON.stringify(body['type'])}; expected ModelReference`);
        else if (keys[0]?.['type'] !== 'Submodel' || keys[0]?.['value'] !== submodelId) problems.push(`GET ${probe.path}: the first key is ${JSON.stringify(keys[0])}; expected {"type": "Submodel", "value": ${JSON.stringify(shorten(submodelId))}}`);
        else if (keys.at(-1)?.['value'] !== probe.last) problems.push(`GET ${probe.path}: the last key is ${JSON.stringify(keys.at(-1))}; expected the element asked for, ${JSON.stringify(shorten(probe.last))}`);
      }
      ctx.verify('AAS-MOD-003', problems);
    });
  },
);

check(
  {
    id: 'aas.modifiers.path',
    title: '$path answers the idShortPaths of the elements, each of which resolves',
    requirements: ['AAS-MOD-004'],
  },
  async (ctx) => {
    await withRich(ctx, ['AAS-MOD-004'], async ({ api, base, normal, element }) => {
      const answer = await api.get(`${base}/$path`);
      const listed = jsonOf(answer);
      const invalid = answer.status === 200 ? validatePart2('PathList', listed) : [];
      if (answer.status !== 200 || invalid.length || !Array.isArray(listed)) {
        return ctx.fail('AAS-MOD-004', `GET ${base}/$path answered ${seen(answer)}${invalid.length ? ` (${invalid.slice(0, 2).join('; ')})` : ''}; expected 200 with an array of idShortPaths`);
      }
      const problems: string[] = [];
      // list items ([i]) may be listed or not; every named element must be
      const named = pathsOf(normal).map((p) => p.path).filter((p) => !p.includes('['));
      const missing = named.filter((p) => !listed.includes(p));
      if (missing.length) problems.push(`GET ${base}/$path lacks ${missing.slice(0, 5).join(', ')}${missing.length > 5 ? ', …' : ''}`);
      for (const path of (listed as string[]).slice(0, 50)) {
        const resolved = await api.get(element(path));
        if (resolved.status !== 200) problems.push(`$path lists ${path}, but GET ${element(path)} answered ${seen(resolved)}`);
      }
      ctx.verify('AAS-MOD-004', problems);
    });
  },
);

check(
  {
    id: 'aas.modifiers.level',
    title: 'level=core answers the direct children only; level=deep the whole tree',
    requirements: ['AAS-MOD-005'],
  },
  async (ctx) => {
    await withRich(ctx, ['AAS-MOD-005'], async ({ api, base, normal }) => {
      const tree = nested(normal);
      if (!tree) return ctx.notExecuted(`the submodel at ${base} has no nested collection to tell core from deep`);
      const problems: string[] = [];
      const core = await api.get(base, { query: { level: 'core' } });
      const coreBody = jsonOf(core);
      if (core.status !== 200 || !isObject(coreBody)) problems.push(`GET ${base}?level=core answered ${seen(core)}; expected 200`);
      else {
        const collection = childrenOf(coreBody).find((c) => c['idShort'] === tree.collection);
        if (!collection) problems.push(`GET ${base}?level=core lacks the direct child ${tree.collection}`);
        else if (childrenOf(collection).length > 0) problems.push(`GET ${base}?level=core answered ${tree.collection} with its ${childrenOf(collection).length} children; core answers direct children only, a collection without its own`);
      }
      const deep = await api.get(base, { query: { level: 'deep' } });
      const deepBody = jsonOf(deep);
      if (deep.status !== 200 || !isObject(deepBody)) problems.push(`GET ${base}?level=deep answered ${seen(deep)}; expected 200`);
      else if (!elementAt(deepBody, tree.leaf)) problems.push(`GET ${base}?level=deep lacks ${tree.leaf}; deep answers the whole tree`);
      // the same in the ValueOnly form: a nested collection's value is empty under core ({}), whole under deep
      const coreValue = await valueOnly(api, base, { level: 'core' });
      const nestedValue = coreValue && isObject(coreValue[tree.collection]) ? coreValue[tree.collection] : undefined;
      if (coreValue && (!isObject(nestedValue) || Object.keys(nestedValue).length > 0)) problems.push(`GET ${base}/$value?level=core answered ${tree.collection} as ${JSON.stringify(coreValue[tree.collection])?.slice(0, 120)}; core answers a nested collection's value empty ({})`);
      ctx.verify('AAS-MOD-005', problems);
    });
  },
);

check(
  {
    id: 'aas.modifiers.extent',
    title: 'A Blob\'s value is left out by default and included with extent=withBlobValue',
    requirements: ['AAS-MOD-006'],
  },
  async (ctx) => {
    await withRich(ctx, ['AAS-MOD-006'], async ({ api, base, element }) => {
      const withBlob = await api.get(base, { query: { extent: 'withBlobValue' } });
      const blob = pathsOf(jsonOf(withBlob)).find((p) => p.element['modelType'] === 'Blob');
      if (withBlob.status !== 200) return ctx.fail('AAS-MOD-006', `GET ${base}?extent=withBlobValue answered ${seen(withBlob)}; expected 200`);
      if (!blob) return ctx.notExecuted(`the submodel at ${base} has no Blob`);
      const problems: string[] = [];
      if (typeof blob.element['value'] !== 'string' || blob.element['value'] === '') problems.push(`GET ${base}?extent=withBlobValue answered the Blob ${blob.path} without its value; withBlobValue includes it`);
      // the ValueOnly form too: the Blob's value only with withBlobValue
      const top = blob.path.split('.')[0]!;
      for (const [query, wanted] of [[{}, false], [{ extent: 'withBlobValue' }, true]] as const) {
        const value = await valueOnly(api, base, query);
        const blobValue = value && isObject(value[top]) ? value[top]['value'] : undefined;
        const has = typeof blobValue === 'string' && blobValue !== '';
        if (value && !blob.path.includes('.') && has !== wanted) problems.push(`GET ${base}/$value${'extent' in query ? '?extent=withBlobValue' : ''} answered the Blob ${blob.path} ${has ? 'with' : 'without'} its value; expected it ${wanted ? 'with' : 'without'}`);
      }
      for (const path of [base, element(blob.path)]) {
        const answer = await api.get(path);
        const body = jsonOf(answer);
        const found = path === base ? elementAt(body, blob.path) : isObject(body) ? body : undefined;
        if (answer.status !== 200 || !found) problems.push(`GET ${path} answered ${seen(answer)}; expected 200 with the Blob ${blob.path}`);
        else if (typeof found['value'] === 'string' && found['value'] !== '') problems.push(`GET ${path} (default extent, withoutBlobValue) answered the Blob ${blob.path} with its value; the default leaves it out`);
      }
      ctx.verify('AAS-MOD-006', problems);
    });
  },
);

check(
  {
    id: 'aas.modifiers.forbidden',
    title: 'Forbidden modifier combinations are refused with 400',
    requirements: ['AAS-MOD-007'],
  },
  async (ctx) => {
    await withRich(ctx, ['AAS-MOD-007'], async ({ api, base }) => {
      const problems: string[] = [];
      for (const [suffix, query, why] of [
        ['/$metadata', { level: 'core' }, '$metadata takes no level'],
        ['/$metadata', { level: 'deep' }, '$metadata takes no level'],
        ['/$metadata', { extent: 'withBlobValue' }, '$metadata has no values to extend'],
        ['/$reference', { level: 'deep' }, '$reference is not deep'],
      ] as const) {
        const answer = await api.get(`${base}${suffix}`, { query });
        if (answer.status !== 400) problems.push(`GET ${base}${suffix}?${Object.entries(query).map(([k, v]) => `${k}=${v}`).join('&')} answered ${seen(answer)}; expected 400 (${why})`);
      }
      ctx.verify('AAS-MOD-007', problems);
    });
  },
);

check(
  {
    id: 'aas.modifiers.idshort-path',
    title: 'A submodel element is reached by its idShortPath, nested and with list indices',
    requirements: ['AAS-MOD-008'],
  },
  async (ctx) => {
    await withRich(ctx, ['AAS-MOD-008'], async ({ api, normal, element }) => {
      const all = pathsOf(normal);
      const probes = [nested(normal)?.leaf, all.find((p) => p.path.includes('['))?.path].filter((p): p is string => p !== undefined);
      if (probes.length === 0) return ctx.notExecuted('the rich submodel has no nested element or list item');
      const problems: string[] = [];
      for (const path of probes) {
        const expected = all.find((p) => p.path === path)!.element;
        const answer = await api.get(element(path));
        const body = jsonOf(answer);
        if (answer.status !== 200 || !isObject(body)) problems.push(`GET ${element(path)} answered ${seen(answer)}; expected 200 with the element ${path}`);
        else if (body['modelType'] !== expected['modelType'] || body['value'] !== expected['value'] || body['idShort'] !== expected['idShort']) {
          problems.push(`GET ${element(path)} answered ${JSON.stringify(body).slice(0, 160)}; expected the element ${path} (${JSON.stringify({ modelType: expected['modelType'], idShort: expected['idShort'], value: expected['value'] })})`);
        }
      }
      ctx.verify('AAS-MOD-008', problems);
    });
  },
);
