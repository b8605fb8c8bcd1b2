import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  DATA_SET_CLASS_IDS,
  EVENT_CATEGORIES,
  HEALTH_STATES,
  METHODS,
  PUBLICATION_CONFIGS,
  PUBLICATION_MODES,
  RESOURCES,
  SCHEMA_NAMES,
  SERVICE_TYPES,
  SUBSCRIPTION_CONFIGS,
  CONFIG_PARAM_TYPES,
  dataSetMessagesOf,
  dataSetWriterIdOf,
  expectedDataSetClassId,
  isPaginationEntry,
  isResource,
  mamIdentityOf,
  oi4IdentifierFromMam,
  parseNetworkMessage,
  parseTopic,
  payloadOf,
  publisherIdOf,
  schemaDirectory,
  schemaLoadCount,
  sourceOf,
  filterOf,
  topicProblems,
  validateDataSetMessage,
  validateNetworkMessage,
  validatePagination,
  validatePayload,
  validateMetaDataMessage,
  validateWith,
  type SchemaError,
  type ValidationResult,
} from '../../../harness/protocols/oi4/index.js';

interface ExpectedError {
  path: string;
  keyword: string;
  params?: Record<string, unknown>;
}
interface MessageSample {
  file: string;
  resource: string;
  topic: string;
  description: string;
  networkMessageErrors: ExpectedError[];
  payloadErrors: (ExpectedError & { message: number })[];
}

const SAMPLES = new URL('../../../fixtures/samples/oi4-oec/', import.meta.url);
const manifest = JSON.parse(readFileSync(new URL('messages.json', SAMPLES), 'utf8')) as { samples: MessageSample[] };

function errorsOf(result: ValidationResult): SchemaError[] {
  return result.valid ? [] : result.errors;
}

/** The set of (path, keyword) pairs, without the summary "if" errors Ajv adds for if/then schemas. */
function pairs(errors: readonly { path: string; keyword: string }[]): string[] {
  return [...new Set(errors.filter((e) => e.keyword !== 'if').map((e) => `${e.path} ${e.keyword}`))].sort();
}

function expectErrors(actual: SchemaError[], expected: ExpectedError[], where: string): void {
  expect(pairs(actual), `${where}: ${JSON.stringify(actual)}`).toEqual(pairs(expected));
  for (const e of expected) {
    if (e.params === undefined) continue;
    const match = actual.find((a) => a.path === e.path && a.keyword === e.keyword && Object.entries(e.params ?? {}).every(([k, v]) => a.params[k] === v));
    expect(match, `${where}: no ${e.keyword} error at "${e.path}" with ${JSON.stringify(e.params)}`).toBeDefined();
  }
}

describe('schemas compile once (lazy singleton)', () => {
  it('loads nothing until first used, then exactly once', () => {
    // this file's module instance is fresh: no validation has happened yet
    expect(schemaLoadCount()).toBe(0);
    for (let i = 0; i < 50; i += 1) {
      validatePayload('Health', { Health: 'NORMAL_0' });
      validateNetworkMessage({});
      validateDataSetMessage({});
      validatePagination({});
    }
    expect(schemaLoadCount()).toBe(1);
  });

  it('reads every schema file of the folder and knows them all', () => {
    const files = readdirSync(schemaDirectory()).filter((f) => f.endsWith('.schema.json')).map((f) => f.replace('.schema.json', ''));
    expect(files.sort()).toEqual([...SCHEMA_NAMES].sort());
  });
});

describe('golden NetworkMessages', () => {
  it.each(manifest.samples)('$file: $description', (sample) => {
    const parsed = parseNetworkMessage(readFileSync(new URL(sample.file, SAMPLES)));
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    const message = parsed.message;
    const resource = sample.resource;
    if (!isResource(resource)) throw new Error(`unknown resource ${resource}`);

    expectErrors(errorsOf(validateNetworkMessage(message)), sample.networkMessageErrors, 'NetworkMessage');

    const { messages } = dataSetMessagesOf(message);
    const payloadErrors = messages.flatMap((dsm, index) => {
      const result = isPaginationEntry(dsm) ? validatePagination(payloadOf(dsm)) : validatePayload(resource, payloadOf(dsm));
      return errorsOf(result).map((e) => ({ ...e, path: `${index} ${e.path}` }));
    });
    expectErrors(
      payloadErrors,
      sample.payloadErrors.map((e) => ({ ...e, path: `${e.message} ${e.path}` })),
      'payloads',
    );

    // each DataSetMessage on its own agrees with the NetworkMessage verdict on it
    messages.forEach((dsm, index) => {
      const own = pairs(errorsOf(validateDataSetMessage(dsm)).map((e) => ({ ...e, path: `/Messages/${index}${e.path}` })));
      const inMessage = pairs(sample.networkMessageErrors.filter((e) => e.path.startsWith(`/Messages/${index}`)));
      expect(own).toEqual(inMessage);
    });
  });

  it.each(manifest.samples.filter((s) => s.file.endsWith('.valid.json')))('$file is consistent with its topic', (sample) => {
    const parsed = parseNetworkMessage(readFileSync(new URL(sample.file, SAMPLES)));
    if (!parsed.ok) throw new Error(parsed.detail);
    const topicResult = parseTopic(sample.topic);
    if (!topicResult.ok) throw new Error(topicResult.problems.join('; '));
    const topic = topicResult.topic;
    expect(topicProblems(topic)).toEqual([]);
    expect(topic.resource).toBe(sample.resource);
    expect(publisherIdOf(parsed.message)).toBe(`${topic.serviceType}/${topic.appId}`);
    const resource = sample.resource;
    if (!isResource(resource)) throw new Error(`unknown resource ${resource}`);
    expect(parsed.message['DataSetClassId']).toBe(expectedDataSetClassId(resource));
    for (const dsm of dataSetMessagesOf(parsed.message).messages) {
      if (topic.source !== undefined) expect(sourceOf(dsm)).toBe(topic.source);
      const writerId = dataSetWriterIdOf(dsm) ?? -1;
      if (isPaginationEntry(dsm)) continue;
      expect(writerId).toBeGreaterThanOrEqual(10);
      if (topic.filter !== undefined) expect(filterOf(dsm)).toBe(topic.filter);
      if (resource === 'MAM') {
        const identity = mamIdentityOf(payloadOf(dsm));
        expect(identity && oi4IdentifierFromMam(identity)).toBe(sourceOf(dsm));
      }
    }
  });
});

describe('error detail', () => {
  it('gives a JSON pointer, the keyword and its params', () => {
    const result = validatePayload('MAM', { ManufacturerUri: 'Acme.com' });
    expect(result.valid).toBe(false);
    const errors = errorsOf(result);
    const pattern = errors.find((e) => e.keyword === 'pattern');
    expect(pattern).toMatchObject({ path: '/ManufacturerUri', keyword: 'pattern' });
    expect(typeof pattern?.params['pattern']).toBe('string');
    const missing = errors.filter((e) => e.keyword === 'required').map((e) => e.params['missingProperty']);
    expect(missing).toContain('SerialNumber');
    expect(missing).toHaveLength(11);
  });

  it('escapes "/" and "~" in pointer segments', () => {
    const errors = errorsOf(validateWith('Config', { 'a/b': {}, '~x': {} }));
    expect(errors.map((e) => e.params['additionalProperty'])).toEqual(expect.arrayContaining(['a/b', '~x']));
    const nested = errorsOf(validatePayload('PublicationList', { Resource: 'MAM', DataSetWriterId: 10, Source: 'acme.com/m/p/s1', Precisions: { 'a/b': 'x' } }));
    expect(nested.map((e) => e.path)).toContain('/Precisions/a~1b');
  });

  it('does not share error arrays between calls', () => {
    const first = validatePayload('Health', { Health: 'bad' });
    validatePayload('Health', { Health: 'NORMAL_0', HealthScore: -1 });
    expect(errorsOf(first).map((e) => e.path)).toEqual(['/Health']);
  });
});

describe('schema rules written from the facts', () => {
  const APP = 'acme.com/m/p/s1';
  const base = { MessageId: `1-Utility/${APP}`, MessageType: 'ua-data', PublisherId: `Utility/${APP}`, Messages: [] };
  const dsm = { DataSetWriterId: 10, Source: APP, Payload: {} };

  it('requires a time zone in Timestamp', () => {
    for (const ok of ['2019-06-26T13:16:00.000+01:00', '2019-06-26T13:16:00Z', '2019-06-26T13:16:00.1234567Z']) {
      expect(validateDataSetMessage({ ...dsm, Timestamp: ok }), ok).toEqual({ valid: true });
    }
    for (const bad of ['2019-06-26T13:16:00.000', '2019-06-26', '26.06.2019 13:16', '2019-13-26T13:16:00Z']) {
      expect(pairs(errorsOf(validateDataSetMessage({ ...dsm, Timestamp: bad }))), bad).toEqual(['/Timestamp format']);
    }
  });

  it('accepts an empty Messages array and an empty or absent CorrelationId', () => {
    expect(validateNetworkMessage(base)).toEqual({ valid: true });
    expect(validateNetworkMessage({ ...base, CorrelationId: '' })).toEqual({ valid: true });
  });

  it('accepts the MessageId counter form and rejects a bare prefix', () => {
    expect(validateNetworkMessage({ ...base, MessageId: `17000000000001-Utility/${APP}` })).toEqual({ valid: true });
    expect(pairs(errorsOf(validateNetworkMessage({ ...base, MessageId: `-Utility/${APP}` })))).toEqual(['/MessageId pattern']);
    expect(pairs(errorsOf(validateNetworkMessage({ ...base, PublisherId: `Gateway/${APP}` })))).toEqual(['/PublisherId pattern']);
  });

  it('spells Locale letters [A-Za-z], so the six characters between Z and a fail', () => {
    for (const locale of ['en', 'en-US', 'de-DE', 'EN-us', 'zh-Han']) {
      expect(validateWith('LocalizedText', { Locale: locale, Text: 'x' }), locale).toEqual({ valid: true });
    }
    for (const locale of ['e[', 'e\\', 'e]', 'e^', 'e_', 'e`', 'en_US', 'en-U', 'eng', '']) {
      expect(pairs(errorsOf(validateWith('LocalizedText', { Locale: locale, Text: 'x' }))), locale).toEqual(['/Locale pattern']);
    }
  });

  it('holds HealthScore to integers 0..100', () => {
    expect(validatePayload('Health', { Health: 'FAILURE_1', HealthScore: 0 })).toEqual({ valid: true });
    expect(pairs(errorsOf(validatePayload('Health', { Health: 'FAILURE_1', HealthScore: 99.5 })))).toEqual(['/HealthScore type']);
  });

  it('keeps RtLicense empty and LicenseText non-empty', () => {
    expect(validatePayload('RtLicense', {})).toEqual({ valid: true });
    expect(pairs(errorsOf(validatePayload('RtLicense', { Key: 1 })))).toEqual([' additionalProperties']);
    expect(pairs(errorsOf(validatePayload('LicenseText', { LicenseText: '' })))).toEqual(['/LicenseText minLength']);
  });

  it('checks Event Details by Category', () => {
    expect(validatePayload('Event', { Number: 0, Category: 'CAT_STATUS_1', Details: { SymbolicId: 'Good' } })).toEqual({ valid: true });
    expect(validatePayload('Event', { Number: 99, Category: 'CAT_GENERIC_99', Details: { Anything: [1] } })).toEqual({ valid: true });
    expect(pairs(errorsOf(validatePayload('Event', { Number: 1, Category: 'CAT_STATUS_1', Details: { SymbolicId: 0 } })))).toEqual([
      '/Details/SymbolicId type',
    ]);
    expect(pairs(errorsOf(validatePayload('Event', { Number: -1, Category: 'CAT_SYSLOG', origin: 'x' })))).toEqual([
      '/Category enum',
      '/Number minimum',
    ]);
  });

  it('checks SubscriptionList TopicPath against the topic grammar, wildcards allowed', () => {
    for (const topicPath of ['Oi4/+/+/+/+/+/Pub/MAM/#', 'Oi4/Registry/+/+/+/+/Get/MAM/#', `Oi4/OTConnector/${APP}/Pub/Health`, 'Oi4/#/a/b/c/d/#/#']) {
      expect(validatePayload('SubscriptionList', { TopicPath: topicPath, Config: 'CONF_1' }), topicPath).toEqual({ valid: true });
    }
    for (const topicPath of ['oi4/+/+/+/+/+/pub/mam/#', `Oi4/OTConnector/${APP}/Pub/LicenseTextX`, `Oi4/OTConnector/${APP}/Pub`, 'Oi4/+/+/+/+/Pub/MAM']) {
      expect(pairs(errorsOf(validatePayload('SubscriptionList', { TopicPath: topicPath }))), topicPath).toEqual(['/TopicPath pattern']);
    }
  });

  it('checks Config groups and parameters, and their keys', () => {
    const name = { Locale: 'en-US', Text: 'n' };
    expect(validatePayload('Config', { Context: { Name: name }, g: { Name: name } })).toEqual({ valid: true });
    expect(pairs(errorsOf(validatePayload('Config', { g: { Name: name, p: { Name: name, Type: 'Float', Value: 1 } } })))).toEqual([
      '/g/p/Type enum',
      '/g/p/Value type',
    ]);
    expect(pairs(errorsOf(validatePayload('Config', { '1g': { Name: name } })))).toEqual([' additionalProperties']);
    expect(pairs(errorsOf(validatePayload('Config', { g: {} })))).toEqual(['/g required']);
  });

  it('checks ReferenceDesignation and Metadata shapes', () => {
    expect(validatePayload('ReferenceDesignation', { Function: { Value: '=A1', Parent: { Value: '=A', Oi4Identifier: APP } } })).toEqual({ valid: true });
    expect(pairs(errorsOf(validatePayload('ReferenceDesignation', { Location: { Local: 'x', Parent: { Value: '+L', Oi4Identifier: 'x' } } })))).toEqual([
      '/Location required',
      '/Location/Parent/Oi4Identifier minLength',
      '/Location/Parent/Oi4Identifier pattern',
    ]);
    const metaData = { Name: 'oee', Namespaces: [], EnumDataTypes: [], StructureDataTypes: [], SimpleDataTypes: [], Fields: [{ Name: 'pv', BuiltInType: 11, DataSetFieldId: '1b4f3c62-0d0e-4d77-8a1c-0e0b1d6c5d00' }] };
    expect(validatePayload('Metadata', metaData)).toEqual({ valid: true });
    expect(
      validateMetaDataMessage({ MessageId: `1-Utility/${APP}`, MessageType: 'ua-metadata', PublisherId: `Utility/${APP}`, DataSetWriterId: 20, Filter: 'oee', Source: APP, MetaData: metaData }),
    ).toEqual({ valid: true });
    expect(pairs(errorsOf(validatePayload('Metadata', { ...metaData, Fields: [{ BuiltInType: 26, DataSetFieldId: 'x' }] })))).toEqual([
      '/Fields/0/BuiltInType maximum',
      '/Fields/0/DataSetFieldId format',
    ]);
  });

  it('lets payloads of undescribed resources be any object', () => {
    for (const resource of ['Data', 'Interfaces', 'AAS', 'Blink'] as const) {
      expect(validatePayload(resource, { anything: [1, 2] })).toEqual({ valid: true });
      expect(pairs(errorsOf(validatePayload(resource, [1])))).toEqual([' type']);
    }
  });
});

describe('schemas and constants agree', () => {
  const types = JSON.parse(readFileSync(new URL('Types.schema.json', new URL(`file://${schemaDirectory()}/`)), 'utf8')) as {
    $defs: Record<string, { enum?: string[]; pattern?: string }>;
  };
  const schema = (name: string): Record<string, unknown> =>
    JSON.parse(readFileSync(new URL(`${name}.schema.json`, new URL(`file://${schemaDirectory()}/`)), 'utf8')) as Record<string, unknown>;

  it('uses the same enumerations', () => {
    expect(types.$defs['ServiceType']?.enum).toEqual([...SERVICE_TYPES]);
    expect(types.$defs['Method']?.enum).toEqual([...METHODS]);
    expect(types.$defs['Resource']?.enum).toEqual([...RESOURCES]);
    expect(types.$defs['HealthState']?.enum).toEqual([...HEALTH_STATES]);
    const text = JSON.stringify([schema('PublicationList'), schema('SubscriptionList'), schema('Event'), schema('Config')]);
    for (const value of [...PUBLICATION_MODES, ...PUBLICATION_CONFIGS, ...SUBSCRIPTION_CONFIGS, ...EVENT_CATEGORIES, ...CONFIG_PARAM_TYPES]) {
      expect(text).toContain(`"${value}"`);
    }
  });

  it('spells every service type, method and resource into the patterns that embed them', () => {
    const embedded = [types.$defs['PublisherId']?.pattern ?? '', types.$defs['MessageId']?.pattern ?? ''];
    for (const pattern of embedded) expect(pattern).toContain(`(${SERVICE_TYPES.join('|')})`);
    const topicPath = JSON.stringify(schema('SubscriptionList'));
    expect(topicPath).toContain(`(${SERVICE_TYPES.join('|')}|\\\\+|#)`);
    expect(topicPath).toContain(`(${METHODS.join('|')}|\\\\+|#)`);
    expect(topicPath).toContain(`(${RESOURCES.join('|')}|\\\\+|#)`);
  });

  it('has GUID-shaped, distinct DataSetClassIds', () => {
    const ids = Object.values(DATA_SET_CLASS_IDS);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(validateWith('NetworkMessage', { MessageId: '1-Utility/acme.com/m/p/s1', MessageType: 'ua-data', PublisherId: 'Utility/acme.com/m/p/s1', DataSetClassId: id, Messages: [] })).toEqual({ valid: true });
    expect(expectedDataSetClassId('Data')).toBeUndefined();
    expect(expectedDataSetClassId('Metadata')).toBeUndefined();
  });
});
