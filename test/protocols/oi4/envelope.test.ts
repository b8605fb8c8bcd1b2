import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  DATA_SET_CLASS_IDS,
  buildGetRequest,
  correlationIdOf,
  createMessageIdFactory,
  dataSetClassIdOf,
  dataSetMessagesOf,
  dataSetWriterIdOf,
  encodeNetworkMessage,
  filterOf,
  isPaginationEntry,
  localeRequestEntry,
  messageIdOf,
  messageTypeOf,
  paginationRequestEntry,
  parseNetworkMessage,
  partitionPagination,
  payloadOf,
  publisherIdOf,
  sourceOf,
  validateLocaleRequest,
  validateNetworkMessage,
  validatePaginationRequest,
  type NetworkMessage,
} from '../../../harness/protocols/oi4/index.js';

const SAMPLES = new URL('../../../fixtures/samples/oi4-oec/', import.meta.url);
const sampleBytes = (file: string): Buffer => readFileSync(new URL(file, SAMPLES));
const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);

function parseOk(bytes: Uint8Array): NetworkMessage {
  const result = parseNetworkMessage(bytes);
  if (!result.ok) throw new Error(`${result.kind}: ${result.detail}`);
  return result.message;
}

const HARNESS = 'Utility/oi4-conformance.example/Conformance,20Harness/oi4-conformance/run-1';

describe('parseNetworkMessage (OI4-ENV-001)', () => {
  it('parses a golden message and keeps the raw text', () => {
    const bytes = sampleBytes('messages/mam.valid.json');
    const result = parseNetworkMessage(bytes);
    expect(result.ok).toBe(true);
    if (result.ok) {
      expect(result.raw).toBe(bytes.toString('utf8'));
      expect(messageTypeOf(result.message)).toBe('ua-data');
    }
  });

  it.each([
    ['a lone continuation byte', [0x80]],
    ['a truncated 2-byte sequence', [0x7b, 0xc3]],
    ['an overlong encoding of "/"', [0xc0, 0xaf]],
    ['a UTF-16 surrogate encoded in UTF-8', [0xed, 0xa0, 0x80]],
    ['Latin-1 text', [0x7b, 0x22, 0xfc, 0x22, 0x3a, 0x31, 0x7d]],
  ])('rejects %s as not-utf8', (_name, bytes) => {
    const result = parseNetworkMessage(Uint8Array.from(bytes));
    expect(result).toMatchObject({ ok: false, kind: 'not-utf8' });
  });

  it.each([
    ['empty', ''],
    ['whitespace', '  \n'],
    ['truncated', '{"MessageId": "1-x"'],
    ['single quotes', "{'MessageId': 1}"],
    ['trailing comma', '{"a": 1,}'],
    ['NaN', '{"a": NaN}'],
    ['two documents', '{} {}'],
    ['text', 'hello'],
    ['a byte order mark', '\uFEFF{"MessageId": "1"}'],
  ])('rejects %s as not-json', (_name, text) => {
    const result = parseNetworkMessage(utf8(text));
    expect(result).toMatchObject({ ok: false, kind: 'not-json' });
    if (!result.ok) expect(result.detail.length).toBeGreaterThan(0);
  });

  it.each([
    ['an array', '[]', 'an array'],
    ['null', 'null', 'null'],
    ['a number', '42', 'a number'],
    ['a string', '"ua-data"', 'a string'],
    ['a boolean', 'true', 'a boolean'],
  ])('rejects %s as not-object', (_name, text, kind) => {
    const result = parseNetworkMessage(utf8(text));
    expect(result).toMatchObject({ ok: false, kind: 'not-object' });
    if (!result.ok) expect(result.detail).toContain(kind);
  });

  it('accepts a Buffer and a Uint8Array view into a larger buffer', () => {
    const whole = utf8('xx{"MessageId":"1-a"}yy');
    expect(messageIdOf(parseOk(whole.subarray(2, whole.length - 2)))).toBe('1-a');
    expect(messageIdOf(parseOk(Buffer.from('{"MessageId":"1-b"}')))).toBe('1-b');
  });
});

describe('field accessors read untrusted messages safely', () => {
  it('read the fields of a golden message', () => {
    const m = parseOk(sampleBytes('messages/license.valid.json'));
    expect(messageIdOf(m)).toMatch(/^1719830401000-OTConnector\//);
    expect(publisherIdOf(m)).toBe('OTConnector/acme.com/OEC,20Demo,20OT,20Connector/OEC-ACME-WEATHER-CONNECTOR/F12AB35');
    expect(dataSetClassIdOf(m)).toBe(DATA_SET_CLASS_IDS.License);
    expect(correlationIdOf(m)).toMatch(/-Utility\//);
    const { messages, nonObjects, isArray } = dataSetMessagesOf(m);
    expect([messages.length, nonObjects, isArray]).toEqual([3, 0, true]);
    const [mit, apache, page] = messages;
    expect(mit && filterOf(mit)).toBe('MIT');
    expect(apache && sourceOf(apache)).toBe('acme.com/OEC,20Demo,20OT,20Connector/OEC-ACME-WEATHER-CONNECTOR/F12AB35');
    expect(page && isPaginationEntry(page)).toBe(true);
    expect(mit && isPaginationEntry(mit)).toBe(false);
    const { resources, pagination } = partitionPagination(messages);
    expect(resources.map(filterOf)).toEqual(['MIT', 'Apache-2.0']);
    expect(pagination).toHaveLength(1);
    expect(page && payloadOf(page)).toMatchObject({ HasNext: false, TotalCount: 2 });
  });

  it('return undefined for wrong types instead of trusting them', () => {
    const m = parseOk(
      utf8('{"MessageId": 5, "PublisherId": ["x"], "CorrelationId": null, "DataSetClassId": {}, "MessageType": true, "Messages": "none"}'),
    );
    expect(messageIdOf(m)).toBeUndefined();
    expect(publisherIdOf(m)).toBeUndefined();
    expect(correlationIdOf(m)).toBeUndefined();
    expect(dataSetClassIdOf(m)).toBeUndefined();
    expect(messageTypeOf(m)).toBeUndefined();
    expect(dataSetMessagesOf(m)).toEqual({ messages: [], nonObjects: 0, isArray: false });
  });

  it('keep an empty CorrelationId apart from a missing one', () => {
    expect(correlationIdOf(parseOk(utf8('{"CorrelationId": ""}')))).toBe('');
    expect(correlationIdOf(parseOk(utf8('{}')))).toBeUndefined();
  });

  it('do not read inherited properties', () => {
    const m = parseOk(utf8('{"Messages": []}'));
    expect(messageIdOf(m)).toBeUndefined();
    expect(dataSetMessagesOf(parseOk(utf8('{}'))).isArray).toBe(false);
    // a "__proto__" key from JSON.parse is an own property and does not poison anything
    const poisoned = parseOk(utf8('{"__proto__": {"MessageId": "evil"}, "Messages": [{"__proto__": {"DataSetWriterId": 2}}]}'));
    expect(messageIdOf(poisoned)).toBeUndefined();
    const [entry] = dataSetMessagesOf(poisoned).messages;
    expect(entry && dataSetWriterIdOf(entry)).toBeUndefined();
    expect(entry && isPaginationEntry(entry)).toBe(false);
  });

  it('count non-object entries of Messages', () => {
    const m = parseOk(utf8('{"Messages": [null, 1, "x", [], {"DataSetWriterId": 10}, true]}'));
    const { messages, nonObjects } = dataSetMessagesOf(m);
    expect(messages).toHaveLength(1);
    expect(nonObjects).toBe(5);
  });

  it('accept only integer DataSetWriterIds', () => {
    const ids = dataSetMessagesOf(parseOk(utf8('{"Messages": [{"DataSetWriterId": "2"}, {"DataSetWriterId": 2.5}, {"DataSetWriterId": 2}]}')))
      .messages.map(dataSetWriterIdOf);
    expect(ids).toEqual([undefined, undefined, 2]);
  });
});

describe('MessageIds (facts 3.1, OI4-ID-004)', () => {
  it('are "<ms>-<PublisherId>" and unique under a tight loop', () => {
    const next = createMessageIdFactory(HARNESS);
    const ids = Array.from({ length: 20_000 }, () => next());
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids.slice(0, 50)) expect(id).toMatch(new RegExp(`^\\d{13,}-${HARNESS.replace(/[.]/g, '\\.')}$`));
  });

  it('append a counter when the millisecond repeats and restart it when the clock moves', () => {
    const clock = { ms: 1_700_000_000_000 };
    const next = createMessageIdFactory('Utility/clock.test/a/b/c', { now: () => clock.ms });
    expect(next()).toBe('1700000000000-Utility/clock.test/a/b/c');
    expect(next()).toBe('17000000000001-Utility/clock.test/a/b/c');
    expect(next()).toBe('17000000000002-Utility/clock.test/a/b/c');
    clock.ms += 1;
    expect(next()).toBe('1700000000001-Utility/clock.test/a/b/c');
  });

  it('stay unique when the clock steps back', () => {
    const clock = { ms: 1_700_000_000_500 };
    const next = createMessageIdFactory('Utility/clock-back.test/a/b/c', { now: () => clock.ms });
    const ids = [next()];
    clock.ms -= 400;
    ids.push(next(), next());
    expect(new Set(ids).size).toBe(3);
    expect(ids[1]).toBe('17000000005001-Utility/clock-back.test/a/b/c');
  });

  it('are unique across two factories of the same publisher', () => {
    const a = createMessageIdFactory('Utility/shared.test/a/b/c');
    const b = createMessageIdFactory('Utility/shared.test/a/b/c');
    const ids = Array.from({ length: 2000 }, (_, i) => (i % 2 === 0 ? a() : b()));
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe('buildGetRequest (facts 6.1)', () => {
  it('matches the golden Get request apart from the MessageId', () => {
    const golden = JSON.parse(sampleBytes('messages/get-mam.request.json').toString('utf8')) as Record<string, unknown>;
    const built = buildGetRequest({ publisherId: HARNESS, resource: 'MAM' });
    expect({ ...built, MessageId: golden['MessageId'] }).toEqual(golden);
    expect(built.MessageId).toMatch(new RegExp(`^\\d+-${HARNESS.replace(/[.]/g, '\\.')}$`));
    expect(validateNetworkMessage(built)).toEqual({ valid: true });
  });

  it('carries each resource GUID, none for Data and Metadata, and validates', () => {
    for (const resource of ['Health', 'License', 'Profile', 'Data', 'Metadata', 'AAS'] as const) {
      const request = buildGetRequest({ publisherId: HARNESS, resource });
      expect(request.DataSetClassId).toBe(DATA_SET_CLASS_IDS[resource]);
      expect('DataSetClassId' in request).toBe(DATA_SET_CLASS_IDS[resource] !== undefined);
      expect(request.Messages).toEqual([]);
      expect('CorrelationId' in request).toBe(false);
      expect(validateNetworkMessage(request)).toEqual({ valid: true });
    }
  });

  it('gives every request a fresh MessageId', () => {
    const ids = Array.from({ length: 1000 }, () => buildGetRequest({ publisherId: HARNESS, resource: 'MAM' }).MessageId);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('takes overrides, a CorrelationId and request entries', () => {
    const source = 'acme.com/m/p/s1';
    const request = buildGetRequest({
      publisherId: HARNESS,
      resource: 'License',
      dataSetClassId: '00000000-0000-0000-0000-000000000000',
      correlationId: 'upstream-1',
      messageId: `1-${HARNESS}`,
      messages: [paginationRequestEntry(source, { PerPage: 5, Page: 1 }), localeRequestEntry(source, 'de-DE')],
    });
    expect(request).toMatchObject({ MessageId: `1-${HARNESS}`, DataSetClassId: '00000000-0000-0000-0000-000000000000', CorrelationId: 'upstream-1' });
    expect(request.Messages.map((m) => m.DataSetWriterId)).toEqual([1, 3]);
    expect(validateNetworkMessage(request)).toEqual({ valid: true });
    expect(validatePaginationRequest(request.Messages[0]?.Payload)).toEqual({ valid: true });
    expect(validateLocaleRequest(request.Messages[1]?.Payload)).toEqual({ valid: true });
  });

  it('serialises to UTF-8 JSON that parses back', () => {
    const request = buildGetRequest({ publisherId: HARNESS, resource: 'MAM' });
    expect(parseOk(encodeNetworkMessage(request))).toEqual(request);
  });
});
