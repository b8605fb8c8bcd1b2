/**
 * Oi4Identifier: `<ManufacturerUri>/<Model>/<ProductCode>/<SerialNumber>` (facts 4.1), the name of an
 * application (AppId) or of an asset (Source). In topics and messages the last three parts are DNP-encoded
 * (facts 4.2); ManufacturerUri is DNS-style and never encoded.
 */
import { dnpCanonical, dnpEncode, dnpProblems, type DnpCheckOptions } from './dnp.js';

export interface Oi4IdentifierParts {
  readonly manufacturerUri: string;
  readonly model: string;
  readonly productCode: string;
  readonly serialNumber: string;
}

export type ParseOi4IdentifierResult =
  | { readonly ok: true; readonly parts: Oi4IdentifierParts }
  | { readonly ok: false; readonly problems: string[] };

/** Facts 4.1 / 5.1: lowercase DNS labels, no scheme. The schema also lets the last label be empty. */
export const MANUFACTURER_URI_PATTERN = /^([a-z0-9-]+\.)*([a-z0-9-]*)$/;
export const OI4_IDENTIFIER_MIN_LENGTH = 9;
export const OI4_IDENTIFIER_MAX_LENGTH = 255;

/** Characters the Oi4Identifier schema forbids in Model, ProductCode and SerialNumber (besides "/"). */
const FORBIDDEN_IN_PART: ReadonlyMap<string, string> = new Map([
  ['`', 'a backtick'],
  ['^', '"^"'],
  ['\r', 'a carriage return'],
  ['\n', 'a line feed'],
]);

const PART_NAMES = ['ManufacturerUri', 'Model', 'ProductCode', 'SerialNumber'] as const;

/**
 * Problems of four identifier parts as they appear in a topic (the topic grammar of facts 2.6 has the same
 * character rules as the identifier schema, but no length limit). `label` prefixes every sentence.
 */
export function identifierPartProblems(parts: readonly string[], label = 'Oi4Identifier'): string[] {
  const problems: string[] = [];
  if (parts.length !== 4) {
    problems.push(`${label} has ${parts.length} part${parts.length === 1 ? '' : 's'}; expected 4 (ManufacturerUri/Model/ProductCode/SerialNumber)`);
    return problems;
  }
  const [manufacturerUri = '', ...rest] = parts;
  if (!MANUFACTURER_URI_PATTERN.test(manufacturerUri)) {
    problems.push(
      `${label} ManufacturerUri "${manufacturerUri}" is not lowercase DNS-style labels (a-z, 0-9, "-" separated by "."), e.g. "acme.com"`,
    );
  }
  rest.forEach((part, i) => {
    const name = PART_NAMES[i + 1] ?? 'part';
    if (part.length === 0) {
      problems.push(`${label} ${name} is empty`);
      return;
    }
    for (const [ch, description] of FORBIDDEN_IN_PART) {
      const at = part.indexOf(ch);
      if (at >= 0) problems.push(`${label} ${name} contains ${description} at index ${at}`);
    }
  });
  return problems;
}

/** Checks an Oi4Identifier against facts 4.1 (not its DNP encoding: see identifierEncodingProblems). */
export function parseOi4Identifier(text: string): ParseOi4IdentifierResult {
  const problems: string[] = [];
  // counted in code points, as JSON Schema minLength/maxLength count them
  const length = [...text].length;
  if (length < OI4_IDENTIFIER_MIN_LENGTH || length > OI4_IDENTIFIER_MAX_LENGTH) {
    problems.push(`Oi4Identifier has ${length} characters; expected ${OI4_IDENTIFIER_MIN_LENGTH} to ${OI4_IDENTIFIER_MAX_LENGTH}`);
  }
  const parts = text.split('/');
  problems.push(...identifierPartProblems(parts));
  if (problems.length > 0) return { ok: false, problems };
  const [manufacturerUri = '', model = '', productCode = '', serialNumber = ''] = parts;
  return { ok: true, parts: { manufacturerUri, model, productCode, serialNumber } };
}

/**
 * DNP-encoding problems of Model, ProductCode and SerialNumber (OI4-ID-006), each sentence prefixed with the
 * part name. Expects four parts; use parseOi4Identifier first for the structure.
 */
export function identifierEncodingProblems(text: string, options: DnpCheckOptions = {}): string[] {
  const parts = text.split('/');
  if (parts.length !== 4) return [`Oi4Identifier has ${parts.length} parts; expected 4`];
  const problems: string[] = [];
  parts.slice(1).forEach((part, i) => {
    for (const problem of dnpProblems(part, options)) problems.push(`${PART_NAMES[i + 1] ?? 'part'}: ${problem}`);
  });
  return problems;
}

/** The fields of a MAM payload (facts 5.1) that make up its Oi4Identifier. */
export interface MamIdentity {
  readonly ManufacturerUri: string;
  readonly Model: { readonly Text: string };
  readonly ProductCode: string;
  readonly SerialNumber: string;
}

function own(value: object, key: string): unknown {
  return Object.prototype.hasOwnProperty.call(value, key) ? (value as Record<string, unknown>)[key] : undefined;
}

/** Narrows an untrusted MAM payload to its identity fields, or undefined when any of them is missing or not text. */
export function mamIdentityOf(payload: unknown): MamIdentity | undefined {
  if (typeof payload !== 'object' || payload === null) return undefined;
  const manufacturerUri = own(payload, 'ManufacturerUri');
  const model = own(payload, 'Model');
  const productCode = own(payload, 'ProductCode');
  const serialNumber = own(payload, 'SerialNumber');
  const modelText = typeof model === 'object' && model !== null ? own(model, 'Text') : undefined;
  if (
    typeof manufacturerUri !== 'string' ||
    typeof modelText !== 'string' ||
    typeof productCode !== 'string' ||
    typeof serialNumber !== 'string'
  ) {
    return undefined;
  }
  return { ManufacturerUri: manufacturerUri, Model: { Text: modelText }, ProductCode: productCode, SerialNumber: serialNumber };
}

/**
 * The Oi4Identifier a MAM describes, as it must appear in topics and Source (facts 4.1/4.2).
 * ManufacturerUri is taken as is: the Go service lower-cases it, but doing that here would hide an uppercase
 * ManufacturerUri that OI4-MAM-002 must report.
 */
export function oi4IdentifierFromMam(mam: MamIdentity): string {
  return [mam.ManufacturerUri, dnpEncode(mam.Model.Text), dnpEncode(mam.ProductCode), dnpEncode(mam.SerialNumber)].join('/');
}

/** The identifier with each part in DNP canonical form (see dnpCanonical), for comparisons. */
export function canonicalIdentifier(text: string): string {
  const [manufacturerUri = '', ...rest] = text.split('/');
  return [manufacturerUri, ...rest.map(dnpCanonical)].join('/');
}

/**
 * True when both name the same identifier: escape hex compared case-insensitively, raw non-ASCII equal to its
 * escaped UTF-8 bytes. ManufacturerUri is compared exactly (it is never encoded).
 */
export function sameIdentifier(a: string, b: string): boolean {
  return canonicalIdentifier(a) === canonicalIdentifier(b);
}
