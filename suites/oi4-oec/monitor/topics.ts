/**
 * What the monitor needs to know about a topic, computed once per distinct topic: who publishes on it, what
 * it addresses, and which topic rules it breaks. A live bus repeats a small set of topics, so the grammar is
 * judged once per topic rather than once per message.
 */
import { isResource, isServiceType, mirrorTopic, parseTopic, type ParsedTopic, type ParseTopicResult, type Resource } from '../../../harness/protocols/oi4/index.js';
import { topicRules, type Problems } from '../lib/rules.js';

/** The AppId bucket of a topic too short to carry levels 3-6. */
export const NO_APP_ID = '(no AppId)';

/** Methods whose message is published by a requester on the addressed application's topic. */
const REQUEST_METHODS: ReadonlySet<string> = new Set(['Get', 'Set', 'Del', 'Call']);

const APP_ID_FROM = 2;
const APP_ID_TO = 6;
const METHOD_INDEX = 6;
const RESOURCE_INDEX = 7;

export interface TopicInfo {
  readonly topic: string;
  readonly levels: number;
  /** levels 3-6 joined with "/", or NO_APP_ID when the topic has fewer than 6 levels */
  readonly appId: string;
  /** level 7, when present */
  readonly method: string | undefined;
  /** level 8 when it is a v1.1 resource name */
  readonly resource: Resource | undefined;
  /** level 8 as written, when present */
  readonly resourceName: string | undefined;
  /** level 2 when it is a v1.1 ServiceType */
  readonly serviceType: string | undefined;
  /** Get, Set, Del or Call: published by a requester, not by the application the topic names */
  readonly isRequest: boolean;
  /** the topic's structure when it has an allowed level count */
  readonly parsed: ParsedTopic | undefined;
  /** parseTopic's result, for the rules that take it */
  readonly parseResult: ParseTopicResult;
  /** the topic rules' problems, [requirement id, problem] */
  readonly problems: readonly (readonly [string, string])[];
  /** for a grammatical Get topic: the Pub topic its answer must come on */
  readonly mirror: string | undefined;
}

export function describeTopic(topic: string): TopicInfo {
  const segments = topic.split('/');
  const levels = segments.length;
  const appId = levels >= APP_ID_TO ? segments.slice(APP_ID_FROM, APP_ID_TO).join('/') : NO_APP_ID;
  const method = segments[METHOD_INDEX];
  const resourceName = segments[RESOURCE_INDEX];
  const serviceType = segments[1];
  const parsedResult = parseTopic(topic);
  const parsed = parsedResult.ok ? parsedResult.topic : undefined;

  // The expected AppId and ServiceType are the topic's own: consistency of the ServiceType across an
  // application's topics needs the other topics, and the pipeline judges it per application.
  const collected: Problems = new Map();
  topicRules(topic, { appId: parsed?.appId ?? appId, serviceType: parsed?.serviceType ?? serviceType ?? '' }, collected);
  const problems: [string, string][] = [];
  for (const [id, texts] of collected) for (const text of texts) problems.push([id, text]);

  const grammatical = problems.length === 0;
  return {
    topic,
    levels,
    appId,
    method,
    resource: resourceName !== undefined && isResource(resourceName) ? resourceName : undefined,
    resourceName,
    serviceType: serviceType !== undefined && isServiceType(serviceType) ? serviceType : undefined,
    isRequest: method !== undefined && REQUEST_METHODS.has(method),
    parsed,
    parseResult: parsedResult,
    problems,
    mirror: grammatical && method === 'Get' ? mirrorTopic(topic) : undefined,
  };
}

/**
 * A bounded cache of topic descriptions. Oldest entries go first when it is full (a flood of distinct topics
 * costs recomputation, never memory). Very long topics are described but not kept.
 */
export class TopicCache {
  readonly #entries = new Map<string, TopicInfo>();
  readonly #capacity: number;
  readonly #maxTopicLength: number;
  #misses = 0;

  constructor(capacity: number, maxTopicLength = 1024) {
    this.#capacity = Math.max(1, capacity);
    this.#maxTopicLength = maxTopicLength;
  }

  get(topic: string): TopicInfo {
    const hit = this.#entries.get(topic);
    if (hit !== undefined) return hit;
    this.#misses++;
    const info = describeTopic(topic);
    if (topic.length <= this.#maxTopicLength) {
      if (this.#entries.size >= this.#capacity) {
        const oldest = this.#entries.keys().next();
        if (!oldest.done) this.#entries.delete(oldest.value);
      }
      this.#entries.set(topic, info);
    }
    return info;
  }

  get size(): number {
    return this.#entries.size;
  }

  /** how many lookups had to describe the topic anew */
  get misses(): number {
    return this.#misses;
  }
}
