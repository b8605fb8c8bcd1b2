/**
 * Reading an AASX package (AAS Part 5: an OPC package in a ZIP file) as far as check-file needs: its parts,
 * their content types, the relationships from the package root to the aasx-origin part and from there to
 * the aas-spec parts (the environments), and what is wrong on the way.
 *
 * The problems are kept per area, because each area is its own requirement of the file check (a package
 * whose content types are incomplete may still have perfectly good environments). Never throws.
 */
import { parseXml, attributeOf, type XmlElement } from './xml.js';
import { readZip, type ZipLimits } from './zip.js';

export const REL_ORIGIN = 'http://admin-shell.io/aasx/relationships/aasx-origin';
export const REL_SPEC = 'http://admin-shell.io/aasx/relationships/aas-spec';
export const REL_SUPPLEMENTARY = 'http://admin-shell.io/aasx/relationships/aas-suppl';
/** The first AASX packages used www.admin-shell.io; still accepted, with a warning (as other checkers do). */
const DEPRECATED_PREFIX = 'http://www.admin-shell.io/aasx/relationships/';
const CURRENT_PREFIX = 'http://admin-shell.io/aasx/relationships/';
export const NS_RELATIONSHIPS = 'http://schemas.openxmlformats.org/package/2006/relationships';
export const NS_CONTENT_TYPES = 'http://schemas.openxmlformats.org/package/2006/content-types';
const CONTENT_TYPES_PART = '/[Content_Types].xml';
const ROOT_RELS = '/_rels/.rels';

export interface AasxRelationship {
  /** the part the relationship belongs to ("/" for the package itself) */
  readonly source: string;
  /** the .rels part it is written in */
  readonly relsPart: string;
  readonly id: string;
  /** the type as written */
  readonly type: string;
  /** the type with a deprecated www. prefix mapped to the current one */
  readonly normalizedType: string;
  readonly deprecatedType: boolean;
  /** the target as written */
  readonly target: string;
  /** the resolved part name ("/aasx/data.json") of an internal target */
  readonly targetPart: string | undefined;
  readonly external: boolean;
}

export interface AasxSpecPart {
  /** part name, with its leading "/" */
  readonly name: string;
  readonly bytes: Uint8Array;
  /** by extension, else by content type */
  readonly format: 'json' | 'xml' | undefined;
  readonly contentType: string | undefined;
}

export interface AasxProblems {
  /** the ZIP container */
  readonly zip: readonly string[];
  /** part names: valid and unique (OPC) */
  readonly partNames: readonly string[];
  /** [Content_Types].xml present, well-formed, covering every part */
  readonly contentTypes: readonly string[];
  /** exactly one aasx-origin relationship from the package root, to a part that exists */
  readonly origin: readonly string[];
  /** at least one aas-spec part from the origin, each JSON or XML and present */
  readonly spec: readonly string[];
  /** every .rels part well-formed, every internal target present */
  readonly relationships: readonly string[];
}

export interface AasxPackage {
  /** false when the ZIP could not be read at all: nothing else was looked at */
  readonly readable: boolean;
  /** every part by name (with its leading "/"); folder entries are left out */
  readonly parts: ReadonlyMap<string, Uint8Array>;
  readonly contentTypeOf: (partName: string) => string | undefined;
  readonly problems: AasxProblems;
  readonly warnings: readonly string[];
  /** the aasx-origin part, when one was found */
  readonly origin: string | undefined;
  /** how many aasx-origin relationships the package root has */
  readonly originCount: number;
  readonly specs: readonly AasxSpecPart[];
  readonly relationships: readonly AasxRelationship[];
  /** relationship types written with the deprecated http://www.admin-shell.io/ prefix */
  readonly deprecatedTypes: readonly string[];
}

/** The part names as ZIP item names are compared (OPC: ASCII case-insensitive). */
function foldCase(name: string): string {
  return name.toLowerCase();
}

function decodePartName(name: string): string {
  try {
    return decodeURIComponent(name);
  } catch {
    return name;
  }
}

/** The problems of one part name (ECMA-376 Part 2, part names), or undefined. */
function partNameProblem(item: string): string | undefined {
  if (item.startsWith('/')) return 'starts with "/" (a ZIP item name is the part name without it)';
  if (item.includes('\\')) return 'contains "\\"';
  const segments = item.split('/');
  if (segments.some((s) => s === '')) return 'has an empty segment';
  if (segments.some((s) => s === '.' || s === '..')) return 'has a "." or ".." segment';
  if (segments.some((s) => s.endsWith('.'))) return 'has a segment ending with "."';
  return undefined;
}

/** The .rels part that holds the relationships of a part: /a/b.xml -> /a/_rels/b.xml.rels. */
export function relsPartOf(partName: string): string {
  if (partName === '/') return ROOT_RELS;
  const slash = partName.lastIndexOf('/');
  return `${partName.slice(0, slash)}/_rels/${partName.slice(slash + 1)}.rels`;
}

/** The part a .rels part speaks for: /a/_rels/b.xml.rels -> /a/b.xml; /_rels/.rels -> "/". */
function sourceOfRels(relsPart: string): string | undefined {
  const match = /^(.*)\/_rels\/([^/]*)\.rels$/.exec(relsPart);
  if (!match) return undefined;
  if (match[1] === '' && match[2] === '') return '/';
  return `${match[1]}/${match[2]}`;
}

/** Resolves a relationship target against its source part, as a part name; undefined when it leaves the package. */
function resolveTarget(source: string, target: string): string | undefined {
  const path = target.split(/[?#]/)[0] ?? '';
  const base = source === '/' ? [] : source.split('/').slice(1, -1);
  const segments = path.startsWith('/') ? [] : base;
  for (const segment of path.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') {
      if (segments.length === 0) return undefined;
      segments.pop();
    } else segments.push(decodePartName(segment));
  }
  return '/' + segments.join('/');
}

function formatOf(name: string, contentType: string | undefined): 'json' | 'xml' | undefined {
  if (/\.json$/i.test(name)) return 'json';
  if (/\.xml$/i.test(name)) return 'xml';
  if (contentType && /json/i.test(contentType)) return 'json';
  if (contentType && /xml/i.test(contentType)) return 'xml';
  return undefined;
}

export interface AasxLimits {
  readonly zip?: Partial<ZipLimits>;
}

/** Reads an AASX package from memory. Never throws. */
export function readAasx(bytes: Uint8Array, limits: AasxLimits = {}): AasxPackage {
  const zip = readZip(bytes, limits.zip);
  const problems = { zip: [...zip.problems], partNames: [] as string[], contentTypes: [] as string[], origin: [] as string[], spec: [] as string[], relationships: [] as string[] };
  const warnings: string[] = [];
  const parts = new Map<string, Uint8Array>();
  const empty: AasxPackage = {
    readable: false,
    parts,
    contentTypeOf: () => undefined,
    problems,
    warnings,
    origin: undefined,
    originCount: 0,
    specs: [],
    relationships: [],
    deprecatedTypes: [],
  };
  if (!zip.readable) return empty;
  if (zip.entries.length === 0) problems.zip.push('the archive has no entries');

  // parts, by name; ZIP folder entries are no parts
  const folded = new Map<string, string>();
  for (const entry of zip.entries) {
    if (entry.name.endsWith('/') && entry.size === 0) continue;
    const problem = partNameProblem(entry.name);
    if (problem) problems.partNames.push(`"${entry.name}" ${problem}`);
    const name = '/' + entry.name;
    const key = foldCase(decodePartName(name));
    const earlier = folded.get(key);
    if (earlier !== undefined) problems.partNames.push(`"${entry.name}" and "${earlier.slice(1)}" name the same part (names are compared without case)`);
    else folded.set(key, name);
    if (entry.data) parts.set(name, entry.data);
  }
  const findPart = (name: string): string | undefined => folded.get(foldCase(decodePartName(name)));

  // content types
  const defaults = new Map<string, string>();
  const overrides = new Map<string, string>();
  const contentTypesName = findPart(CONTENT_TYPES_PART);
  const contentTypesBytes = contentTypesName ? parts.get(contentTypesName) : undefined;
  if (!contentTypesBytes) problems.contentTypes.push('[Content_Types].xml is missing');
  else {
    const document = parseXml(contentTypesBytes);
    if (!document.root) problems.contentTypes.push(...document.problems.map((p) => `[Content_Types].xml ${p}`));
    else if (document.root.localName !== 'Types' || document.root.namespace !== NS_CONTENT_TYPES) {
      problems.contentTypes.push(`[Content_Types].xml: the root is <${document.root.name}> in ${document.root.namespace ?? 'no namespace'}; expected <Types> in ${NS_CONTENT_TYPES}`);
    } else {
      for (const child of document.root.children) {
        const contentType = attributeOf(child, 'ContentType');
        if (child.localName === 'Default' && child.namespace === NS_CONTENT_TYPES) {
          const extension = attributeOf(child, 'Extension');
          if (!extension || !contentType) problems.contentTypes.push(`[Content_Types].xml ${child.line}:${child.column}: <Default> needs Extension and ContentType`);
          else defaults.set(extension.toLowerCase(), contentType);
        } else if (child.localName === 'Override' && child.namespace === NS_CONTENT_TYPES) {
          const partName = attributeOf(child, 'PartName');
          if (!partName || !contentType) problems.contentTypes.push(`[Content_Types].xml ${child.line}:${child.column}: <Override> needs PartName and ContentType`);
          else overrides.set(foldCase(decodePartName(partName)), contentType);
        } else problems.contentTypes.push(`[Content_Types].xml ${child.line}:${child.column}: unexpected element <${child.name}>`);
      }
    }
  }
  const contentTypeOf = (partName: string): string | undefined => {
    const override = overrides.get(foldCase(decodePartName(partName)));
    if (override !== undefined) return override;
    const dot = partName.lastIndexOf('.');
    return dot > partName.lastIndexOf('/') ? defaults.get(partName.slice(dot + 1).toLowerCase()) : undefined;
  };
  if (contentTypesBytes && problems.contentTypes.length === 0) {
    for (const name of parts.keys()) {
      if (name === contentTypesName) continue;
      if (contentTypeOf(name) === undefined) problems.contentTypes.push(`${name} has no content type (no <Override> for it, no <Default> for its extension)`);
    }
  }

  // relationships: every .rels part
  const relationships: AasxRelationship[] = [];
  for (const [relsPart, data] of parts) {
    const source = sourceOfRels(relsPart);
    if (source === undefined) continue;
    const document = parseXml(data);
    if (!document.root) {
      problems.relationships.push(...document.problems.map((p) => `${relsPart} ${p}`));
      continue;
    }
    if (document.root.localName !== 'Relationships' || document.root.namespace !== NS_RELATIONSHIPS) {
      problems.relationships.push(`${relsPart}: the root is <${document.root.name}> in ${document.root.namespace ?? 'no namespace'}; expected <Relationships> in ${NS_RELATIONSHIPS}`);
      continue;
    }
    if (source !== '/' && !findPart(source)) problems.relationships.push(`${relsPart} holds the relationships of ${source}, which is not in the package`);
    const ids = new Set<string>();
    for (const element of document.root.children) {
      const relationship = readRelationship(element, source, relsPart, problems.relationships);
      if (!relationship) continue;
      if (ids.has(relationship.id)) problems.relationships.push(`${relsPart}: relationship Id "${relationship.id}" is used twice`);
      ids.add(relationship.id);
      relationships.push(relationship);
      if (!relationship.external) {
        if (relationship.targetPart === undefined) problems.relationships.push(`${relsPart}: relationship ${relationship.id} points outside the package ("${relationship.target}")`);
        else if (!findPart(relationship.targetPart)) problems.relationships.push(`${relsPart}: relationship ${relationship.id} (${relationship.type}) points to ${relationship.targetPart}, which is not in the package`);
      }
    }
  }
  if (!findPart(ROOT_RELS)) problems.origin.push('_rels/.rels (the package relationships) is missing');

  // origin: from the package root
  const origins = relationships.filter((r) => r.source === '/' && r.normalizedType === REL_ORIGIN);
  if (findPart(ROOT_RELS) && origins.length === 0) problems.origin.push(`_rels/.rels has no relationship of type ${REL_ORIGIN}`);
  if (origins.length > 1) {
    problems.origin.push(`_rels/.rels has ${origins.length} aasx-origin relationships (${origins.map((o) => o.id).join(', ')}); expected exactly one`);
    warnings.push(`there are ${origins.length} aasx-origin relationships; the first (${origins[0]!.id}) is used`);
  }
  const originRelationship = origins[0];
  const origin = originRelationship?.targetPart !== undefined ? findPart(originRelationship.targetPart) : undefined;
  if (originRelationship && !origin) problems.origin.push(`the aasx-origin relationship points to ${originRelationship.targetPart ?? originRelationship.target}, which is not in the package`);

  // aas-spec parts: from the origin
  const specs: AasxSpecPart[] = [];
  if (origin) {
    const specRelationships = relationships.filter((r) => r.source === origin && r.normalizedType === REL_SPEC);
    if (specRelationships.length === 0) problems.spec.push(`the origin ${origin} has no aas-spec relationship (in ${relsPartOf(origin)}); expected at least one`);
    for (const relationship of specRelationships) {
      const name = relationship.targetPart !== undefined ? findPart(relationship.targetPart) : undefined;
      const data = name !== undefined ? parts.get(name) : undefined;
      if (name === undefined || data === undefined) {
        problems.spec.push(`aas-spec relationship ${relationship.id} points to ${relationship.targetPart ?? relationship.target}, which is not in the package`);
        continue;
      }
      if (specs.some((s) => s.name === name)) continue;
      const contentType = contentTypeOf(name);
      const format = formatOf(name, contentType);
      if (format === undefined) problems.spec.push(`aas-spec part ${name} is neither JSON nor XML (by its extension and its content type ${contentType ?? 'none'})`);
      specs.push({ name, bytes: data, format, contentType });
    }
  } else if (origins.length > 0 || findPart(ROOT_RELS)) {
    problems.spec.push('no aas-spec part can be found without an aasx-origin part');
  }

  const deprecatedTypes = [...new Set(relationships.filter((r) => r.deprecatedType).map((r) => r.type))];
  for (const type of deprecatedTypes) warnings.push(`relationship type ${type} is deprecated; use ${type.replace(DEPRECATED_PREFIX, CURRENT_PREFIX)}`);
  return { readable: true, parts, contentTypeOf, problems, warnings, origin, originCount: origins.length, specs, relationships, deprecatedTypes };
}

function readRelationship(element: XmlElement, source: string, relsPart: string, problems: string[]): AasxRelationship | undefined {
  if (element.localName !== 'Relationship' || element.namespace !== NS_RELATIONSHIPS) {
    problems.push(`${relsPart} ${element.line}:${element.column}: unexpected element <${element.name}>`);
    return undefined;
  }
  const id = attributeOf(element, 'Id');
  const type = attributeOf(element, 'Type');
  const target = attributeOf(element, 'Target');
  const mode = attributeOf(element, 'TargetMode') ?? 'Internal';
  if (!id || !type || target === undefined) {
    problems.push(`${relsPart} ${element.line}:${element.column}: a <Relationship> needs Id, Type and Target`);
    return undefined;
  }
  if (mode !== 'Internal' && mode !== 'External') problems.push(`${relsPart}: relationship ${id} has TargetMode "${mode}"; expected Internal or External`);
  const external = mode === 'External';
  const deprecatedType = type.startsWith(DEPRECATED_PREFIX);
  return {
    source,
    relsPart,
    id,
    type,
    normalizedType: deprecatedType ? CURRENT_PREFIX + type.slice(DEPRECATED_PREFIX.length) : type,
    deprecatedType,
    target,
    targetPart: external ? undefined : resolveTarget(source, target),
    external,
  };
}
