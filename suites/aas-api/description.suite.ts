/**
 * The service description (GET /description): what the server says it implements. A server may list only the
 * newest minor version of a profile (3.1 includes 3.0) and a full profile includes its read profile; both are
 * accepted and said, since aas-test-engines' exact-IRI rule fails conformant servers (its issue 98).
 */
import { check } from '../../harness/engine/check.js';
import { validatePart2 } from '../../harness/protocols/aas/index.js';
import { isObject, jsonOf, seen, withApi } from './lib/http.js';
import { parseProfileIri, serviceOf } from './lib/service.js';

check(
  {
    id: 'aas.description',
    title: 'GET /description answers a ServiceDescription that lists the profile under test',
    requirements: ['AAS-DESC-001', 'AAS-DESC-002'],
  },
  async (ctx) => {
    const service = serviceOf(ctx);
    const answer = await withApi(ctx, (api) => api.get('/description'));
    const body = jsonOf(answer);
    const profiles = isObject(body) ? body['profiles'] : undefined;
    const problems: string[] = [];
    if (answer.status !== 200) problems.push(`GET /description answered ${seen(answer)}; expected 200 with a ServiceDescription`);
    else if (!isObject(body)) problems.push(`GET /description answered ${seen(answer)}; expected a JSON object {"profiles": [...]}`);
    else {
      const invalid = validatePart2('ServiceDescription', body);
      if (invalid.length) problems.push(`GET /description is no ServiceDescription: ${invalid.slice(0, 3).join('; ')} (profiles: ${JSON.stringify(profiles)?.slice(0, 160) ?? 'missing'}); expected a non-empty array of profile IRIs`);
    }
    ctx.verify('AAS-DESC-001', problems);
    if (problems.length) ctx.notExecuted('the service description could not be read (AAS-DESC-001)', ['AAS-DESC-002']);

    const listed = profiles as string[];
    if (listed.includes(service.iri)) return ctx.pass('AAS-DESC-002');
    const tested = parseProfileIri(service.iri)!;
    // same service, same major version, a minor version at least as new: the profile itself or its full superset
    const covering = listed.find((iri) => {
      const other = parseProfileIri(iri);
      return other !== undefined && other.specification === tested.specification && other.major === tested.major && Number(other.minor) >= Number(tested.minor) && (other.ssp === tested.ssp || (other.ssp === 'SSP-001' && tested.ssp === 'SSP-002'));
    });
    if (covering) {
      const how = parseProfileIri(covering)!;
      const reasons = [
        ...(how.minor !== tested.minor ? [`API ${how.major}.${how.minor} includes ${tested.major}.${tested.minor}`] : []),
        ...(how.ssp !== tested.ssp ? ['the full profile (SSP-001) includes the read profile (SSP-002)'] : []),
      ];
      return ctx.pass('AAS-DESC-002', `the server lists ${covering} rather than ${service.iri}; accepted: ${reasons.join(', and ')}`);
    }
    ctx.fail('AAS-DESC-002', `GET /description lists ${listed.length} profile(s) (${listed.slice(0, 8).join(', ')}${listed.length > 8 ? ', …' : ''}); expected ${service.iri}, a later 3.x minor version of it${tested.ssp === 'SSP-002' ? ', or the full profile SSP-001' : ''}`);
  },
);
