/**
 * GET /serialization (GenerateSerializationByIds): the asked-for shells and submodels as one environment, in
 * the three formats a client may ask for with Accept - JSON (judged per Part 1), XML (well-formed, the AAS
 * namespace; the 3.0 TypeScript SDK has no XML, so no deeper) and an AASX package (its origin and parts).
 */
import { check } from '../../harness/engine/check.js';
import type { CheckContext } from '../../harness/engine/check-context.js';
import { encodeIdentifier, parseXml, readAasx, verifyEnvironment, type AasResponse } from '../../harness/protocols/aas/index.js';
import { contentTypeOf, isObject, jsonOf, seen, withApi, type AasApi } from './lib/http.js';
import { ensureHeld, shorten } from './lib/resources.js';
import { sample } from './lib/sample.js';
import { serviceOf, type Service } from './lib/service.js';

const AAS_NAMESPACES = ['https://admin-shell.io/aas/3/0', 'https://admin-shell.io/aas/3/1'];

interface Asked {
  readonly kind: 'assetAdministrationShells' | 'submodels';
  readonly ids: readonly string[];
  readonly query: Record<string, string | readonly string[]>;
}

/** Two identifiables of the pre-load set: shells from an AAS repository, submodels from a submodel repository. */
function askedOf(service: Service): Asked {
  const s = sample();
  if (service.kind === 'aas-repository') {
    const ids = [s.rich.shellId, s.shells[2]!.id];
    return { kind: 'assetAdministrationShells', ids, query: { aasIds: ids.map(encodeIdentifier), includeConceptDescriptions: 'false' } };
  }
  const ids = [s.rich.submodelId, s.submodels[2]!.id];
  return { kind: 'submodels', ids, query: { submodelIds: ids.map(encodeIdentifier), includeConceptDescriptions: 'false' } };
}

async function serialize(ctx: CheckContext, requirement: string, accept: string, judge: (answer: AasResponse, asked: Asked, service: Service) => string[]): Promise<void> {
  const service = serviceOf(ctx);
  const asked = askedOf(service);
  await withApi(ctx, async (api: AasApi) => {
    const held = await ensureHeld(ctx, api, service, asked.ids, [requirement]);
    try {
      const answer = await api.get('/serialization', { query: asked.query, accept });
      const where = `GET /serialization (Accept ${accept}, ${asked.ids.length} ${asked.kind === 'submodels' ? 'submodels' : 'shells'})`;
      if (answer.status !== 200) return ctx.fail(requirement, `${where} answered ${seen(answer)}; expected 200`);
      ctx.verify(requirement, judge(answer, asked, service).map((p) => `${where}: ${p}`));
    } finally {
      await held.cleanup();
    }
  });
}

function mediaType(answer: AasResponse): string {
  return contentTypeOf(answer).split(';')[0]!.trim().toLowerCase();
}

check(
  {
    id: 'aas.serialization.json',
    title: 'Serialization as JSON answers an environment valid per Part 1 holding exactly what was asked for',
    requirements: ['AAS-SER-001'],
  },
  async (ctx) => {
    await serialize(ctx, 'AAS-SER-001', 'application/json', (answer, asked, service) => {
      const problems: string[] = [];
      if (mediaType(answer) !== 'application/json') problems.push(`content type ${JSON.stringify(contentTypeOf(answer))}; expected application/json`);
      const environment = jsonOf(answer);
      if (!isObject(environment)) return [...problems, `the body is not a JSON object (${seen(answer)})`];
      problems.push(...verifyEnvironment(environment, { apiVersion: service.version }).slice(0, 5));
      const got = (Array.isArray(environment[asked.kind]) ? environment[asked.kind] as unknown[] : []).map((x) => (isObject(x) ? String(x['id']) : '?'));
      const missing = asked.ids.filter((id) => !got.includes(id));
      const extra = got.filter((id) => !asked.ids.includes(id));
      if (missing.length) problems.push(`${asked.kind} lacks ${missing.map((id) => JSON.stringify(shorten(id))).join(', ')}`);
      if (extra.length) problems.push(`${asked.kind} holds ${extra.length} not asked for (${extra.slice(0, 3).map((id) => JSON.stringify(shorten(id))).join(', ')})`);
      return problems;
    });
  },
);

check(
  {
    id: 'aas.serialization.xml',
    title: 'Serialization as XML answers well-formed XML with the environment in the AAS namespace',
    requirements: ['AAS-SER-002'],
  },
  async (ctx) => {
    await serialize(ctx, 'AAS-SER-002', 'application/xml', (answer) => {
      const problems: string[] = [];
      if (mediaType(answer) !== 'application/xml' && mediaType(answer) !== 'text/xml') problems.push(`content type ${JSON.stringify(contentTypeOf(answer))}; expected application/xml`);
      const xml = parseXml(answer.bodyBytes);
      if (!xml.root) return [...problems, `not well-formed XML: ${xml.problems.slice(0, 2).join('; ')}`];
      if (xml.root.localName !== 'environment' || !AAS_NAMESPACES.includes(xml.root.namespace ?? '')) {
        problems.push(`the root element is {${xml.root.namespace ?? ''}}${xml.root.localName}; expected environment in ${AAS_NAMESPACES.join(' or ')}`);
      }
      return problems;
    });
  },
);

const AASX_TYPES = ['application/asset-administration-shell-package+xml', 'application/asset-administration-shell-package'];

check(
  {
    id: 'aas.serialization.aasx',
    title: 'Serialization as AASX answers a package whose aasx-origin leads to an AAS part that parses',
    requirements: ['AAS-SER-003'],
  },
  async (ctx) => {
    await serialize(ctx, 'AAS-SER-003', AASX_TYPES[0]!, (answer) => {
      const problems: string[] = [];
      if (!AASX_TYPES.includes(mediaType(answer))) problems.push(`content type ${JSON.stringify(contentTypeOf(answer))}; expected ${AASX_TYPES[0]}`);
      const pkg = readAasx(answer.bodyBytes);
      if (!pkg.readable) return [...problems, `not a readable package: ${pkg.problems.zip.slice(0, 2).join('; ')}`];
      problems.push(...pkg.problems.origin, ...pkg.problems.spec);
      for (const part of pkg.specs) {
        if (part.format === 'xml') {
          const xml = parseXml(part.bytes);
          if (!xml.root) problems.push(`the AAS part ${part.name} is not well-formed XML: ${xml.problems[0]}`);
        } else {
          try {
            JSON.parse(new TextDecoder().decode(part.bytes));
          } catch (error) {
            problems.push(`the AAS part ${part.name} is not JSON (${(error as Error).message})`);
          }
        }
      }
      return problems;
    });
  },
);
