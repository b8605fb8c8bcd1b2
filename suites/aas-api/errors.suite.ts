/**
 * Errors and status codes (AAS Part 2): a malformed request is the client's fault - a 4xx with a Result that
 * says why, never a 5xx - and every operation of the profile is served with a status its OpenAPI documents.
 */
import { check } from '../../harness/engine/check.js';
import type { CheckContext } from '../../harness/engine/check-context.js';
import { encodeIdentifier, validatePart2, type AasRequestOptions, type AasResponse } from '../../harness/protocols/aas/index.js';
import { contentTypeOf, idPath, isObject, jsonOf, seen, withApi, type AasApi } from './lib/http.js';
import { assetIdsParameter, ensureHeld, resourceOf } from './lib/resources.js';
import { sample } from './lib/sample.js';
import { serviceOf, type Service } from './lib/service.js';

/** What keeps a body from being a Part 2 Result (our schema) with at least one message. */
export function resultProblems(response: AasResponse): string[] {
  const body = jsonOf(response);
  if (!isObject(body)) return [`the body is not a JSON object (${contentTypeOf(response) || 'no content type'}: ${response.text.slice(0, 80)})`];
  const problems = [...validatePart2('Result', body)];
  if (problems.length === 0 && Array.isArray(body['messages']) && body['messages'].length === 0) problems.push('messages is empty; a refusal says why');
  return problems;
}

interface Probe {
  readonly method: string;
  readonly path: string;
  readonly options?: AasRequestOptions;
  /** what is wrong with it, for messages */
  readonly why: string;
}

/** Requests a server must refuse as the client's fault. */
function malformedRequests(service: Service): Probe[] {
  const resource = resourceOf(service);
  const s = sample();
  const known = resource.path(service.kind.startsWith('submodel') ? s.rich.submodelId : s.rich.shellId);
  const list = service.kind === 'discovery' ? '/lookup/shells' : resource.collection;
  const probes: Probe[] = [
    { method: 'GET', path: `${resource.collection}/invalid-base64url=====`, why: 'an identifier that is not base64url' },
    { method: 'GET', path: `${resource.collection}/${encodeIdentifier(`https://example.com/ids/oi4c-long/${'x'.repeat(5000)}`)}`, why: 'an identifier over 5000 characters' },
    { method: 'GET', path: `${known}/oi4c-no-such-segment`, why: 'a path below a known identifier that no operation has' },
  ];
  if (service.kind !== 'discovery' || service.full) {
    for (const limit of ['0', '-1', 'abc', '2147483648', '99999999999999999999']) probes.push({ method: 'GET', path: list, options: { query: { limit, ...(service.kind === 'discovery' && { assetIds: assetIdsParameter([s.sharedLink]) }) } }, why: `limit=${limit}` });
    probes.push({ method: 'GET', path: list, options: { query: { cursor: '\u0000%garbage' } }, why: 'a garbage cursor' });
  }
  if (service.kind === 'aas-repository' || service.kind === 'discovery') probes.push({ method: 'GET', path: service.kind === 'discovery' ? '/lookup/shells' : '/shells', options: { query: { assetIds: 'not base64 {' } }, why: 'assetIds that are not base64url' });
  if (service.kind === 'submodel-repository') {
    probes.push({ method: 'GET', path: '/submodels', options: { query: { semanticId: 'not base64 {' } }, why: 'a semanticId that is not base64url' });
    const rich = idPath('/submodels', s.rich.submodelId);
    probes.push({ method: 'GET', path: rich, options: { query: { level: 'shallow' } }, why: 'level=shallow' }, { method: 'GET', path: rich, options: { query: { extent: 'sometimes' } }, why: 'extent=sometimes' }, { method: 'GET', path: `${rich}/$unknown`, why: 'an unknown content modifier' });
  }
  if (service.kind === 'discovery' && service.version === '3.1') probes.push({ method: 'POST', path: '/lookup/shellsByAssetLink', options: { body: { bytes: new TextEncoder().encode('{not json'), contentType: 'application/json' } }, why: 'a body that is not JSON' });
  return probes;
}

check(
  {
    id: 'aas.errors.malformed-requests',
    title: 'Malformed requests are answered with a 4xx and a Result, never a 5xx',
    requirements: ['AAS-ERR-001', 'AAS-ERR-002'],
  },
  async (ctx) => {
    await withApi(ctx, async (api) => {
      const serverErrors: string[] = [];
      const bodies: string[] = [];
      let refusals = 0;
      for (const probe of malformedRequests(serviceOf(ctx))) {
        const answer = await api.request(probe.method, probe.path, probe.options);
        const shown = `${probe.method} ${probe.path.slice(0, 100)} (${probe.why})`;
        if (answer.status >= 500) serverErrors.push(`${shown} answered ${seen(answer)}; expected a 4xx`);
        if (answer.status >= 400 && answer.status < 500) {
          refusals++;
          const problems = resultProblems(answer);
          if (problems.length) bodies.push(`${shown} answered ${answer.status} without a Result: ${problems.slice(0, 2).join('; ')}`);
        }
      }
      ctx.verify('AAS-ERR-002', serverErrors);
      if (refusals === 0) ctx.notExecuted('no malformed request was answered with a 4xx, so no error body could be judged', ['AAS-ERR-001']);
      ctx.verify('AAS-ERR-001', bodies);
    });
  },
);

interface Operation {
  readonly name: string;
  readonly method: string;
  readonly path: string;
  readonly options?: AasRequestOptions;
  /** the status codes its OpenAPI operation documents */
  readonly documented: readonly number[];
}

const LIST = [200, 400, 401, 403, 500];
const BY_ID = [200, 400, 401, 403, 404, 500];

/** The read operations of each service, with the identifiers of the pre-load set's rich shell and submodel. */
function operationsOf(service: Service): Operation[] {
  const { shellId, submodelId } = sample().rich;
  const aas = encodeIdentifier(shellId);
  const sm = encodeIdentifier(submodelId);
  const description: Operation = { name: 'GetDescription', method: 'GET', path: '/description', documented: [200, 401, 403] };
  const op = (name: string, path: string, documented = BY_ID, method = 'GET', options?: AasRequestOptions): Operation => ({ name, method, path, documented, ...(options && { options }) });
  switch (service.kind) {
    case 'aas-repository':
      return [
        op('GetAllAssetAdministrationShells', '/shells', LIST),
        op('GetAssetAdministrationShellById', `/shells/${aas}`),
        op('GetAssetAdministrationShellById-Reference', `/shells/${aas}/$reference`),
        op('GetAssetInformation', `/shells/${aas}/asset-information`),
        op('GetAllSubmodelReferences', `/shells/${aas}/submodel-refs`),
        op('GetSubmodelById (superpath)', `/shells/${aas}/submodels/${sm}`),
        op('GetAllSubmodelElements (superpath)', `/shells/${aas}/submodels/${sm}/submodel-elements`),
        op('GenerateSerializationByIds', '/serialization', BY_ID, 'GET', { query: { aasIds: [aas] } }),
        description,
      ];
    case 'submodel-repository':
      return [
        op('GetAllSubmodels', '/submodels', LIST),
        op('GetSubmodelById', `/submodels/${sm}`),
        op('GetAllSubmodelElements', `/submodels/${sm}/submodel-elements`),
        op('GenerateSerializationByIds', '/serialization', BY_ID, 'GET', { query: { submodelIds: [sm] } }),
        description,
      ];
    case 'aas-registry':
      return [
        op('GetAllAssetAdministrationShellDescriptors', '/shell-descriptors', LIST),
        op('GetAssetAdministrationShellDescriptorById', `/shell-descriptors/${aas}`),
        op('GetAllSubmodelDescriptorsThroughSuperpath', `/shell-descriptors/${aas}/submodel-descriptors`),
        op('GetSubmodelDescriptorByIdThroughSuperpath', `/shell-descriptors/${aas}/submodel-descriptors/${sm}`),
        description,
      ];
    case 'submodel-registry':
      return [op('GetAllSubmodelDescriptors', '/submodel-descriptors', LIST), op('GetSubmodelDescriptorById', `/submodel-descriptors/${sm}`), description];
    case 'discovery': {
      const links = sample().sharedLink;
      return [
        ...(service.full ? [op('GetAllAssetAdministrationShellIdsByAssetLink', '/lookup/shells', LIST, 'GET', { query: { assetIds: assetIdsParameter([links]) } })] : []),
        ...(service.version === '3.1' ? [op('SearchAllAssetAdministrationShellIdsByAssetLink', '/lookup/shellsByAssetLink', LIST, 'POST', { body: { json: [links] } })] : []),
        op('GetAllAssetLinksById', `/lookup/shells/${aas}`),
        description,
      ];
    }
  }
}

async function holdRich(ctx: CheckContext, api: AasApi, service: Service) {
  const { shellId, submodelId } = sample().rich;
  return ensureHeld(ctx, api, service, [service.kind.startsWith('submodel') ? submodelId : shellId], ['AAS-ERR-003']);
}

check(
  {
    id: 'aas.errors.operations',
    title: 'Every read operation of the profile is served and answers a documented status',
    requirements: ['AAS-ERR-003'],
  },
  async (ctx) => {
    const service = serviceOf(ctx);
    await withApi(ctx, async (api) => {
      const held = await holdRich(ctx, api, service);
      try {
        const problems: string[] = [];
        for (const operation of operationsOf(service)) {
          const answer = await api.request(operation.method, operation.path, operation.options);
          const shown = `${operation.name} (${operation.method} ${operation.path.slice(0, 100)})`;
          if ([404, 405, 501].includes(answer.status)) problems.push(`${shown} answered ${seen(answer)}: the operation is not served, though the profile has it`);
          else if (!operation.documented.includes(answer.status)) problems.push(`${shown} answered ${answer.status}, which the operation does not document (${operation.documented.join(', ')})`);
          else if (answer.status !== 200) problems.push(`${shown} answered ${seen(answer)} to a well-formed request for data the server holds; expected 200`);
        }
        ctx.verify('AAS-ERR-003', problems);
      } finally {
        await held.cleanup();
      }
    });
  },
);
