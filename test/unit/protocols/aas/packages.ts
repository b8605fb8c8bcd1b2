/**
 * Test packages and environments: the sample AASX and environment with one thing broken each. Shared by the
 * unit tests of the AASX reader and the check-file matrix (test/check-file.test.ts).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MANUAL_PART, SAMPLE_DIR, SPEC_PART, sampleAasxEntries } from '../../../../fixtures/samples/aas/make-aasx.js';
import { writeZip, type ZipInput } from '../../../../harness/protocols/aas/zip.js';

export const ORIGIN = 'http://admin-shell.io/aasx/relationships/aasx-origin';
export const SPEC = 'http://admin-shell.io/aasx/relationships/aas-spec';
export const SUPPL = 'http://admin-shell.io/aasx/relationships/aas-suppl';

export function relationships(items: readonly [id: string, type: string, target: string][]): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
${items.map(([id, type, target]) => `  <Relationship Id="${id}" Type="${type}" Target="${target}"/>`).join('\n')}
</Relationships>
`;
}

export function sampleEnvironment(): Record<string, unknown> {
  return JSON.parse(readFileSync(join(SAMPLE_DIR, 'environment.json'), 'utf8')) as Record<string, unknown>;
}

/** The sample's entries with some replaced (by name; data undefined removes), then extra ones appended. */
export function sampleWith(replace: Readonly<Record<string, string | Uint8Array | undefined>> = {}, extra: readonly ZipInput[] = []): Uint8Array {
  const entries = sampleAasxEntries()
    .filter((e) => !(e.name in replace) || replace[e.name] !== undefined)
    .map((e) => (e.name in replace ? { ...e, data: replace[e.name]! } : e));
  return writeZip([...entries, ...extra]);
}

export const AAS_XML_NS = 'https://admin-shell.io/aas/3/0';

/** A small environment in XML: a shell listing one submodel, the submodel with a File element. */
export function xmlEnvironment(options: { namespace?: string; root?: string; submodelIds?: string[]; referenced?: string; fileValue?: string } = {}): string {
  const ns = options.namespace ?? AAS_XML_NS;
  const root = options.root ?? 'environment';
  const ids = options.submodelIds ?? ['urn:sm:1'];
  return `<?xml version="1.0" encoding="UTF-8"?>
<${root} xmlns="${ns}">
  <assetAdministrationShells>
    <assetAdministrationShell>
      <idShort>Shell</idShort>
      <id>urn:aas:1</id>
      <assetInformation><assetKind>Instance</assetKind><globalAssetId>urn:asset:1</globalAssetId></assetInformation>
      <submodels>
        <reference><type>ModelReference</type><keys><key><type>Submodel</type><value>${options.referenced ?? ids[0]}</value></key></keys></reference>
      </submodels>
    </assetAdministrationShell>
  </assetAdministrationShells>
  <submodels>
${ids.map((id) => `    <submodel><idShort>Docs</idShort><id>${id}</id><submodelElements><file><idShort>Manual</idShort><contentType>application/pdf</contentType><value>${options.fileValue ?? `/${MANUAL_PART}`}</value></file></submodelElements></submodel>`).join('\n')}
  </submodels>
</${root}>
`;
}

/** The sample with its JSON environment replaced by an XML one (content types and relationships adjusted). */
export function xmlSample(xml: string = xmlEnvironment()): Uint8Array {
  const xmlPart = 'aasx/environment/environment.aas.xml';
  return sampleWith(
    {
      [SPEC_PART]: undefined,
      'aasx/environment/_rels/environment.aas.json.rels': undefined,
      'aasx/_rels/aasx-origin.rels': relationships([['spec', SPEC, `/${xmlPart}`]]),
      '[Content_Types].xml': readContentTypes().replace('<Default Extension="json"', '<Default Extension="xml" ContentType="application/xml"/>\n  <Default Extension="json"'),
    },
    [{ name: xmlPart, data: xml }],
  );
}

export function readContentTypes(): string {
  const entry = sampleAasxEntries().find((e) => e.name === '[Content_Types].xml')!;
  return typeof entry.data === 'string' ? entry.data : Buffer.from(entry.data).toString('utf8');
}

export { MANUAL_PART, SPEC_PART };
