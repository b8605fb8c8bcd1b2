/**
 * The reference AAS server, clean: the sample environment is valid Part 1, and every route answers as AAS
 * Part 2 says (a representative set of combinations). Written from the specification, not from the checks.
 */
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { inflateRawSync } from 'node:zlib';
import type * as AasCore from '@aas-core-works/aas-core3.0-typescript';
import type { JsonValue } from '@aas-core-works/aas-core3.0-typescript/jsonization';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aasServer } from '../../../fixtures/devices/aas-server/index.js';
import { crc32 } from '../../../fixtures/devices/aas-server/zip.js';
import {
  assetIdParam,
  b64,
  Client,
  ids,
  padded,
  result,
  SHELL_1,
  SHELL_2,
  SHELL_UNICODE,
  SM_RICH,
  SM_UNICODE,
  startServer,
} from '../../../fixtures/devices/aas-server/testing.js';
import type { RunningAasDevice } from '../../../harness/model/reference-device.js';

// the CommonJS build: the package's ESM build does not load under plain Node (see aas-core.ts)
const aas = createRequire(import.meta.url)('@aas-core-works/aas-core3.0-typescript') as typeof AasCore;

function part1Problems(json: unknown, parse: (value: JsonValue) => AasCore.common.Either<AasCore.types.Class, AasCore.jsonization.DeserializationError>): string[] {
  const parsed = parse(json as JsonValue);
  if (parsed.error !== null) return [`${parsed.error.path.toString()}: ${parsed.error.message}`];
  return [...aas.verification.verify(parsed.mustValue())].map((error) => `${error.path.toString()}: ${error.message}`);
}

const sample = JSON.parse(readFileSync(new URL('../../../fixtures/samples/aas/environment.json', import.meta.url), 'utf8')) as {
  assetAdministrationShells: { id: string; idShort: string }[];
  submodels: { id: string }[];
};
const LONG_ID = sample.assetAdministrationShells[5]?.id ?? '';

describe('sample environment', () => {
  it('is a valid Part 1 environment', () => {
    expect(part1Problems(sample, aas.jsonization.environmentFromJsonable)).toEqual([]);
  });

  it('holds the ids the checks rely on', () => {
    expect(sample.assetAdministrationShells.map((shell) => shell.idShort)).toEqual(['SampleShell', 'SampleShell', 'PumpShell', 'DrivesShell', 'UnicodeShell', 'LongIdShell']);
    expect(LONG_ID).toHaveLength(1200);
    expect(LONG_ID.startsWith('https://example.com/ids/aas/long/segment-')).toBe(true);
    expect(LONG_ID.endsWith('-006')).toBe(true);
    expect(sample.assetAdministrationShells[4]?.id).toBe(SHELL_UNICODE);
  });
});

describe('device definition', () => {
  it('lists every AAS profile once and declares its faults', () => {
    const profiles = [aasServer.defaultProfile, ...(aasServer.alsoProfiles ?? [])];
    expect(new Set(profiles).size).toBe(19);
    for (const fault of aasServer.faults) {
      expect(fault.breaks.length).toBeGreaterThan(0);
      for (const profile of fault.profiles ?? []) expect(profiles).toContain(profile);
    }
    expect(new Set(aasServer.faults.map((fault) => fault.name)).size).toBe(aasServer.faults.length);
  });

  it('refuses a fault it does not know', async () => {
    await expect(aasServer.start({ faults: ['no-such-fault'] })).rejects.toThrow(/unknown fault/);
  });
});

describe('clean server', () => {
  let device: RunningAasDevice;
  let client: Client;
  beforeAll(async () => {
    ({ device, client } = await startServer());
  });
  afterAll(() => device.stop());

  it('serves below a non-root prefix on loopback', () => {
    expect(device.access.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/reference\/api\/v3$/);
  });

  it('describes its profiles', async () => {
    const reply = await client.get('/description');
    expect(reply.status).toBe(200);
    const profiles = (reply.json as { profiles: string[] }).profiles;
    expect(profiles).toContain('https://admin-shell.io/aas/API/3/1/AssetAdministrationShellRepositoryServiceSpecification/SSP-001');
    expect(profiles).toContain('https://admin-shell.io/aas/API/3/1/DiscoveryServiceSpecification/SSP-002');
    for (const profile of profiles) expect(profile).toMatch(/^https:\/\/admin-shell\.io\/aas\/API\/3\/1\/\w+\/SSP-00\d$/);
  });

  describe('identifiers', () => {
    it('reaches a shell by unpadded and padded base64url, answering that id', async () => {
      for (const segment of [b64(SHELL_1), padded(SHELL_1)]) {
        const reply = await client.get(`/shells/${segment}`);
        expect(reply.status).toBe(200);
        expect((reply.json as { id: string }).id).toBe(SHELL_1);
      }
      expect(padded(SHELL_1)).toContain('=');
    });

    it('resolves Unicode and 1200-character ids', async () => {
      for (const id of [SHELL_UNICODE, LONG_ID]) {
        const reply = await client.get(`/shells/${b64(id)}`);
        expect(reply.status).toBe(200);
        expect((reply.json as { id: string }).id).toBe(id);
      }
      expect((await client.get(`/submodels/${b64(SM_UNICODE)}`)).status).toBe(200);
    });

    it('refuses a segment that is not base64url with 400 and a Result', async () => {
      for (const segment of ['not*base64', 'a', 'YQ===', '%E2%82']) {
        const reply = await client.get(`/shells/${segment}`);
        expect(reply.status, segment).toBe(400);
        expect(reply.contentType).toBe('application/json');
        const message = (reply.json as { messages: { code: string; messageType: string; text: string; timestamp: string }[] }).messages[0];
        expect(message?.code).toBe('400');
        expect(message?.messageType).toBe('Error');
        expect(message?.timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
      }
    });

    it('answers 404 for a well-formed unknown id, an unknown route, 405 for a method not served', async () => {
      expect((await client.get(`/shells/${b64('urn:unknown')}`)).status).toBe(404);
      expect((await client.get(`/submodels/${b64('urn:unknown')}`)).status).toBe(404);
      expect((await client.get('/no-such-thing')).status).toBe(404);
      const outside = await fetch(device.access.baseUrl.replace('/reference/api/v3', '/shells'));
      expect(outside.status).toBe(404);
      const patch = await client.request('PATCH', '/shells');
      expect(patch.status).toBe(405);
      expect((patch.json as { messages: unknown[] }).messages).toHaveLength(1);
    });
  });

  describe('pagination', () => {
    it('walks every list item exactly once, with no cursor on the last page', async () => {
      const { items, pages } = await client.walk('/shells', 4);
      expect(pages).toBe(2);
      expect(items.map((item) => (item as { id: string }).id)).toEqual(sample.assetAdministrationShells.map((shell) => shell.id));
      const single = await client.walk('/submodels', 1);
      expect(single.pages).toBe(5);
      expect(new Set(single.items.map((item) => (item as { id: string }).id)).size).toBe(5);
    });

    it('answers limit=1 with one item and a cursor; the default page holds everything', async () => {
      const one = (await client.get('/shells?limit=1')).json as { result: unknown[]; paging_metadata: { cursor?: string } };
      expect(one.result).toHaveLength(1);
      expect(typeof one.paging_metadata.cursor).toBe('string');
      const all = (await client.get('/shells')).json as { result: unknown[]; paging_metadata: { cursor?: string } };
      expect(all.result).toHaveLength(6);
      expect(all.paging_metadata).toEqual({});
    });

    it('refuses bad limits and cursors with 400, caps huge limits', async () => {
      for (const query of ['limit=0', 'limit=-1', 'limit=abc', 'limit=1.5', 'cursor=', 'cursor=garbage', `cursor=${b64('3.xxxxxxxxxxxxxxxx')}`]) {
        expect((await client.get(`/shells?${query}`)).status, query).toBe(400);
      }
      expect((await client.get('/shells?limit=99999999999999999999')).status).toBe(200);
      const shellCursor = ((await client.get('/shells?limit=1')).json as { paging_metadata: { cursor: string } }).paging_metadata.cursor;
      expect((await client.get(`/submodels?cursor=${shellCursor}`)).status).toBe(400);
    });

    it('pages the lists of every service', async () => {
      for (const path of ['/shell-descriptors', '/submodel-descriptors', `/shells/${b64(SHELL_1)}/submodel-refs`, `/submodels/${b64(SM_RICH)}/submodel-elements`, `/lookup/shells?assetIds=${assetIdParam('manufacturerName', 'OI4 Conformance Lab')}`]) {
        const { items } = await client.walk(path, 2);
        expect(items.length, path).toBeGreaterThan(0);
      }
      const lookup = await client.walk(`/lookup/shells?assetIds=${assetIdParam('manufacturerName', 'OI4 Conformance Lab')}`, 2);
      expect(lookup.pages).toBe(3);
      expect(lookup.items).toHaveLength(6);
    });
  });

  describe('filters', () => {
    it('filters shells by idShort and assetIds; no match is an empty 200', async () => {
      expect(ids((await client.get('/shells?idShort=SampleShell')).json)).toEqual([SHELL_1, SHELL_2]);
      expect(ids((await client.get(`/shells?assetIds=${assetIdParam('serialNumber', 'OI4C-0002')}`)).json)).toEqual([SHELL_2]);
      expect(ids((await client.get(`/shells?assetIds=${assetIdParam('globalAssetId', 'https://example.com/ids/asset/oi4c-sample-001')}`)).json)).toEqual([SHELL_1]);
      const both = `assetIds=${assetIdParam('serialNumber', 'OI4C-0001')}&assetIds=${assetIdParam('manufacturerName', 'OI4 Conformance Lab')}`;
      expect(ids((await client.get(`/shells?${both}`)).json)).toEqual([SHELL_1]);
      const none = await client.get('/shells?idShort=Nobody');
      expect(none.status).toBe(200);
      expect(none.json).toEqual({ result: [], paging_metadata: {} });
      expect((await client.get('/shells?assetIds=notjson')).status).toBe(400);
    });

    it('filters submodels by idShort and semanticId', async () => {
      expect(ids((await client.get('/submodels?idShort=TechnicalData')).json)).toHaveLength(2);
      const operational = ids((await client.get(`/submodels?semanticId=${b64('https://admin-shell.io/oi4c/OperationalData/1/0')}`)).json);
      expect(operational).toEqual(['https://example.com/ids/sm/oi4c-operational-data-003', SM_UNICODE]);
      expect(result((await client.get(`/submodels?semanticId=${b64('urn:none')}`)).json)).toEqual([]);
    });
  });

  describe('modifiers', () => {
    const sm = `/submodels/${b64(SM_RICH)}`;

    it('answers ValueOnly', async () => {
      const value = (await client.get(`${sm}/$value`)).json as Record<string, unknown>;
      expect(value['MaxTemperature']).toBe(85.5);
      expect(value['SerialNumber']).toBe('OI4C-0001');
      expect(value['Counter']).toBe(42);
      expect(value['Description']).toEqual([{ en: 'Sample device of the OI4 conformance lab' }, { de: 'Beispielgerät des OI4-Konformitätslabors' }]);
      expect(value['OperatingRange']).toEqual({ min: 0, max: 100 });
      expect(value['Firmware']).toEqual({ contentType: 'application/octet-stream' });
      expect(value['Manual']).toEqual({ contentType: 'application/pdf', value: '/aasx/files/manual.pdf' });
      expect(value['Electrical']).toEqual({ Voltage: 24, Limits: { MaxCurrent: 2.5 } });
      expect(value['Temperatures']).toEqual([20.5, 21, 21.5]);
      expect((await client.get(`${sm}/submodel-elements/Electrical.Limits.MaxCurrent/$value`)).json).toEqual({ MaxCurrent: 2.5 });
      expect((await client.get(`${sm}/$value?level=core`)).json).toMatchObject({ Electrical: {}, Temperatures: [] });
    });

    it('answers metadata without values or children', async () => {
      const metadata = (await client.get(`${sm}/$metadata`)).json as Record<string, unknown>;
      expect(metadata['id']).toBe(SM_RICH);
      expect(metadata).not.toHaveProperty('submodelElements');
      const element = (await client.get(`${sm}/submodel-elements/Electrical/$metadata`)).json as Record<string, unknown>;
      expect(element['idShort']).toBe('Electrical');
      expect(element).not.toHaveProperty('value');
    });

    it('answers references whose last key names the element', async () => {
      expect((await client.get(`${sm}/$reference`)).json).toEqual({ type: 'ModelReference', keys: [{ type: 'Submodel', value: SM_RICH }] });
      expect((await client.get(`${sm}/submodel-elements/Electrical.Limits.MaxCurrent/$reference`)).json).toEqual({
        type: 'ModelReference',
        keys: [
          { type: 'Submodel', value: SM_RICH },
          { type: 'SubmodelElementCollection', value: 'Electrical' },
          { type: 'SubmodelElementCollection', value: 'Limits' },
          { type: 'Property', value: 'MaxCurrent' },
        ],
      });
      const item = (await client.get(`${sm}/submodel-elements/Temperatures%5B1%5D/$reference`)).json as { keys: { value: string }[] };
      expect(item.keys.at(-1)).toEqual({ type: 'Property', value: '1' });
    });

    it('answers paths that all resolve', async () => {
      const paths = (await client.get(`${sm}/$path`)).json as string[];
      expect(paths).toContain('Electrical.Limits.MaxCurrent');
      expect(paths).toContain('Temperatures[2]');
      for (const path of paths) expect((await client.get(`${sm}/submodel-elements/${encodeURIComponent(path)}`)).status, path).toBe(200);
      expect((await client.get(`${sm}/submodel-elements/Electrical/$path`)).json).toEqual(['Electrical', 'Electrical.Voltage', 'Electrical.Limits', 'Electrical.Limits.MaxCurrent']);
      expect((await client.get(`${sm}/$path?level=core`)).json).not.toContain('Electrical.Voltage');
    });

    it('answers core with direct children only and deep with the whole tree', async () => {
      const deep = (await client.get(`${sm}/submodel-elements/Electrical`)).json as { value: { idShort: string; value?: unknown[] }[] };
      expect(deep.value.find((child) => child.idShort === 'Limits')?.value).toHaveLength(1);
      const core = (await client.get(`${sm}/submodel-elements/Electrical?level=core`)).json as typeof deep;
      expect(core.value.find((child) => child.idShort === 'Limits')?.value).toEqual([]);
      const submodel = (await client.get(`${sm}?level=core`)).json as { submodelElements: { idShort: string; value?: unknown }[] };
      expect(submodel.submodelElements.find((element) => element.idShort === 'Temperatures')?.value).toEqual([]);
    });

    it('leaves Blob values out unless withBlobValue', async () => {
      const without = (await client.get(`${sm}/submodel-elements/Firmware`)).json as Record<string, unknown>;
      expect(without).not.toHaveProperty('value');
      const withBlob = (await client.get(`${sm}/submodel-elements/Firmware?extent=withBlobValue`)).json as Record<string, unknown>;
      expect(withBlob['value']).toBe(Buffer.from([0x4f, 0x49, 0x34, 0x43, 1, 2, 3, 4]).toString('base64'));
      const listed = (await client.get('/submodels')).json as { result: { submodelElements?: { idShort: string; value?: unknown }[] }[] };
      expect(listed.result[0]?.submodelElements?.find((element) => element.idShort === 'Firmware')).not.toHaveProperty('value');
    });

    it('refuses forbidden and unknown modifiers with 400', async () => {
      for (const path of [`${sm}/$metadata?level=core`, `${sm}/$metadata?level=deep`, `${sm}/$metadata?extent=withBlobValue`, `${sm}/$reference?level=deep`, `${sm}/$path?extent=withBlobValue`, `${sm}?level=shallow`, `${sm}?extent=all`]) {
        expect((await client.get(path)).status, path).toBe(400);
      }
      expect((await client.get(`${sm}/$reference?level=core`)).status).toBe(200);
      expect((await client.get(`${sm}/$unknown`)).status).toBe(404);
    });

    it('reaches elements by idShortPath, list items by index', async () => {
      expect(((await client.get(`${sm}/submodel-elements/Temperatures%5B1%5D`)).json as { value: string }).value).toBe('21.0');
      expect((await client.get(`${sm}/submodel-elements/Temperatures[0]`)).status).toBe(200);
      expect((await client.get(`${sm}/submodel-elements/Temperatures%5B3%5D`)).status).toBe(404);
      expect((await client.get(`${sm}/submodel-elements/Electrical.Nothing`)).status).toBe(404);
      expect((await client.get(`${sm}/submodel-elements/..bad`)).status).toBe(400);
    });

    it('answers element lists with the same modifiers', async () => {
      const values = result((await client.get(`${sm}/submodel-elements/$value?limit=2`)).json);
      expect(values).toEqual([{ MaxTemperature: 85.5 }, { SerialNumber: 'OI4C-0001' }]);
      const metadata = result((await client.get(`${sm}/submodel-elements/$metadata`)).json) as Record<string, unknown>[];
      expect(metadata.every((element) => !('value' in element))).toBe(true);
    });

    it('serves attachments of Blob and File', async () => {
      const blob = await client.get(`${sm}/submodel-elements/Firmware/attachment`);
      expect(blob.contentType).toBe('application/octet-stream');
      expect([...blob.bytes]).toEqual([0x4f, 0x49, 0x34, 0x43, 1, 2, 3, 4]);
      expect((await client.get(`${sm}/submodel-elements/Manual/attachment`)).contentType).toBe('application/pdf');
      expect((await client.get(`${sm}/submodel-elements/Counter/attachment`)).status).toBe(404);
    });
  });

  describe('shell operations and superpath', () => {
    const shell = `/shells/${b64(SHELL_1)}`;

    it('answers reference, asset information and submodel references', async () => {
      expect((await client.get(`${shell}/$reference`)).json).toEqual({ type: 'ModelReference', keys: [{ type: 'AssetAdministrationShell', value: SHELL_1 }] });
      expect(((await client.get(`${shell}/asset-information`)).json as { globalAssetId: string }).globalAssetId).toBe('https://example.com/ids/asset/oi4c-sample-001');
      expect(result((await client.get(`${shell}/submodel-refs`)).json)).toEqual([{ type: 'ModelReference', keys: [{ type: 'Submodel', value: SM_RICH }] }]);
      expect(result((await client.get('/shells/$reference?limit=1')).json)).toEqual([{ type: 'ModelReference', keys: [{ type: 'AssetAdministrationShell', value: SHELL_1 }] }]);
      expect((await client.get(`${shell}/asset-information/thumbnail`)).status).toBe(404);
    });

    it('serves the submodels a shell references through it, and 404 for others', async () => {
      const direct = (await client.get(`/submodels/${b64(SM_RICH)}`)).json;
      expect((await client.get(`${shell}/submodels/${b64(SM_RICH)}`)).json).toEqual(direct);
      expect((await client.get(`${shell}/submodels/${b64(SM_RICH)}/submodel-elements/Electrical.Voltage/$value`)).json).toEqual({ Voltage: 24 });
      expect((await client.get(`${shell}/submodels/${b64(SM_RICH)}/$path`)).status).toBe(200);
      expect((await client.get(`${shell}/submodels/${b64(SM_UNICODE)}`)).status).toBe(404);
      expect((await client.get(`/shells/${b64(SHELL_UNICODE)}/submodels/${b64(SM_UNICODE)}/$value`)).json).toEqual({ Temperatur: 23.5, Bezeichnung: 'Prüfstand α – 温度', Zaehler: 7 });
    });

    it('answers only valid Part 1 shells and submodels', async () => {
      for (const item of result((await client.get('/shells')).json)) expect(part1Problems(item, aas.jsonization.assetAdministrationShellFromJsonable)).toEqual([]);
      for (const item of result((await client.get('/submodels?extent=withBlobValue')).json)) expect(part1Problems(item, aas.jsonization.submodelFromJsonable)).toEqual([]);
      // level=core answers nested collections and lists with value [], which Part 1 alone would not allow
      // (lists are absent or non-empty); Part 2's core form is what it is, so it is not held to that rule here
    });
  });

  describe('serialization', () => {
    const query = `?aasIds=${b64(SHELL_1)}&submodelIds=${b64(SM_RICH)},${b64(SM_UNICODE)}&includeConceptDescriptions=false`;

    it('answers the environment asked for as JSON', async () => {
      const reply = await client.get(`/serialization${query}`, { accept: 'application/json' });
      expect(reply.contentType).toBe('application/json');
      const environment = reply.json as { assetAdministrationShells: { id: string }[]; submodels: { id: string }[]; conceptDescriptions?: unknown[] };
      expect(environment.assetAdministrationShells.map((shell) => shell.id)).toEqual([SHELL_1]);
      expect(environment.submodels.map((submodel) => submodel.id)).toEqual([SM_RICH, SM_UNICODE]);
      expect(environment.conceptDescriptions).toBeUndefined();
      expect(part1Problems(environment, aas.jsonization.environmentFromJsonable)).toEqual([]);
      const withCds = (await client.get(`/serialization?aasIds=${b64(SHELL_2)}`)).json as { conceptDescriptions: unknown[]; submodels?: unknown[] };
      expect(withCds.conceptDescriptions).toHaveLength(2);
      expect(withCds.submodels).toBeUndefined();
      expect((await client.get(`/serialization?aasIds=${b64('urn:unknown')}`)).status).toBe(404);
      expect((await client.get('/serialization', { accept: 'text/csv' })).status).toBe(400);
    });

    it('answers well-formed XML in the AAS namespace', async () => {
      const reply = await client.get(`/serialization${query}`, { accept: 'application/xml' });
      expect(reply.contentType).toBe('application/xml');
      expect(reply.text).toContain('<environment xmlns="https://admin-shell.io/aas/3/0">');
      expect(reply.text).toContain('<idShort>Bezeichnung</idShort>');
      expect(reply.text).toContain('<value>Prüfstand α – 温度</value>');
      expect(reply.text).toContain('<submodelElementCollection>');
      // well-formed: every opening tag closed in order
      const stack: string[] = [];
      for (const match of reply.text.replace(/<\?xml[^>]*\?>/, '').matchAll(/<(\/?)([A-Za-z][\w]*)[^>]*?(\/?)>/g)) {
        if (match[3] === '/') continue;
        if (match[1] === '/') expect(stack.pop()).toBe(match[2]);
        else stack.push(match[2] ?? '');
      }
      expect(stack).toEqual([]);
    });

    it('answers an AASX whose origin relationship leads to the environment', async () => {
      const reply = await client.get(`/serialization${query}`, { accept: 'application/asset-administration-shell-package+xml' });
      expect(reply.contentType).toBe('application/asset-administration-shell-package+xml');
      const files = unzip(reply.bytes);
      expect(Object.keys(files)).toEqual(['[Content_Types].xml', '_rels/.rels', 'aasx/aasx-origin', 'aasx/_rels/aasx-origin.rels', 'aasx/data.json']);
      expect(files['_rels/.rels']).toContain('Type="http://admin-shell.io/aasx/relationships/aasx-origin" Target="/aasx/aasx-origin"');
      expect(files['aasx/_rels/aasx-origin.rels']).toContain('Type="http://admin-shell.io/aasx/relationships/aas-spec" Target="/aasx/data.json"');
      expect(part1Problems(JSON.parse(files['aasx/data.json'] ?? ''), aas.jsonization.environmentFromJsonable)).toEqual([]);
    });
  });

  describe('registries', () => {
    it('derives a shell descriptor per shell with absolute endpoints that resolve', async () => {
      const descriptors = result((await client.get('/shell-descriptors')).json) as {
        id: string;
        assetKind: string;
        endpoints: { interface: string; protocolInformation: { href: string } }[];
        submodelDescriptors: { id: string; semanticId?: unknown; endpoints: { protocolInformation: { href: string } }[] }[];
      }[];
      expect(descriptors.map((descriptor) => descriptor.id)).toEqual(sample.assetAdministrationShells.map((shell) => shell.id));
      for (const descriptor of descriptors) {
        expect(descriptor.assetKind).toBe('Instance');
        expect(descriptor.endpoints[0]?.interface).toBe('AAS-3.0');
        const shell = await fetch(descriptor.endpoints[0]?.protocolInformation.href ?? '');
        expect(shell.status).toBe(200);
        for (const submodel of descriptor.submodelDescriptors) {
          expect(submodel.semanticId).toBeDefined();
          const reply = (await fetch(submodel.endpoints[0]?.protocolInformation.href ?? '').then((r) => r.json())) as { id: string };
          expect(reply.id).toBe(submodel.id);
        }
      }
    });

    it('reaches submodel descriptors under their shell and in the submodel registry', async () => {
      const base = `/shell-descriptors/${b64(SHELL_1)}/submodel-descriptors`;
      expect(ids((await client.get(base)).json)).toEqual([SM_RICH]);
      expect(((await client.get(`${base}/${b64(SM_RICH)}`)).json as { id: string }).id).toBe(SM_RICH);
      expect(((await client.get(`/submodel-descriptors/${b64(SM_UNICODE)}`)).json as { id: string }).id).toBe(SM_UNICODE);
      expect(result((await client.get('/shell-descriptors?assetKind=Type')).json)).toEqual([]);
      expect((await client.get('/shell-descriptors?assetKind=Machine')).status).toBe(400);
    });
  });

  describe('discovery', () => {
    it('looks shells up by asset ids, by asset link search, and lists a shell\'s links', async () => {
      const serial = assetIdParam('serialNumber', 'OI4C-0003');
      expect(result((await client.get(`/lookup/shells?assetIds=${serial}`)).json)).toEqual(['https://example.com/ids/aas/oi4c-sample-003']);
      expect(result((await client.get(`/lookup/shells?assetIds=${assetIdParam('serialNumber', 'none')}`)).json)).toEqual([]);
      const search = await client.request('POST', '/lookup/shellsByAssetLink?limit=10', { body: [{ name: 'globalAssetId', value: 'https://example.com/ids/asset/oi4c-sample-005' }] });
      expect(result(search.json)).toEqual([SHELL_UNICODE]);
      expect((await client.get(`/lookup/shells/${b64(SHELL_2)}`)).json).toEqual([
        { name: 'serialNumber', value: 'OI4C-0002' },
        { name: 'manufacturerName', value: 'OI4 Conformance Lab' },
        { name: 'globalAssetId', value: 'https://example.com/ids/asset/oi4c-sample-002' },
      ]);
      expect((await client.get(`/lookup/shells/${b64('urn:unknown')}`)).status).toBe(404);
    });
  });
});

describe('writes', () => {
  let device: RunningAasDevice;
  let client: Client;
  beforeAll(async () => {
    ({ device, client } = await startServer());
  });
  afterAll(() => device.stop());

  const newShell = (id: string, idShort = 'NewShell') => ({ modelType: 'AssetAdministrationShell', id, idShort, assetInformation: { assetKind: 'Instance', globalAssetId: `${id}/asset` } });

  it('creates (201 + Location), refuses duplicates (409), replaces (204) and deletes (204) a shell', async () => {
    const id = 'urn:oi4c:test:write-1';
    const post = await client.request('POST', '/shells', { body: newShell(id) });
    expect(post.status).toBe(201);
    expect(post.headers.get('location')).toBe(`${device.access.baseUrl}/shells/${b64(id)}`);
    expect((await client.get(`/shells/${b64(id)}`)).json).toEqual(newShell(id));
    const again = await client.request('POST', '/shells', { body: newShell(id, 'Other') });
    expect(again.status).toBe(409);
    expect(((await client.get(`/shells/${b64(id)}`)).json as { idShort: string }).idShort).toBe('NewShell');
    expect((await client.request('PUT', `/shells/${b64(id)}`, { body: newShell(id, 'Changed') })).status).toBe(204);
    expect(((await client.get(`/shells/${b64(id)}`)).json as { idShort: string }).idShort).toBe('Changed');
    expect((await client.request('PUT', `/shells/${b64(id)}`, { body: newShell('urn:other') })).status).toBe(400);
    expect((await client.request('DELETE', `/shells/${b64(id)}`)).status).toBe(204);
    expect((await client.get(`/shells/${b64(id)}`)).status).toBe(404);
    expect((await client.request('DELETE', `/shells/${b64(id)}`)).status).toBe(404);
    expect((await client.request('PUT', `/shells/${b64(id)}`, { body: newShell(id) })).status).toBe(404);
  });

  it('refuses bodies that are not JSON or not valid objects with 400', async () => {
    expect((await client.request('POST', '/shells', { rawBody: '{not json', headers: { 'content-type': 'application/json' } })).status).toBe(400);
    expect((await client.request('POST', '/shells', { body: { id: 'urn:x' } })).status).toBe(400);
    expect((await client.request('POST', '/shells', { body: newShell('urn:x', '1 bad') })).status).toBe(400);
    expect((await client.request('POST', '/submodels', { body: [] })).status).toBe(400);
    expect((await client.request('POST', '/shell-descriptors', { body: { id: 'urn:x', endpoints: [{ interface: 'AAS-3.0' }] } })).status).toBe(400);
    expect((await client.request('POST', '/lookup/shellsByAssetLink', { rawBody: 'nope' })).status).toBe(400);
  });

  it('refuses bodies nested too deeply with 400', async () => {
    expect((await client.request('POST', '/shell-descriptors', { rawBody: `{"id":"urn:deep","extensions":${'['.repeat(100000)}${']'.repeat(100000)}}` })).status).toBe(400);
  });

  it('refuses bodies over the cap with 413', async () => {
    const reply = await client.request('POST', '/shells', { rawBody: 'x'.repeat(4 * 1024 * 1024 + 1) });
    expect(reply.status).toBe(413);
  });

  it('writes submodels and their elements', async () => {
    const id = 'urn:oi4c:test:sm-1';
    const submodel = { modelType: 'Submodel', id, idShort: 'Written', submodelElements: [{ modelType: 'Property', idShort: 'A', valueType: 'xs:int', value: '1' }] };
    expect((await client.request('POST', '/submodels', { body: submodel })).status).toBe(201);
    const element = { modelType: 'Property', idShort: 'B', valueType: 'xs:string', value: 'b' };
    expect((await client.request('POST', `/submodels/${b64(id)}/submodel-elements`, { body: element })).status).toBe(201);
    expect((await client.request('POST', `/submodels/${b64(id)}/submodel-elements`, { body: element })).status).toBe(409);
    expect((await client.request('PUT', `/submodels/${b64(id)}/submodel-elements/B`, { body: { ...element, value: 'c' } })).status).toBe(204);
    expect((await client.get(`/submodels/${b64(id)}/$value`)).json).toEqual({ A: 1, B: 'c' });
    expect((await client.request('DELETE', `/submodels/${b64(id)}/submodel-elements/A`)).status).toBe(204);
    expect((await client.get(`/submodels/${b64(id)}/$value`)).json).toEqual({ B: 'c' });
    expect((await client.request('PUT', `/submodels/${b64(id)}`, { body: { ...submodel, idShort: 'Rewritten' } })).status).toBe(204);
    expect(((await client.get(`/submodels/${b64(id)}`)).json as { idShort: string }).idShort).toBe('Rewritten');
    expect((await client.request('DELETE', `/submodels/${b64(id)}`)).status).toBe(204);
    expect((await client.get(`/submodels/${b64(id)}`)).status).toBe(404);
  });

  it('adds elements to collections and lists, keeping the submodel valid', async () => {
    const sm = `/submodels/${b64(SM_RICH)}/submodel-elements`;
    const voltage = { modelType: 'Property', idShort: 'Current', valueType: 'xs:double', value: '1.5' };
    const posted = await client.request('POST', `${sm}/Electrical`, { body: voltage });
    expect(posted.status).toBe(201);
    expect(posted.headers.get('location')).toMatch(/submodel-elements\/Electrical.Current$/);
    expect((await client.get(`${sm}/Electrical.Current/$value`)).json).toEqual({ Current: 1.5 });
    const item = { modelType: 'Property', valueType: 'xs:double', value: '22.5', semanticId: { type: 'ExternalReference', keys: [{ type: 'GlobalReference', value: 'https://admin-shell.io/oi4c/TechnicalData/Temperature/1/0' }] } };
    expect((await client.request('POST', `${sm}/Temperatures`, { body: item })).status).toBe(201);
    expect((await client.get(`${sm}/Temperatures%5B3%5D/$value`)).json).toBe(22.5);
    // AASd-120: list items carry no idShort
    expect((await client.request('POST', `${sm}/Temperatures`, { body: { ...item, idShort: 'Named' } })).status).toBe(400);
    expect((await client.request('POST', `${sm}/Counter`, { body: voltage })).status).toBe(400);
    expect((await client.request('DELETE', `${sm}/Electrical.Limits.MaxCurrent`)).status).toBe(204);
    expect((await client.get(`${sm}/Electrical.Limits`)).json).not.toHaveProperty('value');
  });

  it('writes submodels through the shell that references them', async () => {
    const base = `/shells/${b64('https://example.com/ids/aas/oi4c-sample-003')}/submodels/${b64('https://example.com/ids/sm/oi4c-operational-data-003')}`;
    const element = { modelType: 'Property', idShort: 'Pressure', valueType: 'xs:double', value: '3.5' };
    expect((await client.request('POST', `${base}/submodel-elements`, { body: element })).status).toBe(201);
    expect((await client.get(`/submodels/${b64('https://example.com/ids/sm/oi4c-operational-data-003')}/submodel-elements/Pressure/$value`)).json).toEqual({ Pressure: 3.5 });
    expect((await client.request('PUT', `${base}/submodel-elements/Pressure`, { body: { ...element, value: '4' } })).status).toBe(204);
    expect((await client.get(`${base}/submodel-elements/Pressure/$value`)).json).toEqual({ Pressure: 4 });
    expect((await client.request('POST', `/shells/${b64(SHELL_1)}/submodels/${b64('https://example.com/ids/sm/oi4c-operational-data-003')}/submodel-elements`, { body: element })).status).toBe(404);
  });

  it('adds and removes submodel references of a shell', async () => {
    const shell = `/shells/${b64(SHELL_2)}`;
    const reference = { type: 'ModelReference', keys: [{ type: 'Submodel', value: SM_UNICODE }] };
    expect((await client.request('POST', `${shell}/submodel-refs`, { body: reference })).status).toBe(201);
    expect((await client.request('POST', `${shell}/submodel-refs`, { body: reference })).status).toBe(409);
    expect((await client.get(`${shell}/submodels/${b64(SM_UNICODE)}`)).status).toBe(200);
    expect((await client.request('DELETE', `${shell}/submodel-refs/${b64(SM_UNICODE)}`)).status).toBe(204);
    expect((await client.get(`${shell}/submodels/${b64(SM_UNICODE)}`)).status).toBe(404);
  });

  it('writes descriptors in both registries', async () => {
    const id = 'urn:oi4c:test:descriptor-1';
    const endpoints = [{ interface: 'AAS-3.0', protocolInformation: { href: 'https://example.com/shells/x' } }];
    expect((await client.request('POST', '/shell-descriptors', { body: { id, endpoints } })).status).toBe(201);
    expect((await client.request('POST', '/shell-descriptors', { body: { id, endpoints } })).status).toBe(409);
    const sub = { id: 'urn:oi4c:test:sm-descriptor', endpoints: [{ interface: 'SUBMODEL-3.0', protocolInformation: { href: 'https://example.com/submodels/x' } }] };
    expect((await client.request('POST', `/shell-descriptors/${b64(id)}/submodel-descriptors`, { body: sub })).status).toBe(201);
    expect(ids((await client.get(`/shell-descriptors/${b64(id)}/submodel-descriptors`)).json)).toEqual([sub.id]);
    expect((await client.request('PUT', `/shell-descriptors/${b64(id)}`, { body: { id, idShort: 'Put', endpoints } })).status).toBe(204);
    expect(((await client.get(`/shell-descriptors/${b64(id)}`)).json as { idShort: string }).idShort).toBe('Put');
    expect((await client.request('DELETE', `/shell-descriptors/${b64(id)}`)).status).toBe(204);
    expect((await client.get(`/shell-descriptors/${b64(id)}`)).status).toBe(404);
    expect((await client.request('POST', '/submodel-descriptors', { body: sub })).status).toBe(201);
    expect((await client.request('DELETE', `/submodel-descriptors/${b64(sub.id)}`)).status).toBe(204);
    expect((await client.get(`/submodel-descriptors/${b64(sub.id)}`)).status).toBe(404);
  });

  it('stores, answers and deletes asset links', async () => {
    const id = 'urn:oi4c:test:linked-shell';
    const links = [{ name: 'serialNumber', value: 'X-1' }, { name: 'partId', value: 'P-9' }];
    const post = await client.request('POST', `/lookup/shells/${b64(id)}`, { body: links });
    expect(post.status).toBe(201);
    expect(post.json).toEqual(links);
    expect((await client.get(`/lookup/shells/${b64(id)}`)).json).toEqual(links);
    expect(result((await client.get(`/lookup/shells?assetIds=${assetIdParam('partId', 'P-9')}`)).json)).toEqual([id]);
    expect((await client.request('DELETE', `/lookup/shells/${b64(id)}`)).status).toBe(204);
    expect((await client.get(`/lookup/shells/${b64(id)}`)).status).toBe(404);
  });
});

describe('lifecycle', () => {
  it('restarts on the same port with a fresh store, and stop closes open connections', async () => {
    const first = await startServer();
    const port = Number(new URL(first.device.access.baseUrl).port);
    await first.client.request('DELETE', `/shells/${b64(SHELL_1)}`);
    expect((await first.client.get(`/shells/${b64(SHELL_1)}`)).status).toBe(404);
    await first.device.stop();
    await expect(fetch(`${first.device.access.baseUrl}/description`)).rejects.toThrow();
    const second = await startServer([], port);
    try {
      expect(second.device.access.baseUrl).toBe(first.device.access.baseUrl);
      expect((await second.client.get(`/shells/${b64(SHELL_1)}`)).status).toBe(200);
    } finally {
      await second.device.stop();
    }
  });
});

/** Reads a stored-only ZIP (what our writer produces), checking each entry's CRC-32. */
function unzip(zip: Buffer): Record<string, string> {
  const files: Record<string, string> = {};
  let offset = 0;
  while (zip.readUInt32LE(offset) === 0x04034b50) {
    const method = zip.readUInt16LE(offset + 8);
    const crc = zip.readUInt32LE(offset + 14);
    const size = zip.readUInt32LE(offset + 18);
    const nameLength = zip.readUInt16LE(offset + 26);
    const extraLength = zip.readUInt16LE(offset + 28);
    const name = zip.subarray(offset + 30, offset + 30 + nameLength).toString('utf8');
    const start = offset + 30 + nameLength + extraLength;
    const raw = zip.subarray(start, start + size);
    const data = method === 8 ? inflateRawSync(raw) : raw;
    expect(crc32(data)).toBe(crc);
    files[name] = data.toString('utf8');
    offset = start + size;
  }
  expect(zip.readUInt32LE(offset)).toBe(0x02014b50);
  return files;
}
