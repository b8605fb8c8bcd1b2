/**
 * The OPC UA PubSub JSON envelope as OI4 uses it (facts 3.1-3.2, 5.11, 6.1).
 * A received message is untrusted: its types say `unknown` for every field, and the accessors below read
 * fields without trusting their presence or type. What the harness sends is typed precisely (Outgoing*).
 */
import {
  MESSAGE_TYPE_DATA,
  RESERVED_DATA_SET_WRITER_IDS,
  expectedDataSetClassId,
  type Resource,
} from './constants.js';

/** A NetworkMessage as received (facts 3.1). Field names are the v1.1 ones; anything else may be present too. */
export interface NetworkMessage {
  readonly MessageId?: unknown;
  readonly MessageType?: unknown;
  readonly PublisherId?: unknown;
  readonly DataSetClassId?: unknown;
  readonly CorrelationId?: unknown;
  readonly Messages?: unknown;
  readonly [field: string]: unknown;
}

/** A DataSetMessage as received (facts 3.2). */
export interface DataSetMessage {
  readonly DataSetWriterId?: unknown;
  readonly SequenceNumber?: unknown;
  readonly MetaDataVersion?: unknown;
  readonly Timestamp?: unknown;
  readonly Status?: unknown;
  readonly Filter?: unknown;
  readonly Source?: unknown;
  readonly Payload?: unknown;
  readonly [field: string]: unknown;
}

/** A DataSetMessage the harness sends. A type alias (not an interface) so it is assignable to DataSetMessage. */
export type OutgoingDataSetMessage = {
  DataSetWriterId: number;
  SequenceNumber?: number;
  MetaDataVersion?: { MajorVersion: number; MinorVersion: number };
  Timestamp?: string;
  Status?: number;
  Filter?: string;
  Source: string;
  Payload: Record<string, unknown>;
};

export type OutgoingNetworkMessage = {
  MessageId: string;
  MessageType: typeof MESSAGE_TYPE_DATA;
  PublisherId: string;
  DataSetClassId?: string;
  CorrelationId?: string;
  Messages: OutgoingDataSetMessage[];
};

// ---------------------------------------------------------------------------------------------------------
// Parsing

export type ParseFailureKind = 'not-utf8' | 'not-json' | 'not-object';

export type ParseNetworkMessageResult =
  | { readonly ok: true; readonly message: NetworkMessage; readonly raw: string }
  | { readonly ok: false; readonly kind: ParseFailureKind; readonly detail: string };

// ignoreBOM keeps a byte order mark in the text, so we can reject it instead of silently dropping it
const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

function jsonKind(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}

/** MQTT payload bytes -> JSON object (OI4-ENV-001). Never throws. */
export function parseNetworkMessage(bytes: Uint8Array): ParseNetworkMessageResult {
  let raw: string;
  try {
    raw = strictUtf8.decode(bytes);
  } catch {
    return { ok: false, kind: 'not-utf8', detail: `payload of ${bytes.byteLength} bytes is not valid UTF-8` };
  }
  if (raw.startsWith('\uFEFF')) {
    // RFC 8259 section 8.1: a networked JSON text must not begin with a byte order mark
    return { ok: false, kind: 'not-json', detail: 'payload starts with a byte order mark (U+FEFF), which JSON text must not carry' };
  }
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { ok: false, kind: 'not-json', detail: raw.trim() === '' ? 'payload is empty' : `payload is not JSON: ${reason}` };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, kind: 'not-object', detail: `payload is ${jsonKind(value)}, not a JSON object` };
  }
  return { ok: true, message: value as NetworkMessage, raw };
}

// ---------------------------------------------------------------------------------------------------------
// Safe field access. Own properties only: a key like "toString" must not be found on the prototype.

function own(value: object, key: string): unknown {
  return Object.prototype.hasOwnProperty.call(value, key) ? (value as Record<string, unknown>)[key] : undefined;
}

function stringField(value: object, key: string): string | undefined {
  const field = own(value, key);
  return typeof field === 'string' ? field : undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function messageIdOf(m: NetworkMessage): string | undefined {
  return stringField(m, 'MessageId');
}
export function messageTypeOf(m: NetworkMessage): string | undefined {
  return stringField(m, 'MessageType');
}
export function publisherIdOf(m: NetworkMessage): string | undefined {
  return stringField(m, 'PublisherId');
}
export function dataSetClassIdOf(m: NetworkMessage): string | undefined {
  return stringField(m, 'DataSetClassId');
}
/** The CorrelationId as sent; "" and absent (undefined) are both "no correlation" (facts 6.2), kept apart for evidence. */
export function correlationIdOf(m: NetworkMessage): string | undefined {
  return stringField(m, 'CorrelationId');
}

export interface DataSetMessages {
  /** the object entries of Messages, in order */
  readonly messages: DataSetMessage[];
  /** entries that are not JSON objects (null, numbers, arrays...), which no check can read */
  readonly nonObjects: number;
  /** false when Messages is absent or not an array */
  readonly isArray: boolean;
}

export function dataSetMessagesOf(m: NetworkMessage): DataSetMessages {
  const list = own(m, 'Messages');
  if (!Array.isArray(list)) return { messages: [], nonObjects: 0, isArray: false };
  const messages: DataSetMessage[] = [];
  let nonObjects = 0;
  for (const entry of list as unknown[]) {
    if (isObject(entry)) messages.push(entry);
    else nonObjects += 1;
  }
  return { messages, nonObjects, isArray: true };
}

/** The DataSetWriterId when it is an integer; any other value (string, float) gives undefined. */
export function dataSetWriterIdOf(dsm: DataSetMessage): number | undefined {
  const id = own(dsm, 'DataSetWriterId');
  return typeof id === 'number' && Number.isInteger(id) ? id : undefined;
}
export function sourceOf(dsm: DataSetMessage): string | undefined {
  return stringField(dsm, 'Source');
}
export function filterOf(dsm: DataSetMessage): string | undefined {
  return stringField(dsm, 'Filter');
}
export function timestampOf(dsm: DataSetMessage): string | undefined {
  return stringField(dsm, 'Timestamp');
}
/** The Payload, untouched (still unknown: validate it before reading). */
export function payloadOf(dsm: DataSetMessage): unknown {
  return own(dsm, 'Payload');
}

/** A response pagination entry (facts 5.11): DataSetWriterId 2. */
export function isPaginationEntry(dsm: DataSetMessage): boolean {
  return dataSetWriterIdOf(dsm) === RESERVED_DATA_SET_WRITER_IDS.Pagination;
}

/** Splits entries into resource entries and pagination entries, keeping order within each. */
export function partitionPagination(messages: readonly DataSetMessage[]): {
  resources: DataSetMessage[];
  pagination: DataSetMessage[];
} {
  const resources: DataSetMessage[] = [];
  const pagination: DataSetMessage[] = [];
  for (const dsm of messages) (isPaginationEntry(dsm) ? pagination : resources).push(dsm);
  return { resources, pagination };
}

// ---------------------------------------------------------------------------------------------------------
// Building what the harness sends

interface StampState {
  lastMs: number;
  counter: number;
}

// Per PublisherId for the whole process, so two factories for the same publisher cannot collide.
const stampStates = new Map<string, StampState>();

export interface MessageIdFactoryOptions {
  /** clock in Unix ms; tests inject one */
  readonly now?: () => number;
}

/**
 * MessageIds `<unixMs>-<PublisherId>` (facts 3.1). When the millisecond repeats, a counter is appended to
 * the timestamp (`<unixMs><counter>-<PublisherId>`). A clock that steps back is held at the last value, so
 * ids stay unique within the process even then.
 */
export function createMessageIdFactory(publisherId: string, options: MessageIdFactoryOptions = {}): () => string {
  const now = options.now ?? Date.now;
  return () => {
    let state = stampStates.get(publisherId);
    if (state === undefined) {
      state = { lastMs: -1, counter: 0 };
      stampStates.set(publisherId, state);
    }
    const ms = Math.max(Math.trunc(now()), state.lastMs);
    if (ms === state.lastMs) {
      state.counter += 1;
    } else {
      state.lastMs = ms;
      state.counter = 0;
    }
    const stamp = state.counter === 0 ? `${ms}` : `${ms}${state.counter}`;
    return `${stamp}-${publisherId}`;
  };
}

const defaultFactories = new Map<string, () => string>();

function nextMessageId(publisherId: string): string {
  let factory = defaultFactories.get(publisherId);
  if (factory === undefined) {
    factory = createMessageIdFactory(publisherId);
    defaultFactories.set(publisherId, factory);
  }
  return factory();
}

export interface GetRequestOptions {
  /** the harness's own `<ServiceType>/<AppId>`; targets drop requests whose PublisherId breaks the schema */
  readonly publisherId: string;
  readonly resource: Resource;
  /** overrides the resource's GUID (e.g. to send a wrong one on purpose); Data/Metadata carry none by default */
  readonly dataSetClassId?: string;
  readonly correlationId?: string;
  /** request entries such as a pagination request (DataSetWriterId 1) or locale (3); default none */
  readonly messages?: OutgoingDataSetMessage[];
  /** a fixed MessageId; default a fresh one from the process-wide factory of publisherId */
  readonly messageId?: string;
}

/** A Get request body (facts 6.1): an empty ua-data NetworkMessage with the resource's DataSetClassId. */
export function buildGetRequest(options: GetRequestOptions): OutgoingNetworkMessage {
  const message: OutgoingNetworkMessage = {
    MessageId: options.messageId ?? nextMessageId(options.publisherId),
    MessageType: MESSAGE_TYPE_DATA,
    PublisherId: options.publisherId,
    Messages: options.messages ?? [],
  };
  const dataSetClassId = options.dataSetClassId ?? expectedDataSetClassId(options.resource);
  if (dataSetClassId !== undefined) message.DataSetClassId = dataSetClassId;
  if (options.correlationId !== undefined) message.CorrelationId = options.correlationId;
  return message;
}

/** A pagination request entry (facts 5.11): DataSetWriterId 1 with {PerPage, Page}. */
export function paginationRequestEntry(source: string, page: { PerPage: number; Page: number }): OutgoingDataSetMessage {
  return {
    DataSetWriterId: RESERVED_DATA_SET_WRITER_IDS.PaginationRequest,
    Source: source,
    Payload: { PerPage: page.PerPage, Page: page.Page },
  };
}

/** A locale request entry (facts 5.11): DataSetWriterId 3 with {Locale}. */
export function localeRequestEntry(source: string, locale: string): OutgoingDataSetMessage {
  return { DataSetWriterId: RESERVED_DATA_SET_WRITER_IDS.Locale, Source: source, Payload: { Locale: locale } };
}

/** Serialises an outgoing message as the UTF-8 bytes published on MQTT. */
export function encodeNetworkMessage(message: OutgoingNetworkMessage): Buffer {
  return Buffer.from(JSON.stringify(message), 'utf8');
}
