import type { BrowseResult, DataValue } from 'node-opcua-client';

/** A read result as checks and evidence see it: plain JSON, no node-opcua classes. */
export interface ValueSummary {
  /** StatusCode name: Good, BadNodeIdUnknown, ... */
  readonly status: string;
  /** the Variant's built-in type name (String, LocalizedText, Int32, ExtensionObject, ...); Null when empty */
  readonly variantType: string;
  readonly isArray: boolean;
  readonly value: unknown;
}

export interface ReferenceSummary {
  readonly referenceTypeId: string;
  readonly isForward: boolean;
  readonly nodeId: string;
  readonly browseName: { readonly namespaceIndex: number; readonly name: string };
  readonly nodeClass: string;
  readonly typeDefinition: string;
}

// Variant built-in type ids (OPC 10000-6), so the summary needs no node-opcua enum at run time
const BUILT_IN_TYPES: Readonly<Record<number, string>> = {
  0: 'Null', 1: 'Boolean', 2: 'SByte', 3: 'Byte', 4: 'Int16', 5: 'UInt16', 6: 'Int32', 7: 'UInt32', 8: 'Int64', 9: 'UInt64',
  10: 'Float', 11: 'Double', 12: 'String', 13: 'DateTime', 14: 'Guid', 15: 'ByteString', 16: 'XmlElement', 17: 'NodeId',
  18: 'ExpandedNodeId', 19: 'StatusCode', 20: 'QualifiedName', 21: 'LocalizedText', 22: 'ExtensionObject', 23: 'DataValue',
  24: 'Variant', 25: 'DiagnosticInfo',
};

const NODE_CLASSES: Readonly<Record<number, string>> = { 0: 'Unspecified', 1: 'Object', 2: 'Variable', 4: 'Method', 8: 'ObjectType', 16: 'VariableType', 32: 'ReferenceType', 64: 'DataType', 128: 'View' };

const MAX_BYTES_SHOWN = 256;

/** node-opcua values to plain JSON: LocalizedText as {locale, text}, NodeIds as strings, bytes as base64 (cut). */
export function plain(value: unknown, depth = 0): unknown {
  if (value === null || value === undefined) return null;
  if (depth > 8) return '…';
  if (typeof value === 'bigint') return value.toString();
  if (typeof value !== 'object') return value;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (Buffer.isBuffer(value) || value instanceof Uint8Array) {
    const bytes = Buffer.from(value);
    return { base64: bytes.subarray(0, MAX_BYTES_SHOWN).toString('base64'), bytes: bytes.length, ...(bytes.length > MAX_BYTES_SHOWN && { truncated: true }) };
  }
  if (Array.isArray(value) || ArrayBuffer.isView(value)) return Array.from(value as ArrayLike<unknown>, (v) => plain(v, depth + 1));
  const object = value as Record<string, unknown>;
  // LocalizedText and QualifiedName carry these fields; NodeId and friends render themselves as strings
  if ('text' in object && 'locale' in object) return { locale: object['locale'] ?? null, text: object['text'] ?? null };
  if ('namespace' in object && 'identifierType' in object && typeof object['toString'] === 'function') return String(value);
  if (typeof object['toJSON'] === 'function') return plain((object['toJSON'] as () => unknown)(), depth + 1);
  return Object.fromEntries(Object.entries(object).filter(([k]) => !k.startsWith('_')).map(([k, v]) => [k, plain(v, depth + 1)]));
}

export function summariseDataValue(dataValue: DataValue): ValueSummary {
  const variant = dataValue.value;
  return {
    status: dataValue.statusCode?.name ?? 'Good',
    variantType: BUILT_IN_TYPES[variant?.dataType ?? 0] ?? String(variant?.dataType),
    isArray: (variant?.arrayType ?? 0) !== 0,
    value: plain(variant?.value),
  };
}

export function summariseBrowse(result: BrowseResult): ReferenceSummary[] {
  return (result.references ?? []).map((r) => ({
    referenceTypeId: r.referenceTypeId.toString(),
    isForward: r.isForward,
    nodeId: r.nodeId.toString(),
    browseName: { namespaceIndex: r.browseName.namespaceIndex, name: r.browseName.name ?? '' },
    nodeClass: NODE_CLASSES[r.nodeClass] ?? String(r.nodeClass),
    typeDefinition: r.typeDefinition.toString(),
  }));
}
