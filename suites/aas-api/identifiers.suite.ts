/**
 * Identifiers in paths (AAS Part 2): base64url of the UTF-8 identifier, no padding. Padding is left open by the
 * specification, so a server may take it or refuse it with 400 - but a padded identifier must never find
 * another object or be "unknown". Non-ASCII identifiers and long IRIs must survive the encoding.
 */
import { randomUUID } from 'node:crypto';
import { check } from '../../harness/engine/check.js';
import { encodeIdentifierPadded } from '../../harness/protocols/aas/index.js';
import { isObject, jsonOf, notJson, seen, withApi, type AasApi } from './lib/http.js';
import { resourceOf, shorten, withHeld, type Resource } from './lib/resources.js';
import { isPlain, needsPadding } from './lib/sample.js';
import { serviceOf } from './lib/service.js';

/** GET one identifiable and say what is wrong with the answer, if anything. */
async function readBack(api: AasApi, resource: Resource, id: string, path = resource.path(id)): Promise<string | undefined> {
  const answer = await api.get(path);
  if (answer.status !== 200 || notJson(answer)) return `GET ${path.slice(0, 120)} (${resource.noun} ${JSON.stringify(shorten(id))}) answered ${seen(answer)}; expected 200 with it`;
  const body = jsonOf(answer);
  const got = isObject(body) ? body['id'] : undefined;
  if (got !== id) return `GET ${path.slice(0, 120)} answered a ${resource.noun} with id ${typeof got === 'string' ? JSON.stringify(shorten(got)) : 'missing'}; expected ${JSON.stringify(shorten(id))}`;
  return undefined;
}

check(
  {
    id: 'aas.identifiers.plain',
    title: 'An identifiable is reached by its identifier base64url-encoded without padding, and carries that identifier',
    requirements: ['AAS-ID-001'],
  },
  async (ctx) => {
    const resource = resourceOf(serviceOf(ctx));
    const ids = resource.expected.filter(isPlain).slice(0, 2);
    await withHeld(ctx, ['AAS-ID-001'], async (api) => {
      const problems: string[] = [];
      for (const id of ids) {
        const problem = await readBack(api, resource, id);
        if (problem) problems.push(problem);
      }
      ctx.verify('AAS-ID-001', problems);
    }, ids);
  },
);

check(
  {
    id: 'aas.identifiers.padded',
    title: 'A padded base64url identifier reaches the same object or is refused with 400, never another object or 404',
    requirements: ['AAS-ID-002'],
  },
  async (ctx) => {
    const resource = resourceOf(serviceOf(ctx));
    const id = resource.expected.find((x) => isPlain(x) && needsPadding(x));
    if (!id) return ctx.notExecuted(`the pre-load set has no ${resource.noun} whose identifier needs padding`);
    await withHeld(ctx, ['AAS-ID-002'], async (api) => {
      const path = `${resource.collection}/${encodeIdentifierPadded(id)}`;
      const answer = await api.get(path);
      if (answer.status === 400) return ctx.pass('AAS-ID-002', `the server refuses padded identifiers (GET ${path} answered 400), which the specification allows`);
      const problem = answer.status === 200 ? await readBack(api, resource, id, path) : `GET ${path} (padded form of ${JSON.stringify(id)}) answered ${seen(answer)}; expected 200 with the same ${resource.noun}, or 400`;
      ctx.verify('AAS-ID-002', problem ? [problem] : []);
    }, [id]);
  },
);

check(
  {
    id: 'aas.identifiers.unicode-and-long',
    title: 'Identifiers with non-ASCII characters and IRIs over 1000 characters are resolved like any other',
    requirements: ['AAS-ID-003'],
  },
  async (ctx) => {
    const resource = resourceOf(serviceOf(ctx));
    const ids = resource.expected.filter((id) => !isPlain(id));
    if (ids.length === 0) return ctx.notExecuted(`the pre-load set has no ${resource.noun} with a non-ASCII or long identifier`);
    await withHeld(ctx, ['AAS-ID-003'], async (api) => {
      const problems: string[] = [];
      for (const id of ids) {
        const problem = await readBack(api, resource, id);
        if (problem) problems.push(problem);
      }
      ctx.verify('AAS-ID-003', problems);
    }, ids);
  },
);

/** Segments that are not base64url: wrong padding, characters outside the alphabet, an impossible length. */
const MALFORMED = ['invalid-base64url=====', 'not*base64!', 'QUFB=QUFB', 'A'];

check(
  {
    id: 'aas.identifiers.malformed',
    title: 'An identifier segment that is not base64url is refused with 400 (or 404)',
    requirements: ['AAS-ID-004'],
  },
  async (ctx) => {
    const resource = resourceOf(serviceOf(ctx));
    await withApi(ctx, async (api) => {
      const problems: string[] = [];
      for (const segment of MALFORMED) {
        const path = `${resource.collection}/${encodeURIComponent(segment)}`;
        const answer = await api.get(path);
        if (answer.status !== 400 && answer.status !== 404) problems.push(`GET ${path} answered ${seen(answer)}; expected 400 (or 404) for an identifier that is not base64url`);
      }
      ctx.verify('AAS-ID-004', problems);
    });
  },
);

check(
  {
    id: 'aas.identifiers.unknown',
    title: 'A well-formed identifier the server does not hold is answered 404',
    requirements: ['AAS-ID-005'],
  },
  async (ctx) => {
    const resource = resourceOf(serviceOf(ctx));
    await withApi(ctx, async (api) => {
      const path = resource.path(`https://example.com/ids/oi4c-unknown/${randomUUID()}`);
      const answer = await api.get(path);
      ctx.verify('AAS-ID-005', answer.status === 404 ? [] : [`GET ${path} (an identifier nobody created) answered ${seen(answer)}; expected 404`]);
    });
  },
);
