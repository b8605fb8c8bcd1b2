/**
 * The monitor's validation pipeline: every message seen on the bus goes through the same topic, envelope,
 * identifier and payload rules the checks use, and Gets are paired with their answers by CorrelationId.
 * Pure and transport-free: the caller hands in (topic, payload, time), so the pipeline runs the same under a
 * live MQTT connection, in a test with a hand-driven clock, and in a benchmark.
 *
 * Who a violation belongs to: a message is the publisher's. For Pub (and every non-request method) that is
 * the AppId at topic levels 3-6; for a request (Get, Set, Del, Call) it is the requester named by the
 * PublisherId, since levels 3-6 name the addressed application. A Get that is not answered in time, or
 * answered on another topic than its mirror, is a violation of the addressed application, provided the
 * application published something on the bus while the monitor watched (else it may simply be gone).
 *
 * Memory is bounded whatever the flood: the number of applications, samples, pending Gets and cached
 * topics are capped (MonitorLimits); beyond a cap messages are still counted, only not remembered.
 */
import {
  MESSAGE_TYPE_METADATA,
  PAYLOAD_SCHEMAS,
  correlationIdOf,
  dataSetWriterIdOf,
  messageIdOf,
  messageTypeOf,
  parseNetworkMessage,
  payloadOf,
  publisherIdOf,
  validateMetaDataMessage,
  validatePagination,
  type DataSetMessage,
  type NetworkMessage,
  type Resource,
  type SchemaError,
} from '../../../harness/protocols/oi4/index.js';
import { APPLICATION_RESOURCES } from '../lib/resources.js';
import { payloadRoute } from '../lib/payloads.js';
import {
  add,
  dataSetMessageRules,
  entriesOf,
  networkMessageRules,
  payloadRules,
  routeSchemaErrors,
  type Problems,
} from '../lib/rules.js';
import { TopicCache, type TopicInfo } from './topics.js';

/** The bucket of requests whose requester cannot be read from the message. */
export const UNKNOWN_REQUESTER = '(unknown requester)';
/** The bucket of applications beyond MonitorLimits.maxAppIds. */
export const OTHER_APP_IDS = '(other AppIds)';
/**
 * Findings against one of our payload schemas that no catalog requirement names (e.g. an Event payload).
 * Their id is `schema:<SchemaName>`; they are reported, but they are not requirement violations.
 */
export const SCHEMA_FINDING_PREFIX = 'schema:';

export const DEFAULT_RESPONSE_TIMEOUT_MS = 2000;

export interface MonitorLimits {
  /** applications tracked one by one; later ones share the OTHER_APP_IDS bucket */
  readonly maxAppIds: number;
  /** samples kept per application and requirement */
  readonly samplesPerRequirement: number;
  /** samples kept in all */
  readonly maxSamples: number;
  /** Gets awaiting their answer; beyond it the oldest is given up (counted, not judged) */
  readonly maxPendingGets: number;
  /** distinct topics whose description is cached */
  readonly topicCacheSize: number;
  /** longest topic or problem text kept in a sample, in characters */
  readonly maxTextLength: number;
  /** a Get payload up to this size is kept for the evidence of an unanswered Get */
  readonly maxKeptRequestBytes: number;
}

export const DEFAULT_MONITOR_LIMITS: MonitorLimits = {
  maxAppIds: 1000,
  samplesPerRequirement: 5,
  maxSamples: 20_000,
  maxPendingGets: 10_000,
  topicCacheSize: 5000,
  maxTextLength: 1000,
  maxKeptRequestBytes: 4096,
};

/**
 * Called when a message becomes a sample of a violation (at most once per message and application): the
 * caller keeps the message as evidence and returns a reference to it (e.g. the record number), stored in
 * the sample. Return undefined when the message was not kept.
 */
export type EvidenceSink = (appId: string, topic: string, payload: Buffer, at: number) => number | undefined;

export interface MonitorOptions {
  /** the Get -> Pub pairing deadline */
  readonly responseTimeoutMs?: number;
  readonly limits?: Partial<MonitorLimits>;
  readonly evidence?: EvidenceSink;
}

export interface ViolationSample {
  /** the time the message was accepted, on the caller's clock */
  readonly at: number;
  readonly topic: string;
  /** what is wrong, in the rule's words (several problems of one message joined with "; ") */
  readonly problem: string;
  /** what the evidence sink returned for the message */
  readonly evidence?: number;
}

export interface RuleSnapshot {
  /** a catalog requirement id, or `schema:<SchemaName>` */
  readonly id: string;
  /** messages (or Gets) that broke it */
  readonly count: number;
  readonly samples: readonly ViolationSample[];
}

export interface AppIdSnapshot {
  readonly appId: string;
  /** messages this application published */
  readonly messages: number;
  readonly bytes: number;
  /** the ServiceType of its first grammatical topic */
  readonly serviceType?: string;
  readonly firstAt?: number;
  readonly lastAt?: number;
  /** sum of the counts of its violations */
  readonly violationCount: number;
  /** most frequent first */
  readonly violations: readonly RuleSnapshot[];
}

export interface GetPairingStats {
  /** readable Get messages seen */
  readonly seen: number;
  /** Gets awaited (grammatical topic, a mandatory application resource, a MessageId) */
  readonly tracked: number;
  readonly answered: number;
  /** answered, but on another topic than the mirrored one */
  readonly answeredElsewhere: number;
  /** not answered in time by an application that published on the bus during the run: violations */
  readonly unanswered: number;
  /** not answered, addressed to an application that published nothing during the run (it may be gone): not violations */
  readonly unansweredUnseen: number;
  /** still within their deadline when the snapshot was taken */
  readonly pending: number;
  /** given up because MonitorLimits.maxPendingGets was reached */
  readonly dropped: number;
}

export interface MonitorSnapshot {
  readonly messages: number;
  readonly bytes: number;
  readonly responseTimeoutMs: number;
  /** most violations first, then by AppId */
  readonly appIds: readonly AppIdSnapshot[];
  readonly gets: GetPairingStats;
  /** violations counted but not sampled because MonitorLimits.maxSamples was reached */
  readonly samplesOmitted: number;
  /** messages a rule could not judge because it threw (a defect of ours, never the target's) */
  readonly internalErrors: { readonly count: number; readonly first: readonly string[] };
  readonly topicCache: { readonly size: number; readonly misses: number };
  readonly limits: MonitorLimits;
}

/** One line of the live view. */
export interface AppIdSummary {
  readonly appId: string;
  readonly messages: number;
  readonly violationCount: number;
  /** the requirement broken most often so far */
  readonly topRule?: string;
}

interface RuleTally {
  count: number;
  readonly samples: ViolationSample[];
}

interface AppTally {
  readonly appId: string;
  messages: number;
  bytes: number;
  serviceType: string | undefined;
  firstAt: number | undefined;
  lastAt: number | undefined;
  violationCount: number;
  readonly rules: Map<string, RuleTally>;
}

interface PendingGet {
  readonly messageId: string;
  readonly addressed: string;
  readonly topic: string;
  readonly mirror: string;
  readonly levels: number;
  readonly at: number;
  readonly deadline: number;
  /** a copy, when small enough to keep */
  readonly payload: Buffer | undefined;
  readonly bytes: number;
}

/** The message being judged, and the evidence references already taken for it. */
interface Judged {
  readonly topic: string;
  readonly payload: Buffer;
  readonly at: number;
  evidence: Map<AppTally, number | undefined> | undefined;
}

const REQUEST_ENTRY_WRITER_IDS: ReadonlySet<number> = new Set([1, 3]);
const TRACKED_GET_RESOURCES: ReadonlySet<string> = new Set(APPLICATION_RESOURCES);
const PAYLOAD_ROUTES = new Map<Resource, (error: SchemaError) => string>(APPLICATION_RESOURCES.map((r) => [r, payloadRoute(r)]));

/** The requirement the payload schema of a resource is judged under, or undefined when it is not judged. */
function payloadRouteOf(resource: Resource): ((error: SchemaError) => string) | undefined {
  const known = PAYLOAD_ROUTES.get(resource);
  if (known) return known;
  if (resource === 'ReferenceDesignation') return () => 'OI4-RDS-001';
  const schema = PAYLOAD_SCHEMAS[resource];
  // "an object" is already a DataSetMessage rule (OI4-ENV-004)
  if (schema === 'ObjectPayload') return undefined;
  const id = `${SCHEMA_FINDING_PREFIX}${schema}`;
  return () => id;
}

/**
 * The request payload to keep for the evidence of an unanswered Get. A received payload may be a view into
 * a larger socket buffer, which keeping it would keep alive: such a view is copied; a payload in a buffer of
 * its own, or in Node's small 8 KiB pool, is kept as it is (copying every Get costs more than judging it).
 */
function keptRequest(payload: Buffer, maxBytes: number): Buffer | undefined {
  if (payload.byteLength > maxBytes) return undefined;
  return payload.buffer.byteLength <= SHARED_POOL_BYTES ? payload : Buffer.from(payload);
}
const SHARED_POOL_BYTES = 8192;

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, Math.max(0, max - 1))}…`;
}

/** `<ServiceType>/<4 levels>` -> the 4 levels. */
function requesterOf(message: NetworkMessage | undefined): string {
  const publisherId = message ? publisherIdOf(message) : undefined;
  if (publisherId === undefined) return UNKNOWN_REQUESTER;
  const slash = publisherId.indexOf('/');
  const appId = slash < 0 ? '' : publisherId.slice(slash + 1);
  return appId.split('/').length === 4 ? appId : UNKNOWN_REQUESTER;
}

export class MonitorPipeline {
  readonly responseTimeoutMs: number;
  readonly limits: MonitorLimits;
  readonly #evidence: EvidenceSink | undefined;
  readonly #topics: TopicCache;
  readonly #apps = new Map<string, AppTally>();
  /** by MessageId, in arrival order: deadlines are in the same order, so expiry looks at the front only */
  readonly #pending = new Map<string, PendingGet>();
  #messages = 0;
  #bytes = 0;
  #samples = 0;
  #samplesOmitted = 0;
  #getsSeen = 0;
  #getsTracked = 0;
  #answered = 0;
  #answeredElsewhere = 0;
  #unanswered = 0;
  #unansweredUnseen = 0;
  #dropped = 0;
  #internalErrors = 0;
  readonly #internalErrorTexts: string[] = [];

  constructor(options: MonitorOptions = {}) {
    this.responseTimeoutMs = options.responseTimeoutMs ?? DEFAULT_RESPONSE_TIMEOUT_MS;
    this.limits = { ...DEFAULT_MONITOR_LIMITS, ...options.limits };
    this.#evidence = options.evidence;
    this.#topics = new TopicCache(this.limits.topicCacheSize, this.limits.maxTextLength);
  }

  /**
   * Judges one message. `at` is the arrival time in ms on any clock that does not go back (performance.now()
   * live, a counter in tests); Gets whose deadline is before `at` are judged unanswered first.
   */
  accept(topic: string, payload: Buffer, at: number): void {
    this.advance(at);
    this.#messages++;
    this.#bytes += payload.byteLength;
    const judged: Judged = { topic, payload, at, evidence: undefined };
    try {
      const info = this.#topics.get(topic);
      const parsed = parseNetworkMessage(payload);
      const message = parsed.ok ? parsed.message : undefined;
      const app = this.#app(info.isRequest ? requesterOf(message) : info.appId);
      app.messages++;
      app.bytes += payload.byteLength;
      app.firstAt ??= at;
      app.lastAt = at;

      const problems: Problems = new Map();
      for (const [id, text] of info.problems) add(problems, id, text);
      if (!info.isRequest && info.serviceType !== undefined && info.parsed !== undefined) {
        // OI4-TOP-002: one ServiceType in all the application's topics; the first one seen sets it
        if (app.serviceType === undefined) app.serviceType = info.serviceType;
        else if (app.serviceType !== info.serviceType) {
          add(problems, 'OI4-TOP-002', `topic ${topic}: ServiceType "${info.serviceType}" differs from the "${app.serviceType}" of the application's earlier topics`);
        }
      }
      if (!parsed.ok) add(problems, 'OI4-ENV-001', parsed.detail);
      else {
        this.#judgeMessage(info, parsed.message, topic, problems);
        if (info.method === 'Get') this.#remember(info, parsed.message, judged);
        const correlationId = correlationIdOf(parsed.message);
        if (correlationId) this.#pair(correlationId, judged);
      }
      for (const [id, texts] of problems) this.#violation(app, id, texts.join('; '), judged);
    } catch (error) {
      this.#internalError(topic, error);
    }
  }

  /** Judges every Get whose deadline is before `at` as unanswered. */
  advance(at: number): void {
    for (const pending of this.#pending.values()) {
      if (pending.deadline >= at) break;
      this.#pending.delete(pending.messageId);
      const app = this.#apps.get(pending.addressed);
      if (app === undefined || app.messages === 0) {
        // nothing of this application was seen on the bus: it may be gone (a registry still asking after a
        // Last Will), so its silence is counted but not held against it
        this.#unansweredUnseen++;
        continue;
      }
      this.#unanswered++;
      const requirement = pending.levels === 8 ? 'OI4-GET-001' : 'OI4-GET-002';
      const problem = `the Get on ${pending.topic} (MessageId ${pending.messageId}) was not answered within ${this.responseTimeoutMs} ms; expected a Pub with CorrelationId ${pending.messageId} on ${pending.mirror}`;
      const request = pending.payload ?? Buffer.from(`(the request's ${pending.bytes} bytes were not kept)`);
      this.#violation(app, requirement, problem, { topic: pending.topic, payload: request, at: pending.at, evidence: undefined });
    }
  }

  /** Judges the Gets whose deadline has passed at `at` and returns the snapshot; later Gets stay pending. */
  finish(at: number): MonitorSnapshot {
    this.advance(at);
    return this.snapshot();
  }

  snapshot(): MonitorSnapshot {
    const appIds = [...this.#apps.values()].map((app) => this.#appSnapshot(app));
    appIds.sort((a, b) => b.violationCount - a.violationCount || (a.appId < b.appId ? -1 : a.appId > b.appId ? 1 : 0));
    return {
      messages: this.#messages,
      bytes: this.#bytes,
      responseTimeoutMs: this.responseTimeoutMs,
      appIds,
      gets: {
        seen: this.#getsSeen,
        tracked: this.#getsTracked,
        answered: this.#answered,
        answeredElsewhere: this.#answeredElsewhere,
        unanswered: this.#unanswered,
        unansweredUnseen: this.#unansweredUnseen,
        pending: this.#pending.size,
        dropped: this.#dropped,
      },
      samplesOmitted: this.#samplesOmitted,
      internalErrors: { count: this.#internalErrors, first: [...this.#internalErrorTexts] },
      topicCache: { size: this.#topics.size, misses: this.#topics.misses },
      limits: this.limits,
    };
  }

  /** The live view: one line per application, cheap enough to compute every second. */
  summary(): AppIdSummary[] {
    const lines: AppIdSummary[] = [];
    for (const app of this.#apps.values()) {
      let topRule: string | undefined;
      let top = 0;
      for (const [id, tally] of app.rules) {
        if (tally.count > top) {
          top = tally.count;
          topRule = id;
        }
      }
      lines.push({ appId: app.appId, messages: app.messages, violationCount: app.violationCount, ...(topRule !== undefined && { topRule }) });
    }
    return lines;
  }

  get messages(): number {
    return this.#messages;
  }

  // -------------------------------------------------------------------------------------------------------

  #judgeMessage(info: TopicInfo, message: NetworkMessage, topic: string, problems: Problems): void {
    if (info.resource === 'Metadata' && messageTypeOf(message) === MESSAGE_TYPE_METADATA) {
      // a ua-metadata message has its own shape (no Messages array)
      const result = validateMetaDataMessage(message);
      if (!result.valid) routeSchemaErrors(problems, result.errors, () => `${SCHEMA_FINDING_PREFIX}MetaDataMessage`);
      return;
    }
    // An unknown resource name has no DataSetClassId, so the envelope rules skip that comparison; the topic
    // rules already report the name itself.
    const resource = (info.resource ?? info.resourceName ?? '') as Resource;
    networkMessageRules(message, topic, resource, problems, info.parseResult);
    // a requester's PublisherId names the requester, not the application in the topic
    if (info.isRequest) problems.delete('OI4-ID-001');

    const entries = entriesOf(message);
    if (entries.nonObjects > 0) add(problems, 'OI4-ENV-004', `Messages has ${entries.nonObjects} entr${entries.nonObjects === 1 ? 'y' : 'ies'} that are not objects`);
    // request entries (pagination request 1, locale 3) are reserved ids used as intended
    const judgedEntries = info.isRequest ? entries.all.filter((dsm) => !REQUEST_ENTRY_WRITER_IDS.has(dataSetWriterIdOf(dsm) ?? -1)) : entries.all;
    const source = info.parsed?.source;
    const filter = info.parsed?.filter;
    dataSetMessageRules(
      judgedEntries,
      { resource, ...(source !== undefined && { topicSource: source }), ...(filter !== undefined && { topicFilter: filter }) },
      problems,
    );
    if (info.method !== 'Pub' || info.resource === undefined) return;

    const route = payloadRouteOf(info.resource);
    if (route) payloadRules(info.resource, entries.resources, problems, route);
    for (const { dsm, index } of entries.pagination) paginationRules(dsm, index, entries.all.length, problems);
  }

  #remember(info: TopicInfo, message: NetworkMessage, judged: Judged): void {
    this.#getsSeen++;
    const messageId = messageIdOf(message);
    if (info.mirror === undefined || info.resource === undefined || !TRACKED_GET_RESOURCES.has(info.resource)) return;
    if (messageId === undefined || messageId === '' || messageId.length > this.limits.maxTextLength) return;
    if (this.#pending.has(messageId)) return;
    // a Get with another ServiceType than the application's own never reaches it: the requester's mistake
    const addressed = this.#apps.get(info.appId);
    if (addressed?.serviceType !== undefined && addressed.serviceType !== info.serviceType) return;
    if (this.#pending.size >= this.limits.maxPendingGets) {
      const oldest = this.#pending.keys().next();
      if (!oldest.done) this.#pending.delete(oldest.value);
      this.#dropped++;
    }
    const kept = keptRequest(judged.payload, this.limits.maxKeptRequestBytes);
    this.#getsTracked++;
    this.#pending.set(messageId, {
      messageId,
      addressed: info.appId,
      topic: info.topic,
      mirror: info.mirror,
      levels: info.levels,
      at: judged.at,
      deadline: judged.at + this.responseTimeoutMs,
      payload: kept,
      bytes: judged.payload.byteLength,
    });
  }

  #pair(correlationId: string, judged: Judged): void {
    const pending = this.#pending.get(correlationId);
    if (pending === undefined) return;
    this.#pending.delete(correlationId);
    this.#answered++;
    if (judged.topic === pending.mirror) return;
    this.#answeredElsewhere++;
    const requirement = pending.levels === 8 ? 'OI4-GET-001' : 'OI4-GET-002';
    this.#violation(
      this.#app(pending.addressed),
      requirement,
      `the answer to the Get on ${pending.topic} (CorrelationId ${correlationId}) came on ${judged.topic}; expected the mirrored topic ${pending.mirror}`,
      judged,
    );
  }

  #app(appId: string): AppTally {
    let app = this.#apps.get(appId);
    if (app !== undefined) return app;
    if (this.#apps.size >= this.limits.maxAppIds) {
      app = this.#apps.get(OTHER_APP_IDS);
      if (app !== undefined) return app;
      appId = OTHER_APP_IDS;
    }
    app = { appId, messages: 0, bytes: 0, serviceType: undefined, firstAt: undefined, lastAt: undefined, violationCount: 0, rules: new Map() };
    this.#apps.set(appId, app);
    return app;
  }

  #violation(app: AppTally, id: string, problem: string, judged: Judged): void {
    app.violationCount++;
    let tally = app.rules.get(id);
    if (tally === undefined) {
      tally = { count: 0, samples: [] };
      app.rules.set(id, tally);
    }
    tally.count++;
    if (tally.samples.length >= this.limits.samplesPerRequirement) return;
    if (this.#samples >= this.limits.maxSamples) {
      this.#samplesOmitted++;
      return;
    }
    this.#samples++;
    const evidence = this.#evidenceOf(app, judged);
    tally.samples.push({
      at: judged.at,
      topic: clip(judged.topic, this.limits.maxTextLength),
      problem: clip(problem, this.limits.maxTextLength),
      ...(evidence !== undefined && { evidence }),
    });
  }

  #evidenceOf(app: AppTally, judged: Judged): number | undefined {
    if (this.#evidence === undefined) return undefined;
    judged.evidence ??= new Map();
    if (judged.evidence.has(app)) return judged.evidence.get(app);
    const ref = this.#evidence(app.appId, judged.topic, judged.payload, judged.at);
    judged.evidence.set(app, ref);
    return ref;
  }

  #internalError(topic: string, error: unknown): void {
    this.#internalErrors++;
    if (this.#internalErrorTexts.length < 5) {
      const reason = error instanceof Error ? error.message : String(error);
      this.#internalErrorTexts.push(clip(`${topic}: ${reason}`, this.limits.maxTextLength));
    }
  }

  #appSnapshot(app: AppTally): AppIdSnapshot {
    const violations: RuleSnapshot[] = [...app.rules].map(([id, tally]) => ({ id, count: tally.count, samples: [...tally.samples] }));
    violations.sort((a, b) => b.count - a.count || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    return {
      appId: app.appId,
      messages: app.messages,
      bytes: app.bytes,
      ...(app.serviceType !== undefined && { serviceType: app.serviceType }),
      ...(app.firstAt !== undefined && { firstAt: app.firstAt }),
      ...(app.lastAt !== undefined && { lastAt: app.lastAt }),
      violationCount: app.violationCount,
      violations,
    };
  }
}

/** OI4-PAG-001 (DataSetWriterId 2 and the Pagination schema) and OI4-PAG-002 (last entry) of a pagination entry. */
function paginationRules(dsm: DataSetMessage, index: number, total: number, problems: Problems): void {
  const where = `pagination entry Messages[${index}]`;
  const writerId = dataSetWriterIdOf(dsm);
  if (writerId !== 2) add(problems, 'OI4-PAG-001', `${where} has DataSetWriterId ${JSON.stringify(writerId ?? null)}; expected 2`);
  const schema = validatePagination(payloadOf(dsm));
  if (!schema.valid) for (const e of schema.errors) add(problems, 'OI4-PAG-001', `${where}: ${e.path || '(payload)'} ${e.message}`);
  if (index !== total - 1) add(problems, 'OI4-PAG-002', `${where} is entry ${index} of ${total}; it must be the last`);
}

export function createMonitorPipeline(options: MonitorOptions = {}): MonitorPipeline {
  return new MonitorPipeline(options);
}
