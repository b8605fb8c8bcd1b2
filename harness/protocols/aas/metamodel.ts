/**
 * AAS Part 1 (metamodel) checking of parsed JSON with the aas-core3.0 TypeScript SDK: deserialization
 * (structure, types, modelType, enumerations) and then verification (the metamodel constraints AASd-… and AASc-…
 * and the patterns of its value types). Both kinds of error become one line each, starting with the JSON
 * pointer of the value: "/submodelElements/3/idShort: …".
 *
 * Never throws: a value the SDK cannot digest is a problem like any other, so a check of a vendor's payload
 * never ends in a stack trace.
 */
import { createRequire } from 'node:module';
import type * as Aas from '@aas-core-works/aas-core3.0-typescript';

// The SDK's ESM build imports its own modules without file extensions, which Node's ESM loader refuses;
// its CommonJS build loads everywhere (sources, vitest workers, the CLI bundle). Loaded on first use: it is
// large, and most commands that import this folder never check a metamodel.
let sdk: typeof Aas | undefined;
function aasSdk(): typeof Aas {
  sdk ??= createRequire(import.meta.url)('@aas-core-works/aas-core3.0-typescript') as typeof Aas;
  return sdk;
}

export type MetamodelClass = 'Environment' | 'AssetAdministrationShell' | 'Submodel' | 'SubmodelElement' | 'ConceptDescription' | 'Reference';
export type MetamodelVersion = '3.0' | '3.1';

export interface MetamodelOptions {
  /**
   * The metamodel version the value claims (an API 3.1 server serves metamodel 3.1). The SDK knows 3.0 only,
   * so for 3.1 what 3.1 added or relaxed is set aside first; see relaxFor31.
   */
  readonly apiVersion?: MetamodelVersion;
  /** problem lines kept; the rest is summed up in one "and N more" line (default 50) */
  readonly maxProblems?: number;
}

export interface MetamodelReport {
  /** deserialization failed: the value is not an instance of the class (then verification did not run) */
  readonly deserialization: readonly string[];
  /** the constraints that do not hold */
  readonly verification: readonly string[];
  /** both lists together, capped */
  readonly problems: readonly string[];
  /** the SDK's instance when deserialization succeeded, for further checks */
  readonly instance: Aas.types.Class | undefined;
}

export const DEFAULT_MAX_PROBLEMS = 50;
// verification of a huge file could yield millions of errors; counting stops here
const MAX_COUNTED = 100_000;

type Deserializer = (jsonable: Aas.jsonization.JsonValue) => Aas.common.Either<Aas.types.Class, Aas.jsonization.DeserializationError>;

const DESERIALIZERS: Readonly<Record<MetamodelClass, Deserializer>> = {
  Environment: (j) => aasSdk().jsonization.environmentFromJsonable(j),
  AssetAdministrationShell: (j) => aasSdk().jsonization.assetAdministrationShellFromJsonable(j),
  Submodel: (j) => aasSdk().jsonization.submodelFromJsonable(j),
  SubmodelElement: (j) => aasSdk().jsonization.submodelElementFromJsonable(j),
  ConceptDescription: (j) => aasSdk().jsonization.conceptDescriptionFromJsonable(j),
  Reference: (j) => aasSdk().jsonization.referenceFromJsonable(j),
};

/** Metamodel 3.1 additions to AdministrativeInformation, which the 3.0 SDK does not know. */
const ADDED_IN_31 = new Set(['createdAt', 'updatedAt', 'templateId']);

/**
 * A copy of the value without what metamodel 3.1 added to AdministrativeInformation (createdAt, updatedAt,
 * templateId), wherever they occur. Why: the 3.0 SDK would otherwise judge a 3.1 value by 3.0 rules; these
 * fields are only removed from the copy that is checked, the value itself is untouched. Iterative, so a
 * deeply nested value cannot overflow the stack.
 */
export function relaxFor31(value: unknown): unknown {
  const rootHolder: { v: unknown } = { v: undefined };
  const work: { source: unknown; assign: (v: unknown) => void }[] = [{ source: value, assign: (v) => (rootHolder.v = v) }];
  while (work.length > 0) {
    const { source, assign } = work.pop()!;
    if (Array.isArray(source)) {
      const copy: unknown[] = new Array<unknown>(source.length);
      assign(copy);
      source.forEach((item, i) => work.push({ source: item, assign: (v) => (copy[i] = v) }));
    } else if (typeof source === 'object' && source !== null) {
      const copy: Record<string, unknown> = {};
      assign(copy);
      for (const [key, item] of Object.entries(source)) {
        if (ADDED_IN_31.has(key)) continue;
        work.push({ source: item, assign: (v) => (copy[key] = v) });
      }
    } else assign(source);
  }
  return rootHolder.v;
}

function escapePointer(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}

function deserializationPointer(error: Aas.jsonization.DeserializationError): string {
  return error.path
    .segments()
    .map((s) => '/' + (s instanceof aasSdk().jsonization.IndexSegment ? String(s.index) : escapePointer((s as Aas.jsonization.PropertySegment).name)))
    .join('');
}

function verificationPointer(error: Aas.verification.VerificationError): string {
  return error.path.segments
    .map((s) => '/' + (s instanceof aasSdk().verification.IndexSegment ? String(s.index) : escapePointer((s as Aas.verification.PropertySegment).name)))
    .join('');
}

function line(pointer: string, message: string): string {
  // one line: the SDK's messages sometimes wrap or double their spaces
  return `${pointer || '/'}: ${message.replace(/\s+/g, ' ').trim()}`;
}

function cap(lines: readonly string[], total: number, max: number): string[] {
  if (total <= max) return [...lines];
  const more = total - max;
  return [...lines.slice(0, max), `and ${total >= MAX_COUNTED ? `more than ${more}` : more} more`];
}

/** Deserializes and verifies one value as an instance of `kind`. Never throws. */
export function checkMetamodel(kind: MetamodelClass, value: unknown, options: MetamodelOptions = {}): MetamodelReport {
  const max = options.maxProblems ?? DEFAULT_MAX_PROBLEMS;
  const is31 = options.apiVersion === '3.1';
  if (value === undefined || typeof value === 'function' || typeof value === 'symbol' || typeof value === 'bigint') {
    const problem = `/: expected a JSON value of ${kind}, got ${typeof value}`;
    return { deserialization: [problem], verification: [], problems: [problem], instance: undefined };
  }
  const input = (is31 ? relaxFor31(value) : value) as Aas.jsonization.JsonValue;
  let instance: Aas.types.Class;
  try {
    const result = DESERIALIZERS[kind](input);
    if (result.error !== null) {
      const problem = line(deserializationPointer(result.error), result.error.message);
      return { deserialization: [problem], verification: [], problems: [problem], instance: undefined };
    }
    instance = result.value!;
  } catch (error) {
    // the SDK deserialises recursively: a value nested thousands of levels deep overflows its stack
    const reason = error instanceof RangeError ? 'it is nested too deeply' : error instanceof Error ? error.message : String(error);
    const problem = `/: the value could not be deserialized as ${kind}: ${reason}`;
    return { deserialization: [problem], verification: [], problems: [problem], instance: undefined };
  }
  const kept: string[] = [];
  let total = 0;
  try {
    for (const error of aasSdk().verification.verify(instance)) {
      // AASd-120 (no idShort on the items of a SubmodelElementList) was removed in metamodel 3.1
      if (is31 && /AASd-120/.test(error.message)) continue;
      total++;
      if (kept.length < max) kept.push(line(verificationPointer(error), error.message));
      if (total >= MAX_COUNTED) break;
    }
  } catch (error) {
    total++;
    kept.push(`/: verification stopped: ${error instanceof Error ? error.message : String(error)}`);
  }
  const verification = cap(kept, total, max);
  return { deserialization: [], verification, problems: verification, instance };
}

/** The problems of a value as an Environment (deserialization and verification alike). */
export function verifyEnvironment(value: unknown, options?: MetamodelOptions): readonly string[] {
  return checkMetamodel('Environment', value, options).problems;
}
export function verifyAssetAdministrationShell(value: unknown, options?: MetamodelOptions): readonly string[] {
  return checkMetamodel('AssetAdministrationShell', value, options).problems;
}
export function verifySubmodel(value: unknown, options?: MetamodelOptions): readonly string[] {
  return checkMetamodel('Submodel', value, options).problems;
}
export function verifySubmodelElement(value: unknown, options?: MetamodelOptions): readonly string[] {
  return checkMetamodel('SubmodelElement', value, options).problems;
}
export function verifyConceptDescription(value: unknown, options?: MetamodelOptions): readonly string[] {
  return checkMetamodel('ConceptDescription', value, options).problems;
}
export function verifyReference(value: unknown, options?: MetamodelOptions): readonly string[] {
  return checkMetamodel('Reference', value, options).problems;
}
