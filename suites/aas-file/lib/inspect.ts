/**
 * What check-file learns about a file, read once per suite file and shared by its checks: the package (for an
 * AASX) and every environment in it (the file itself for JSON and XML). Each finding is a list of problems
 * for one requirement, or undefined where that requirement could not be decided, with the reason.
 */
import { readFileSync } from 'node:fs';
import { checkMetamodel } from '../../../harness/protocols/aas/metamodel.js';
import { readAasx, type AasxPackage } from '../../../harness/protocols/aas/aasx.js';
import { aasFileFormatOf, type AasFileFormat } from '../../../harness/protocols/aas/file-preflight.js';
import { childrenNamed, parseXml, type XmlElement } from '../../../harness/protocols/aas/xml.js';

export const AAS_NAMESPACES = ['https://admin-shell.io/aas/3/0', 'https://admin-shell.io/aas/3/1'] as const;
const ENVIRONMENT_MEMBERS = ['assetAdministrationShells', 'submodels', 'conceptDescriptions'] as const;
export const NO_XML_SDK = 'the aas-core3.0 TypeScript SDK reads JSON only; Part 1 structure and constraints of an XML environment are not checked by this version';

export type FileFormat = AasFileFormat;

/** An identifiable's id and where it was found, to name both places of a duplicate. */
export interface IdSighting {
  readonly id: string;
  readonly where: string;
  /** for identifiables: shell, submodel or concept description */
  readonly kind?: string;
}

export interface EnvironmentFinding {
  /** "" for a plain file; the part name inside a package */
  readonly part: string;
  readonly format: 'json' | 'xml';
  /** AAS-FILE-001; undefined when the file could not be read at all (an encoding the parser does not know) */
  readonly syntax: readonly string[] | undefined;
  /** AAS-FILE-002; undefined when the file did not parse */
  readonly root: readonly string[] | undefined;
  /** AAS-FILE-003 and -004; undefined: not decided (see `undecidedBecause`) */
  readonly deserialization: readonly string[] | undefined;
  readonly verification: readonly string[] | undefined;
  readonly undecidedBecause: string | undefined;
  /** identifiables, for AAS-FILE-005 */
  readonly ids: readonly IdSighting[];
  /** submodel ids the shells list, for AAS-FILE-006 */
  readonly submodelReferences: readonly IdSighting[];
  /** File values and thumbnail paths, for AASX-PKG-008 */
  readonly fileValues: readonly IdSighting[];
  /** true when the root was an environment and its content could be walked */
  readonly walked: boolean;
}

export interface FileInspection {
  readonly format: FileFormat;
  readonly package: AasxPackage | undefined;
  readonly environments: readonly EnvironmentFinding[];
}

/**
 * Where JSON text first breaks the grammar (RFC 8259), as "line:column: what": JSON.parse's own messages
 * differ between Node versions and do not always give a position. Iterative, so nesting cannot overflow.
 */
export function jsonSyntaxError(text: string): string | undefined {
  let i = 0;
  const stack: string[] = [];
  const at = (message: string) => {
    const before = text.slice(0, i).split('\n');
    return `${before.length}:${before[before.length - 1]!.length + 1}: ${message}`;
  };
  const shown = () => (i >= text.length ? 'the end of the text' : JSON.stringify(text[i]));
  const space = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i]!)) i++;
  };
  const string = (): string | undefined => {
    i++;
    while (i < text.length) {
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        i++;
        return undefined;
      }
      if (c < 0x20) return at('a control character inside a string (escape it)');
      if (c === 0x5c) {
        const next = text[i + 1] ?? '';
        if (next === 'u') {
          if (!/^[0-9A-Fa-f]{4}$/.test(text.slice(i + 2, i + 6))) return at('\\u must be followed by four hex digits');
          i += 6;
        } else if ('"\\/bfnrt'.includes(next) && next !== '') i += 2;
        else return at(`invalid escape \\${next}`);
      } else i++;
    }
    return at('a string is not closed');
  };
  const NUMBER = /-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/y;
  let state: 'value' | 'key' | 'after' = 'value';
  for (;;) {
    space();
    if (state === 'value') {
      const c = text[i];
      if (c === '{' || c === '[') {
        stack.push(c);
        i++;
        space();
        if (text[i] === (c === '{' ? '}' : ']')) {
          stack.pop();
          i++;
          state = 'after';
        } else state = c === '{' ? 'key' : 'value';
      } else if (c === '"') {
        const problem = string();
        if (problem) return problem;
        state = 'after';
      } else if (c !== undefined && /[-0-9]/.test(c)) {
        NUMBER.lastIndex = i;
        const match = NUMBER.exec(text);
        if (!match || match[0] === '-') return at('an invalid number');
        i += match[0].length;
        state = 'after';
      } else {
        const literal = ['true', 'false', 'null'].find((l) => text.startsWith(l, i));
        if (!literal) return at(`expected a value, found ${shown()}`);
        i += literal.length;
        state = 'after';
      }
    } else if (state === 'key') {
      if (text[i] !== '"') return at(`expected a property name in double quotes, found ${shown()}`);
      const problem = string();
      if (problem) return problem;
      space();
      if (text[i] !== ':') return at(`expected ":" after the property name, found ${shown()}`);
      i++;
      state = 'value';
    } else {
      const top = stack[stack.length - 1];
      if (top === undefined) return i < text.length ? at(`unexpected ${shown()} after the JSON value`) : undefined;
      const close = top === '{' ? '}' : ']';
      if (text[i] === ',') {
        i++;
        state = top === '{' ? 'key' : 'value';
      } else if (text[i] === close) {
        stack.pop();
        i++;
      } else return at(`expected "," or "${close}", found ${shown()}`);
    }
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function arrayOf(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** The first key's value of a ModelReference whose first key is a Submodel. */
function submodelIdOf(reference: unknown): string | undefined {
  if (!isRecord(reference)) return undefined;
  const key = arrayOf(reference['keys'])[0];
  return isRecord(key) && key['type'] === 'Submodel' && typeof key['value'] === 'string' ? key['value'] : undefined;
}

/** File elements anywhere, walked without recursion (a deep file must not overflow the stack). */
function jsonFileValues(root: unknown, part: string): IdSighting[] {
  const found: IdSighting[] = [];
  const stack: { value: unknown; pointer: string }[] = [{ value: root, pointer: '' }];
  while (stack.length > 0) {
    const { value, pointer } = stack.pop()!;
    if (Array.isArray(value)) value.forEach((item, i) => stack.push({ value: item, pointer: `${pointer}/${i}` }));
    else if (isRecord(value)) {
      if (value['modelType'] === 'File' && typeof value['value'] === 'string') found.push({ id: value['value'], where: `${part}${pointer}/value` });
      for (const [key, item] of Object.entries(value)) {
        if (key === 'defaultThumbnail' && isRecord(item) && typeof item['path'] === 'string') found.push({ id: item['path'], where: `${part}${pointer}/defaultThumbnail/path` });
        if (typeof item === 'object' && item !== null) stack.push({ value: item, pointer: `${pointer}/${key}` });
      }
    }
  }
  return found.reverse();
}

/** How a location inside a part is written: "/aasx/data.json#/submodels/0" in a package, "/submodels/0" in a plain file. */
function jsonLabel(part: string): string {
  return part ? `${part}#` : '';
}

function xmlLabel(part: string, line: number): string {
  return part ? `${part} line ${line}` : `line ${line}`;
}

function inspectJson(bytes: Uint8Array, part: string): EnvironmentFinding {
  const label = jsonLabel(part);
  const base = { part, format: 'json' as const, ids: [], submodelReferences: [], fileValues: [], walked: false };
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return { ...base, syntax: ['the file is not valid UTF-8'], root: undefined, deserialization: undefined, verification: undefined, undecidedBecause: 'the file is not valid UTF-8' };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const message = error instanceof Error ? error.message.split('\n')[0]! : String(error);
    const problem = text.trim() === '' ? 'the file is empty; expected a JSON object' : (jsonSyntaxError(text) ?? `the JSON does not parse: ${message}`);
    return { ...base, syntax: [problem], root: undefined, deserialization: undefined, verification: undefined, undecidedBecause: 'the JSON does not parse' };
  }
  if (!isRecord(value)) {
    const seen = Array.isArray(value) ? 'an array' : value === null ? 'null' : `a ${typeof value}`;
    return { ...base, syntax: [], root: [`the root is ${seen}; expected an object (Environment)`], deserialization: undefined, verification: undefined, undecidedBecause: 'the root is not an environment' };
  }
  // Members the metamodel does not know are ignored by the SDK; an object with nothing but such members is no
  // environment at all (a typo like "submodel", or another JSON document), while an empty {} is one
  const members = Object.keys(value);
  if (members.length > 0 && !members.some((m) => (ENVIRONMENT_MEMBERS as readonly string[]).includes(m))) {
    return {
      ...base,
      syntax: [],
      root: [`the root object has none of ${ENVIRONMENT_MEMBERS.join(', ')}; its members are ${members.slice(0, 10).join(', ')}${members.length > 10 ? ', …' : ''}: not an environment`],
      deserialization: undefined,
      verification: undefined,
      undecidedBecause: 'the root is not an environment',
    };
  }
  const metamodel = checkMetamodel('Environment', value);
  const ids: IdSighting[] = [];
  const submodelReferences: IdSighting[] = [];
  const lists = [
    ['assetAdministrationShells', 'shell'],
    ['submodels', 'submodel'],
    ['conceptDescriptions', 'concept description'],
  ] as const;
  for (const [list, kind] of lists) {
    arrayOf(value[list]).forEach((item, i) => {
      if (isRecord(item) && typeof item['id'] === 'string') ids.push({ id: item['id'], where: `${label}/${list}/${i}/id`, kind });
      if (list !== 'assetAdministrationShells' || !isRecord(item)) return;
      arrayOf(item['submodels']).forEach((reference, j) => {
        const id = submodelIdOf(reference);
        if (id !== undefined) submodelReferences.push({ id, where: `${label}/${list}/${i}/submodels/${j}` });
      });
    });
  }
  return {
    ...base,
    syntax: [],
    root: [],
    deserialization: metamodel.deserialization,
    verification: metamodel.deserialization.length ? undefined : metamodel.verification,
    undecidedBecause: metamodel.deserialization.length ? 'the environment does not deserialise (AAS-FILE-003)' : undefined,
    ids,
    submodelReferences,
    fileValues: jsonFileValues(value, label),
    walked: true,
  };
}

function textOfChild(element: XmlElement, name: string, namespace: string): string | undefined {
  return childrenNamed(element, name, namespace)[0]?.text.trim();
}

/** File elements and thumbnails anywhere in an XML environment, walked without recursion. */
function xmlFileValues(root: XmlElement, namespace: string, part: string): IdSighting[] {
  const found: IdSighting[] = [];
  const stack: XmlElement[] = [root];
  while (stack.length > 0) {
    const element = stack.pop()!;
    if (element.namespace === namespace) {
      const where = xmlLabel(part, element.line);
      if (element.localName === 'file') {
        const value = textOfChild(element, 'value', namespace);
        if (value) found.push({ id: value, where: `${where} (file)` });
      }
      if (element.localName === 'defaultThumbnail') {
        const path = textOfChild(element, 'path', namespace);
        if (path) found.push({ id: path, where: `${where} (defaultThumbnail)` });
      }
    }
    for (let i = element.children.length - 1; i >= 0; i--) stack.push(element.children[i]!);
  }
  return found;
}

function inspectXml(bytes: Uint8Array, part: string): EnvironmentFinding {
  const base = { part, format: 'xml' as const, ids: [], submodelReferences: [], fileValues: [], walked: false };
  const document = parseXml(bytes);
  if (document.unsupportedEncoding !== undefined) {
    const why = `the XML declares encoding ${document.unsupportedEncoding}, which this checker does not read (UTF-8 and UTF-16 only)`;
    return { ...base, syntax: undefined, root: undefined, deserialization: undefined, verification: undefined, undecidedBecause: why };
  }
  if (!document.root) return { ...base, syntax: document.problems, root: undefined, deserialization: undefined, verification: undefined, undecidedBecause: 'the XML is not well-formed' };
  const root = document.root;
  const namespace = (AAS_NAMESPACES as readonly string[]).find((ns) => ns === root.namespace);
  if (root.localName !== 'environment' || namespace === undefined) {
    return {
      ...base,
      syntax: [],
      root: [`the root is <${root.name}> in ${root.namespace ?? 'no namespace'}; expected <environment> in ${AAS_NAMESPACES.join(' or ')}`],
      deserialization: undefined,
      verification: undefined,
      undecidedBecause: 'the root is not an AAS environment',
    };
  }
  const ids: IdSighting[] = [];
  const submodelReferences: IdSighting[] = [];
  const lists = [
    ['assetAdministrationShells', 'assetAdministrationShell', 'shell'],
    ['submodels', 'submodel', 'submodel'],
    ['conceptDescriptions', 'conceptDescription', 'concept description'],
  ] as const;
  for (const [list, item, kind] of lists) {
    for (const container of childrenNamed(root, list, namespace)) {
      for (const element of childrenNamed(container, item, namespace)) {
        const id = textOfChild(element, 'id', namespace);
        if (id) ids.push({ id, where: xmlLabel(part, element.line), kind });
        if (item !== 'assetAdministrationShell') continue;
        for (const submodels of childrenNamed(element, 'submodels', namespace)) {
          for (const reference of childrenNamed(submodels, 'reference', namespace)) {
            const key = childrenNamed(childrenNamed(reference, 'keys', namespace)[0] ?? reference, 'key', namespace)[0];
            if (key && textOfChild(key, 'type', namespace) === 'Submodel') {
              const value = textOfChild(key, 'value', namespace);
              if (value) submodelReferences.push({ id: value, where: xmlLabel(part, reference.line) });
            }
          }
        }
      }
    }
  }
  return {
    ...base,
    syntax: [],
    root: [],
    deserialization: undefined,
    verification: undefined,
    undecidedBecause: NO_XML_SDK,
    ids,
    submodelReferences,
    fileValues: xmlFileValues(root, namespace, part),
    walked: true,
  };
}

/** Inspects bytes as the given format; `part` prefixes every location. Never throws. */
export function inspectBytes(bytes: Uint8Array, format: FileFormat): FileInspection {
  if (format === 'json') return { format, package: undefined, environments: [inspectJson(bytes, '')] };
  if (format === 'xml') return { format, package: undefined, environments: [inspectXml(bytes, '')] };
  const pkg = readAasx(bytes);
  const environments = pkg.specs.filter((s) => s.format !== undefined).map((s) => (s.format === 'json' ? inspectJson(s.bytes, s.name) : inspectXml(s.bytes, s.name)));
  return { format, package: pkg, environments };
}

const cache = new Map<string, FileInspection>();

/** Inspects a file once per process (the checks of one suite file share it). */
export function inspectFile(path: string): FileInspection {
  const known = cache.get(path);
  if (known) return known;
  const format = aasFileFormatOf(path);
  if (format === undefined) throw new Error(`${path}: expected a .json, .xml or .aasx file`);
  const inspection = inspectBytes(readFileSync(path), format);
  cache.set(path, inspection);
  return inspection;
}
