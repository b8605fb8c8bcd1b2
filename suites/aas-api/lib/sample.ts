/**
 * The pre-load set (fixtures/samples/aas/environment.json, also packed as sample.aasx): what a read-only
 * server must hold for the checks that need known content, and what the suite seeds into a server with a full
 * profile. Registries and discovery hold what follows from it: a descriptor per shell (with its submodels') and
 * a descriptor per submodel; asset links from each shell's specificAssetIds and globalAssetId.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../../harness/catalog/project.js';
import { isObject } from './http.js';

export const SAMPLE_FILE = 'fixtures/samples/aas/environment.json';

export interface AssetLink {
  readonly name: string;
  readonly value: string;
}

export interface SampleShell {
  readonly id: string;
  readonly idShort: string;
  readonly globalAssetId: string;
  readonly specificAssetIds: readonly AssetLink[];
  readonly submodelIds: readonly string[];
  /** as written in the file, for seeding */
  readonly json: Record<string, unknown>;
}

export interface SampleSubmodel {
  readonly id: string;
  readonly idShort: string;
  /** the value of the semanticId's first key */
  readonly semanticId?: string;
  readonly json: Record<string, unknown>;
}

export interface Sample {
  readonly shells: readonly SampleShell[];
  readonly submodels: readonly SampleSubmodel[];
  /** the submodel the modifier checks read (nested collections, a list, a Blob) and the shell that has it */
  readonly rich: { readonly shellId: string; readonly submodelId: string };
  /** linked to every shell of the set: a lookup that matches them all, to page through */
  readonly sharedLink: AssetLink;
}

let cached: Sample | undefined;

export function sample(): Sample {
  return (cached ??= readSample());
}

function readSample(): Sample {
  const environment = JSON.parse(readFileSync(join(PROJECT_ROOT, SAMPLE_FILE), 'utf8')) as Record<string, unknown>;
  const list = (value: unknown): Record<string, unknown>[] => (Array.isArray(value) ? value.filter(isObject) : []);
  const shells = list(environment['assetAdministrationShells']).map((json): SampleShell => {
    const asset = isObject(json['assetInformation']) ? json['assetInformation'] : {};
    return {
      id: String(json['id']),
      idShort: String(json['idShort']),
      globalAssetId: String(asset['globalAssetId']),
      specificAssetIds: list(asset['specificAssetIds']).map((s) => ({ name: String(s['name']), value: String(s['value']) })),
      submodelIds: list(json['submodels']).map((ref) => String(list(ref['keys'])[0]?.['value'])),
      json,
    };
  });
  const submodels = list(environment['submodels']).map((json): SampleSubmodel => {
    const semantic = isObject(json['semanticId']) ? list(json['semanticId']['keys'])[0]?.['value'] : undefined;
    return { id: String(json['id']), idShort: String(json['idShort']), ...(typeof semantic === 'string' && { semanticId: semantic }), json };
  });
  const rich = submodels.find((s) => s.idShort === 'TechnicalData' && Array.isArray(s.json['submodelElements']) && (s.json['submodelElements'] as unknown[]).length > 5);
  const richShell = rich && shells.find((s) => s.submodelIds.includes(rich.id));
  const shared = shells[0]?.specificAssetIds.find((link) => shells.every((s) => s.specificAssetIds.some((l) => l.name === link.name && l.value === link.value)));
  if (!rich || !richShell || !shared || shells.length < 3 || submodels.length < 3) throw new Error(`${SAMPLE_FILE} lacks what the checks need (a rich TechnicalData submodel of a shell, an asset link all shells share, three shells and submodels)`);
  return { shells, submodels, rich: { shellId: richShell.id, submodelId: rich.id }, sharedLink: shared };
}

/** The asset links discovery holds for a shell: its specific asset ids, and its globalAssetId under that name. */
export function linksOf(shell: SampleShell): AssetLink[] {
  return [...shell.specificAssetIds, { name: 'globalAssetId', value: shell.globalAssetId }];
}

/** An identifier of the set whose base64url form needs padding (its UTF-8 length is not a multiple of 3). */
export function needsPadding(id: string): boolean {
  return Buffer.byteLength(id, 'utf8') % 3 !== 0;
}

/** ASCII only, and short: the identifiers that exercise nothing but the plain encoding. */
export function isPlain(id: string): boolean {
  return /^[\x20-\x7e]{1,200}$/.test(id);
}
