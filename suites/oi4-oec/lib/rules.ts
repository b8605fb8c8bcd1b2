/**
 * The envelope, identifier and topic rules of the OI4 OEC guideline, evaluated on one answer.
 * Each rule reports problems under exactly one requirement id, so one deviation of a target turns exactly
 * the requirement it breaks to FAIL (and the self-test matrix can prove it).
 */
import {
  FIRST_APPLICATION_DATA_SET_WRITER_ID,
  correlationIdOf,
  dataSetClassIdOf,
  dataSetMessagesOf,
  dataSetWriterIdOf,
  expectedDataSetClassId,
  filterOf,
  identifierEncodingProblems,
  isServiceType,
  messageIdOf,
  parseOi4Identifier,
  parseTopic,
  payloadOf,
  publisherIdOf,
  sourceOf,
  isLevelCountAllowed,
  isMethod,
  isResource,
  validateDataSetMessage,
  validateNetworkMessage,
  validatePagination,
  validatePayload,
  type DataSetMessage,
  type NetworkMessage,
  type ParseTopicResult,
  type Resource,
  type SchemaError,
} from '../../../harness/protocols/oi4/index.js';

export type Problems = Map<string, string[]>;

export function add(problems: Problems, requirement: string, problem: string): void {
  problems.set(requirement, [...(problems.get(requirement) ?? []), problem]);
}

/** "<where>: <what>"; `base` names the value the schema was applied to (e.g. Messages[0].Payload). */
function describe(error: SchemaError, base: string): string {
  const where = `${base}${error.path}` || '(message)';
  if (error.keyword === 'required') return `${where}: missing field "${String(error.params['missingProperty'])}"`;
  if (error.keyword === 'additionalProperties') return `${where}: unknown field "${String(error.params['additionalProperty'])}"`;
  if (error.keyword === 'enum') return `${where}: ${error.message}`;
  return `${where}: ${error.message}`;
}

/** Schema errors, each sent to the requirement the router names (or dropped when it returns undefined). */
export function routeSchemaErrors(
  problems: Problems,
  errors: readonly SchemaError[],
  route: (error: SchemaError) => string | undefined,
  base = '',
): void {
  for (const error of errors) {
    const requirement = route(error);
    if (requirement) add(problems, requirement, describe(error, base));
  }
}

export interface TopicExpectation {
  readonly appId: string;
  readonly serviceType: string;
}

/** OI4-TOP-001..005 on a topic the target published. */
export function topicRules(topic: string, expected: TopicExpectation, problems: Problems): void {
  const parsed = parseTopic(topic);
  if (!parsed.ok) {
    add(problems, 'OI4-TOP-004', `topic ${topic}: ${parsed.problems.join('; ')}`);
    return;
  }
  const t = parsed.topic;
  if (t.root !== 'Oi4') add(problems, 'OI4-TOP-001', `topic ${topic}: root level is "${t.root}"; expected "Oi4"`);
  if (!isServiceType(t.serviceType)) add(problems, 'OI4-TOP-002', `topic ${topic}: ServiceType "${t.serviceType}" is not one of the v1.1 service types`);
  else if (t.serviceType !== expected.serviceType) {
    add(problems, 'OI4-TOP-002', `topic ${topic}: ServiceType "${t.serviceType}" differs from the application's "${expected.serviceType}"`);
  }
  if (!isMethod(t.method) || !isResource(t.resource)) {
    add(problems, 'OI4-TOP-003', `topic ${topic}: method "${t.method}" / resource "${t.resource}" are not v1.1 names (PascalCase: Pub, Get, …; MAM, Health, …)`);
  } else if (!isLevelCountAllowed(t.levels, t.method, t.resource)) {
    add(problems, 'OI4-TOP-004', `topic ${topic}: ${t.levels} levels are not allowed for ${t.method} ${t.resource}`);
  }
  if (t.appId !== expected.appId) add(problems, 'OI4-TOP-005', `topic ${topic}: AppId levels are "${t.appId}"; expected the application's "${expected.appId}"`);
}

/**
 * OI4-ENV-002/003/005 and OI4-ID-001/002/003 on the NetworkMessage itself. A caller that has parsed the topic
 * already (the monitor, per message) passes the result.
 */
export function networkMessageRules(
  message: NetworkMessage,
  topic: string,
  resource: Resource,
  problems: Problems,
  parsedTopic: ParseTopicResult = parseTopic(topic),
): void {
  const result = validateNetworkMessage(message);
  if (!result.valid) {
    routeSchemaErrors(problems, result.errors, (e) => {
      if (e.path.startsWith('/Messages/')) return undefined; // each DataSetMessage is judged on its own
      if (e.path === '/MessageType') return 'OI4-ENV-003';
      if (e.path === '/DataSetClassId') return 'OI4-ENV-005';
      if (e.path === '/PublisherId' || e.path === '/MessageId') return undefined; // judged against the topic below
      return 'OI4-ENV-002';
    });
  }
  const expectedClass = expectedDataSetClassId(resource);
  const classId = dataSetClassIdOf(message);
  if (expectedClass && classId === undefined) add(problems, 'OI4-ENV-005', `no DataSetClassId; expected ${expectedClass} for ${resource}`);
  else if (expectedClass && classId !== undefined && classId.toLowerCase() !== expectedClass) {
    add(problems, 'OI4-ENV-005', `DataSetClassId is ${classId}; expected ${expectedClass} for ${resource}`);
  }
  const parsed = parsedTopic;
  const publisherId = publisherIdOf(message);
  if (parsed.ok) {
    const expectedPublisher = `${parsed.topic.serviceType}/${parsed.topic.appId}`;
    if (publisherId !== expectedPublisher) {
      add(problems, 'OI4-ID-001', `PublisherId is ${JSON.stringify(publisherId ?? null)}; expected "${expectedPublisher}" from the topic ${topic}`);
    }
  }
  const messageId = messageIdOf(message);
  if (messageId === undefined) add(problems, 'OI4-ID-002', 'MessageId is missing or not a string');
  else if (publisherId !== undefined) {
    const suffix = `-${publisherId}`;
    if (!messageId.endsWith(suffix) || messageId.length === suffix.length) {
      add(problems, 'OI4-ID-002', `MessageId "${messageId}" is not "<prefix>-${publisherId}"`);
    } else {
      const prefix = messageId.slice(0, -suffix.length);
      // Unix milliseconds have 13 digits until the year 2286; a counter may follow them
      if (!/^\d{13,}$/.test(prefix)) add(problems, 'OI4-ID-003', `MessageId prefix "${prefix}" is not a Unix time in milliseconds`);
    }
  }
}

export interface DataSetMessageContext {
  readonly resource: Resource;
  /** Source and Filter of the topic the answer came on */
  readonly topicSource?: string;
  readonly topicFilter?: string;
}

/** OI4-ENV-004/006/007/008/009 and OI4-ID-005/006 on every DataSetMessage of an answer. */
export function dataSetMessageRules(messages: readonly DataSetMessage[], context: DataSetMessageContext, problems: Problems): void {
  messages.forEach((dsm, index) => {
    const at = `Messages[${index}]`;
    const result = validateDataSetMessage(dsm);
    if (!result.valid) {
      routeSchemaErrors(
        problems,
        result.errors,
        (e) => (e.path.startsWith('/Timestamp') ? 'OI4-ENV-008' : e.path.startsWith('/Source') ? 'OI4-ID-005' : 'OI4-ENV-004'),
        `${at}`,
      );
    }
    const pagination = isPagination(dsm);
    const writerId = dataSetWriterIdOf(dsm);
    if (!pagination && writerId !== undefined && writerId < FIRST_APPLICATION_DATA_SET_WRITER_ID) {
      add(problems, 'OI4-ENV-009', `${at}: DataSetWriterId ${writerId} is reserved (0-9); ${context.resource} entries need 10 or more`);
    }
    const source = sourceOf(dsm);
    if (context.topicSource !== undefined && source !== undefined && source !== context.topicSource) {
      add(problems, 'OI4-ENV-006', `${at}: Source "${source}" differs from the topic's Source "${context.topicSource}"`);
    }
    if (!pagination && context.topicFilter !== undefined) {
      const filter = filterOf(dsm);
      if (filter !== context.topicFilter) add(problems, 'OI4-ENV-007', `${at}: Filter ${JSON.stringify(filter ?? null)} differs from the topic's Filter "${context.topicFilter}"`);
    }
    if (source !== undefined) identifierRules(source, `${at}.Source`, problems);
  });
}

/** OI4-ID-005 (form) and OI4-ID-006 (DNP encoding) of an identifier. */
export function identifierRules(identifier: string, where: string, problems: Problems): void {
  for (const [requirement, problem] of identifierVerdict(identifier)) add(problems, requirement, `${where} "${identifier}": ${problem}`);
}

// The same identifiers come back in every message of an application (its Source), and decoding them is the
// most expensive rule on a busy bus (the monitor); the verdict on each is kept, in a bounded memo.
const IDENTIFIER_MEMO_SIZE = 10_000;
const IDENTIFIER_MEMO_MAX_LENGTH = 1024;
const identifierMemo = new Map<string, readonly (readonly [string, string])[]>();

function identifierVerdict(identifier: string): readonly (readonly [string, string])[] {
  const known = identifierMemo.get(identifier);
  if (known !== undefined) return known;
  const parsed = parseOi4Identifier(identifier);
  const verdict = parsed.ok
    ? identifierEncodingProblems(identifier, { allowNonAscii: true }).map((problem) => ['OI4-ID-006', problem] as const)
    : parsed.problems.map((problem) => ['OI4-ID-005', problem] as const);
  if (identifier.length <= IDENTIFIER_MEMO_MAX_LENGTH) {
    if (identifierMemo.size >= IDENTIFIER_MEMO_SIZE) identifierMemo.clear();
    identifierMemo.set(identifier, verdict);
  }
  return verdict;
}

/**
 * A pagination entry: DataSetWriterId 2, or (leniently, as the official validator does) an entry whose
 * payload is a valid Pagination object under another writer id, which OI4-PAG-001 then reports.
 */
export function isPagination(dsm: DataSetMessage): boolean {
  if (dataSetWriterIdOf(dsm) === 2) return true;
  const payload = payloadOf(dsm);
  return payload !== null && typeof payload === 'object' && validatePagination(payload).valid;
}

/** The resource entries and the pagination entries of an answer. */
export function entriesOf(message: NetworkMessage): { resources: DataSetMessage[]; pagination: { dsm: DataSetMessage; index: number }[]; all: DataSetMessage[]; nonObjects: number } {
  const { messages, nonObjects } = dataSetMessagesOf(message);
  const resources: DataSetMessage[] = [];
  const pagination: { dsm: DataSetMessage; index: number }[] = [];
  messages.forEach((dsm, index) => (isPagination(dsm) ? pagination.push({ dsm, index }) : resources.push(dsm)));
  return { resources, pagination, all: messages, nonObjects };
}

/** Payload schema errors of every resource entry, routed by the caller. */
export function payloadRules(
  resource: Resource,
  entries: readonly DataSetMessage[],
  problems: Problems,
  route: (error: SchemaError) => string | undefined,
): void {
  entries.forEach((dsm, index) => {
    const payload = payloadOf(dsm);
    const result = validatePayload(resource, payload);
    if (!result.valid) routeSchemaErrors(problems, result.errors, route, `${resource} Messages[${index}].Payload`);
  });
}

export { correlationIdOf };
