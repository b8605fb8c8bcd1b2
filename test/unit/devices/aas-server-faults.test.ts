/**
 * Each fault of the reference AAS server shows its deviation, and the server stays otherwise sane: one probe
 * per fault, started alone. Whether the checks then fail exactly the declared requirements is the self-test
 * matrix's business; this file only proves that each flag does what its description says.
 */
import { describe, expect, it } from 'vitest';
import { aasServerFaults, type AasServerFaultName } from '../../../fixtures/devices/aas-server/index.js';
import { assetIdParam, b64, type Client, ids, padded, result, SHELL_1, SHELL_2, SHELL_UNICODE, SM_RICH, startServer } from '../../../fixtures/devices/aas-server/testing.js';

const SM = `/submodels/${b64(SM_RICH)}`;
const MANUFACTURER = assetIdParam('manufacturerName', 'OI4 Conformance Lab');
const shell = (id: string, idShort = 'Probe') => ({ modelType: 'AssetAdministrationShell', id, idShort, assetInformation: { assetKind: 'Instance', globalAssetId: `${id}/asset` } });

type Descriptor = { id: string; assetKind: string; semanticId?: unknown; endpoints: { protocolInformation: { href: string } }[]; submodelDescriptors: Descriptor[] };

const probes: Record<AasServerFaultName, (client: Client) => Promise<void>> = {
  'description-lists-other-profile': async (client) => {
    expect((await client.get('/description')).json).toEqual({ profiles: ['https://admin-shell.io/aas/API/3/0/AasxFileServerServiceSpecification/SSP-001'] });
  },
  'description-not-a-list': async (client) => {
    expect(typeof ((await client.get('/description')).json as { profiles: unknown }).profiles).toBe('string');
  },
  'lookup-by-idshort': async (client) => {
    // the second of two shells and of two submodels sharing an idShort answers as the first
    expect((await client.get(`/shells/${b64(SHELL_2)}`)).json).toHaveProperty('id', SHELL_1);
    expect((await client.get(`/shell-descriptors/${b64(SHELL_2)}`)).json).toHaveProperty('id', SHELL_1);
    expect((await client.get(`/submodels/${b64(SM_RICH.replace('-001', '-002'))}`)).json).toHaveProperty('id', SM_RICH);
    expect((await client.get(`/submodel-descriptors/${b64(SM_RICH.replace('-001', '-002'))}`)).json).toHaveProperty('id', SM_RICH);
    expect((await client.get(`/shells/${b64(SHELL_UNICODE)}`)).json).toHaveProperty('id', SHELL_UNICODE);
  },
  'padded-id-unknown': async (client) => {
    expect((await client.get(`/shells/${padded(SHELL_1)}`)).status).toBe(404);
    expect((await client.get(`/shells/${b64(SHELL_1)}`)).status).toBe(200);
  },
  'identifier-latin1': async (client) => {
    expect((await client.get(`/shells/${b64(SHELL_UNICODE)}`)).status).toBe(404);
    expect((await client.get(`/shells/${b64(SHELL_1)}`)).status).toBe(200);
  },
  'malformed-id-500': async (client) => {
    expect((await client.get('/shells/not*base64')).status).toBe(500);
    expect((await client.get(`/lookup/shells/not*base64`)).status).toBe(500);
  },
  'unknown-id-400': async (client) => {
    expect((await client.get(`/submodels/${b64('urn:unknown')}`)).status).toBe(400);
    expect((await client.get(`/shell-descriptors/${b64('urn:unknown')}`)).status).toBe(400);
    expect((await client.get(`${SM}/submodel-elements/Nothing`)).status).toBe(404);
  },
  'page-overlap': async (client) => {
    const walked = ids({ result: (await client.walk('/shells', 2)).items });
    const [first, second, third] = ids((await client.get('/shells')).json);
    expect(walked.slice(0, 4)).toEqual([first, second, second, third]);
    expect(result((await client.get('/shells?limit=1')).json)).toHaveLength(1);
  },
  'cursor-on-last-page': async (client) => {
    const last = (await client.get('/shells?limit=6')).json as { paging_metadata: { cursor: string } };
    const after = (await client.get(`/shells?limit=6&cursor=${last.paging_metadata.cursor}`)).json;
    expect(after).toEqual({ result: [], paging_metadata: {} });
  },
  'limit-ignored': async (client) => {
    expect((await client.get('/shells?limit=1')).json).toMatchObject({ paging_metadata: {} });
    expect(result((await client.get('/shells?limit=1')).json)).toHaveLength(6);
    expect((await client.get('/shells?limit=0')).status).toBe(400);
  },
  'limit-zero-accepted': async (client) => {
    expect(result((await client.get('/shells?limit=0')).json)).toHaveLength(6);
    expect((await client.get('/lookup/shells?limit=-1')).status).toBe(200);
    expect((await client.get('/shells?limit=abc')).status).toBe(400);
  },
  'bad-cursor-restarts': async (client) => {
    expect((await client.get('/submodels?limit=2&cursor=')).json).toEqual((await client.get('/submodels?limit=2')).json);
    expect((await client.get('/submodels?cursor=garbage')).status).toBe(200);
  },
  'paging-metadata-missing-on-last-page': async (client) => {
    expect((await client.get('/shell-descriptors')).json).not.toHaveProperty('paging_metadata');
    expect((await client.get('/shell-descriptors?limit=1')).json).toHaveProperty('paging_metadata.cursor');
  },
  'idshort-filter-ignored': async (client) => {
    expect(result((await client.get('/shells?idShort=Nobody')).json)).toHaveLength(6);
    expect(result((await client.get('/submodels?idShort=Nobody')).json)).toHaveLength(5);
  },
  'no-match-is-404': async (client) => {
    expect((await client.get('/shells?idShort=Nobody')).status).toBe(404);
    expect((await client.get(`/submodels?semanticId=${b64('urn:none')}`)).status).toBe(404);
    expect((await client.get(`/lookup/shells?assetIds=${assetIdParam('serialNumber', 'none')}`)).status).toBe(404);
    expect((await client.request('POST', '/lookup/shellsByAssetLink', { body: [{ name: 'x', value: 'y' }] })).status).toBe(404);
    expect((await client.get('/shells?idShort=SampleShell')).status).toBe(200);
  },
  'semanticid-filter-ignored': async (client) => {
    expect(result((await client.get(`/submodels?semanticId=${b64('urn:none')}`)).json)).toHaveLength(5);
  },
  'assetids-filter-ignored': async (client) => {
    expect(result((await client.get(`/shells?assetIds=${assetIdParam('serialNumber', 'OI4C-0002')}`)).json)).toHaveLength(6);
    expect(result((await client.get('/shells?idShort=PumpShell')).json)).toHaveLength(1);
  },
  'value-only-wrapped': async (client) => {
    expect((await client.get(`${SM}/$value`)).json).toMatchObject({ modelType: 'Submodel', id: SM_RICH });
    expect((await client.get(`${SM}/submodel-elements/Counter/$value`)).json).toMatchObject({ modelType: 'Property', value: '42' });
  },
  'metadata-with-children': async (client) => {
    expect((await client.get(`${SM}/$metadata`)).json).toHaveProperty('submodelElements');
    expect((await client.get(`${SM}/submodel-elements/Counter/$metadata`)).json).toHaveProperty('value', '42');
  },
  'reference-wrong-key': async (client) => {
    const reference = (await client.get(`${SM}/submodel-elements/Electrical.Voltage/$reference`)).json as { keys: { type: string }[] };
    expect(reference.keys.at(-1)).toEqual({ type: 'Submodel', value: SM_RICH });
  },
  'path-unresolvable': async (client) => {
    const paths = (await client.get(`${SM}/$path`)).json as string[];
    expect(paths).toContain('Electrical.Limitz');
    expect(paths).toContain('Electrical.Limitz.MaxCurrent');
    expect(paths).not.toContain('Electrical.Limits');
    expect((await client.get(`${SM}/submodel-elements/Electrical.Limitz`)).status).toBe(404);
  },
  'core-is-deep': async (client) => {
    const core = (await client.get(`${SM}/submodel-elements/Electrical?level=core`)).json as { value: { idShort: string; value?: unknown[] }[] };
    expect(core.value.find((child) => child.idShort === 'Limits')?.value).toHaveLength(1);
  },
  'blob-always': async (client) => {
    expect((await client.get(`${SM}/submodel-elements/Firmware`)).json).toHaveProperty('value');
    expect((await client.get(`${SM}/submodel-elements/Firmware?extent=withoutBlobValue`)).json).toHaveProperty('value');
  },
  'forbidden-modifiers-accepted': async (client) => {
    for (const path of [`${SM}/$metadata?level=core`, `${SM}/$metadata?extent=withBlobValue`, `${SM}/$reference?level=deep`, `${SM}/$path?extent=withBlobValue`]) {
      expect((await client.get(path)).status, path).toBe(200);
    }
    expect((await client.get(`${SM}?level=shallow`)).status).toBe(400);
  },
  'list-index-unsupported': async (client) => {
    expect((await client.get(`${SM}/submodel-elements/Temperatures%5B1%5D`)).status).toBe(404);
    expect((await client.get(`${SM}/submodel-elements/Temperatures`)).status).toBe(200);
    // what it cannot resolve it does not list either
    const paths = (await client.get(`${SM}/$path`)).json as string[];
    expect(paths).toContain('Temperatures');
    expect(paths.filter((path) => path.includes('['))).toEqual([]);
  },
  'error-body-plain-text': async (client) => {
    const reply = await client.get(`/shells/${b64('urn:unknown')}`);
    expect(reply.status).toBe(404);
    expect(reply.contentType).toMatch(/^text\/plain/);
    expect(reply.json).toBeUndefined();
  },
  'huge-limit-500': async (client) => {
    expect((await client.get('/shells?limit=2147483648')).status).toBe(500);
    expect((await client.get('/shells?limit=2147483647')).status).toBe(200);
  },
  'asset-information-405': async (client) => {
    expect((await client.get(`/shells/${b64(SHELL_1)}/asset-information`)).status).toBe(405);
  },
  'invalid-language-in-shell': async (client) => {
    expect((await client.get(`/shells/${b64(SHELL_1)}`)).json).toHaveProperty('description', [{ language: 'not a language!', text: 'Beschreibung' }]);
    expect(result((await client.get('/shells')).json)[0]).toHaveProperty('description.0.language', 'not a language!');
    const serialized = (await client.get(`/serialization?aasIds=${b64(SHELL_1)}`)).json as { assetAdministrationShells: { idShort: string }[] };
    expect(serialized.assetAdministrationShells[0]?.idShort).toBe('SampleShell');
  },
  'revision-without-version': async (client) => {
    expect((await client.get(SM)).json).toHaveProperty('administration', { revision: '1' });
    expect(result((await client.get('/submodels')).json)[4]).toHaveProperty('administration', { revision: '1' });
    expect((await client.get(`/shells/${b64(SHELL_1)}${SM}`)).json).not.toHaveProperty('administration');
  },
  'serialization-ignores-ids': async (client) => {
    const environment = (await client.get(`/serialization?aasIds=${b64(SHELL_1)}`)).json as { assetAdministrationShells: unknown[]; submodels: unknown[] };
    expect(environment.assetAdministrationShells).toHaveLength(6);
    expect(environment.submodels).toHaveLength(5);
  },
  'serialization-xml-as-json': async (client) => {
    const reply = await client.get(`/serialization?aasIds=${b64(SHELL_1)}`, { accept: 'application/xml' });
    expect(reply.contentType).toBe('application/json');
    expect(reply.json).toHaveProperty('assetAdministrationShells');
  },
  'aasx-without-origin': async (client) => {
    const reply = await client.get(`/serialization?aasIds=${b64(SHELL_1)}`, { accept: 'application/asset-administration-shell-package+xml' });
    expect(reply.bytes.toString('latin1')).toContain('_rels/.rels');
    expect(reply.bytes.toString('utf8')).not.toContain('relationships/aasx-origin');
    expect(reply.bytes.toString('utf8')).toContain('relationships/aas-spec');
  },
  'post-duplicate-overwrites': async (client) => {
    const reply = await client.request('POST', '/shells', { body: shell(SHELL_1, 'Overwritten') });
    expect(reply.status).toBe(201);
    expect((await client.get(`/shells/${b64(SHELL_1)}`)).json).toHaveProperty('idShort', 'Overwritten');
  },
  'put-ignored': async (client) => {
    expect((await client.request('PUT', `/shells/${b64(SHELL_1)}`, { body: shell(SHELL_1, 'Changed') })).status).toBe(204);
    expect((await client.get(`/shells/${b64(SHELL_1)}`)).json).toHaveProperty('idShort', 'SampleShell');
  },
  'delete-keeps': async (client) => {
    expect((await client.request('DELETE', `/submodel-descriptors/${b64(SM_RICH)}`)).status).toBe(204);
    expect((await client.get(`/submodel-descriptors/${b64(SM_RICH)}`)).status).toBe(200);
  },
  'post-returns-200': async (client) => {
    const reply = await client.request('POST', '/shells', { body: shell('urn:oi4c:probe') });
    expect(reply.status).toBe(200);
    expect((await client.get(`/shells/${b64('urn:oi4c:probe')}`)).status).toBe(200);
    expect((await client.request('POST', `/lookup/shells/${b64('urn:oi4c:probe')}`, { body: [{ name: 'a', value: 'b' }] })).status).toBe(201);
  },
  'non-json-body-accepted': async (client) => {
    expect((await client.request('POST', '/shells', { rawBody: 'not json' })).status).toBe(201);
    expect(result((await client.get('/shells')).json)).toHaveLength(6);
    expect((await client.request('PUT', `/shells/${b64(SHELL_1)}`, { rawBody: 'not json' })).status).toBe(400);
  },
  'descriptor-relative-href': async (client) => {
    const descriptor = (await client.get(`/shell-descriptors/${b64(SHELL_1)}`)).json as Descriptor;
    expect(descriptor.endpoints[0]?.protocolInformation.href).toBe(`/shells/${b64(SHELL_1)}`);
    expect(descriptor.submodelDescriptors[0]?.endpoints[0]?.protocolInformation.href).toMatch(/^http:\/\//);
    const own = (await client.get(`/submodel-descriptors/${b64(SM_RICH)}`)).json as Descriptor;
    expect(own.endpoints[0]?.protocolInformation.href).toBe(`/submodels/${b64(SM_RICH)}`);
  },
  'descriptor-bad-asset-kind': async (client) => {
    expect((await client.get(`/shell-descriptors/${b64(SHELL_1)}`)).json).toHaveProperty('assetKind', 'Machine');
  },
  'superpath-submodel-descriptors-empty': async (client) => {
    const base = `/shell-descriptors/${b64(SHELL_1)}/submodel-descriptors`;
    expect(result((await client.get(base)).json)).toEqual([]);
    expect((await client.get(`${base}/${b64(SM_RICH)}`)).status).toBe(200);
    expect(((await client.get(`/shell-descriptors/${b64(SHELL_1)}`)).json as Descriptor).submodelDescriptors).toHaveLength(1);
  },
  'discovery-separate-path': async (client) => {
    expect((await client.get(`/lookup/shells?assetIds=${MANUFACTURER}`)).status).toBe(404);
    expect((await client.get(`/lookup/shells/${b64(SHELL_1)}`)).status).toBe(404);
    expect((await client.get('/shell-descriptors')).status).toBe(200);
  },
  'submodel-descriptor-without-semanticid': async (client) => {
    const descriptor = (await client.get(`/shell-descriptors/${b64(SHELL_1)}`)).json as Descriptor;
    expect(descriptor.submodelDescriptors[0]).not.toHaveProperty('semanticId');
    expect((await client.get(`/submodel-descriptors/${b64(SM_RICH)}`)).json).toHaveProperty('semanticId');
  },
  'submodel-endpoint-dangling': async (client) => {
    const descriptor = (await client.get(`/shell-descriptors/${b64(SHELL_1)}`)).json as Descriptor;
    const href = descriptor.submodelDescriptors[0]?.endpoints[0]?.protocolInformation.href ?? '';
    expect((await fetch(href)).status).toBe(404);
    expect(descriptor.submodelDescriptors[0]?.id).toBe(SM_RICH);
  },
  'lookup-extra-shell': async (client) => {
    expect(result((await client.get(`/lookup/shells?assetIds=${assetIdParam('serialNumber', 'OI4C-0003')}`)).json)).toEqual([
      'https://example.com/ids/aas/oi4c-sample-003',
      SHELL_1,
    ]);
    expect(result((await client.get(`/lookup/shells?assetIds=${MANUFACTURER}`)).json)).toHaveLength(6);
    expect(result((await client.get(`/lookup/shells?assetIds=${assetIdParam('serialNumber', 'none')}`)).json)).toEqual([]);
  },
  'asset-links-incomplete': async (client) => {
    expect((await client.get(`/lookup/shells/${b64(SHELL_1)}`)).json).toEqual([{ name: 'serialNumber', value: 'OI4C-0001' }]);
    const posted = [{ name: 'a', value: '1' }, { name: 'b', value: '2' }];
    await client.request('POST', `/lookup/shells/${b64('urn:oi4c:probe')}`, { body: posted });
    expect((await client.get(`/lookup/shells/${b64('urn:oi4c:probe')}`)).json).toEqual(posted);
  },
  'asset-link-search-extra-shell': async (client) => {
    const reply = await client.request('POST', '/lookup/shellsByAssetLink', { body: [{ name: 'serialNumber', value: 'OI4C-0001' }] });
    expect(result(reply.json)).toEqual([SHELL_1, 'https://example.com/ids/aas/oi4c-sample-002']);
  },
  'asset-links-not-deleted': async (client) => {
    expect((await client.request('DELETE', `/lookup/shells/${b64(SHELL_1)}`)).status).toBe(204);
    expect((await client.get(`/lookup/shells/${b64(SHELL_1)}`)).status).toBe(200);
  },
};

describe('aas-server faults', () => {
  it('has a probe for every fault in the catalog', () => {
    expect(Object.keys(probes).sort()).toEqual(aasServerFaults.map((fault) => fault.name).sort());
  });

  for (const fault of aasServerFaults) {
    it(`${fault.name}: ${fault.description}`, async () => {
      const { device, client } = await startServer([fault.name]);
      try {
        await probes[fault.name](client);
      } finally {
        await device.stop();
      }
    });
  }
});
