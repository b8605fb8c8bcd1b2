import { randomUUID } from 'node:crypto';
import { BrokerError, MqttConnection, type ConnectOptions, type ReceivedMessage } from '../mqtt/connection.js';
import type { Resource, ServiceType } from './constants.js';
import {
  buildGetRequest,
  correlationIdOf,
  encodeNetworkMessage,
  parseNetworkMessage,
  type NetworkMessage,
  type OutgoingDataSetMessage,
  type OutgoingNetworkMessage,
  type ParseNetworkMessageResult,
  publisherIdOf,
} from './envelope.js';
import { buildTopic, mirrorTopic } from './topic.js';

/**
 * The harness's own OI4 identity when it sends requests. Targets drop a Get whose PublisherId breaks the
 * schema (facts 6.1), so it is a valid `<ServiceType>/<Oi4Identifier>`.
 */
export const HARNESS_SERVICE_TYPE = 'Utility';
// The serial is per process: MessageIds are "<ms>-<PublisherId>", so two runs on one broker (a plugfest) must
// not share a PublisherId, or one could take the other's answer for its own.
export const HARNESS_APP_ID = `harness.oi4-conformance.test/Conformance,20Harness/OI4-CONFORMANCE/${randomUUID().slice(0, 8)}`;
export const HARNESS_PUBLISHER_ID = `${HARNESS_SERVICE_TYPE}/${HARNESS_APP_ID}`;

/** Where an answer to a Get was expected and what came. */
export interface GetExchange {
  readonly resource: Resource;
  readonly requestTopic: string;
  /** the mirrored Pub topic the answer must come on */
  readonly expectedTopic: string;
  readonly request: OutgoingNetworkMessage;
  /** session position just before the request was sent */
  readonly sentAfter: number;
  /** the first readable message carrying CorrelationId = request MessageId, on whatever topic it came */
  readonly answer?: Answer;
  /** with no answer: a message on the mirrored topic that is not a readable NetworkMessage */
  readonly unreadable?: { readonly received: ReceivedMessage; readonly problem: string };
  /** with no answer: a readable message on the mirrored topic whose CorrelationId is not ours */
  readonly uncorrelated?: Answer;
  /**
   * with no answer: a message without any CorrelationId on a topic that also carries unsolicited publications
   * (Pub/MAM/<Source>, Pub/Health/<Source>): a heartbeat and an answer lacking its CorrelationId look the same
   */
  readonly ambiguous?: Answer;
  readonly elapsedMs?: number;
}

export interface Answer {
  readonly received: ReceivedMessage;
  readonly message: NetworkMessage;
  readonly raw: string;
}

export interface GetOptions {
  readonly resource: Resource;
  /** Source levels (an Oi4Identifier); absent for the 8-level "all sources" form */
  readonly source?: string;
  readonly filter?: string;
  readonly timeoutMs: number;
  /** address another application than the target (the topic's AppId levels) */
  readonly appId?: string;
  readonly serviceType?: string;
  readonly dataSetClassId?: string;
  readonly correlationId?: string;
  readonly messages?: OutgoingDataSetMessage[];
  /** after an uncorrelated message on the mirrored topic, how long to still wait for the real answer */
  readonly graceMs?: number;
}

export interface Oi4SessionOptions extends ConnectOptions {
  /** the target's AppId and ServiceType, as known after discovery */
  readonly appId: string;
  readonly serviceType: string;
  /** caps of the in-memory message buffer: a flooding target must not exhaust the harness */
  readonly maxBufferedMessages?: number;
  /** QoS 1 lets a check see the QoS the target published with (delivery is at the lower of the two) */
  readonly subscriptionQos?: 0 | 1;
  readonly maxBufferedBytes?: number;
}

/** Thrown when a wait ends because the check's time is up. */
export class WaitAborted extends Error {
  override readonly name = 'WaitAborted';
}

/**
 * An MQTT session of the harness with one OI4 target: it subscribes broadly and keeps what concerns the
 * target (its AppId anywhere in the topic, or a CorrelationId of ours in the payload). A broad subscription
 * means an answer on a wrong root, service type or AppId is still seen and can be named in a FAIL.
 */
export class Oi4Session {
  readonly appId: string;
  readonly serviceType: string;
  /** subscription filters the broker refused; with '#' refused the session falls back to 'Oi4/#' */
  readonly refusedFilters: readonly string[];

  readonly #connection: MqttConnection;
  readonly #signal: AbortSignal | undefined;
  readonly #buffer: ReceivedMessage[] = [];
  #bufferedBytes = 0;
  #dropped = 0;
  readonly #maxMessages: number;
  readonly #maxBytes: number;
  readonly #sent = new Set<string>();
  readonly #tokens: Buffer[] = [];
  readonly #waiters = new Set<(message: ReceivedMessage) => void>();
  readonly #parsed = new WeakMap<ReceivedMessage, ParseNetworkMessageResult>();

  private constructor(connection: MqttConnection, options: Oi4SessionOptions, refused: string[]) {
    this.#connection = connection;
    this.appId = options.appId;
    this.serviceType = options.serviceType;
    this.#signal = options.signal;
    this.#maxMessages = options.maxBufferedMessages ?? 50_000;
    this.#maxBytes = options.maxBufferedBytes ?? 64 * 1024 * 1024;
    this.refusedFilters = refused;
    connection.onMessage((message) => this.#accept(message));
  }

  static async open(options: Oi4SessionOptions): Promise<Oi4Session> {
    const connection = await MqttConnection.open(options);
    let session: Oi4Session | undefined;
    const early: ReceivedMessage[] = [];
    const stopEarly = connection.onMessage((m) => (session ? undefined : early.push(m)));
    try {
      const qos = options.subscriptionQos ?? 0;
      let refused = await connection.subscribe(['#'], qos);
      if (refused.length) refused = [...refused, ...(await connection.subscribe(['Oi4/#'], qos))];
      if (refused.includes('#') && refused.includes('Oi4/#')) {
        throw new BrokerError('the broker refused the subscriptions "#" and "Oi4/#"; the harness needs to read the target\'s topics');
      }
      session = new Oi4Session(connection, options, refused);
      stopEarly();
      for (const message of early) session.#accept(message);
      return session;
    } catch (error) {
      stopEarly();
      await connection.close();
      throw error;
    }
  }

  /** Position of the newest message; pass it as `after` to look only at what arrives later. */
  mark(): number {
    return this.#buffer.at(-1)?.seq ?? 0;
  }

  /** Messages kept since a position, in arrival order. */
  since(after: number): ReceivedMessage[] {
    return this.#buffer.filter((m) => m.seq > after);
  }

  /** Messages not kept because a buffer cap was reached. */
  get dropped(): number {
    return this.#dropped;
  }

  /** The message as a NetworkMessage, parsed once. */
  parse(message: ReceivedMessage): ParseNetworkMessageResult {
    let parsed = this.#parsed.get(message);
    if (!parsed) {
      parsed = parseNetworkMessage(message.payload);
      this.#parsed.set(message, parsed);
    }
    return parsed;
  }

  /** Readable messages since a position that answer the given request MessageId. */
  answersTo(messageId: string, after: number): Answer[] {
    const token = Buffer.from(messageId);
    const answers: Answer[] = [];
    for (const received of this.since(after)) {
      if (!received.payload.includes(token)) continue;
      const parsed = this.parse(received);
      if (parsed.ok && correlationIdOf(parsed.message) === messageId) answers.push({ received, message: parsed.message, raw: parsed.raw });
    }
    return answers;
  }

  /**
   * Waits for the first message after `after` that satisfies the predicate. Resolves undefined at the
   * deadline; rejects when the check's time is up or the connection is lost.
   */
  waitFor(predicate: (message: ReceivedMessage) => boolean, options: { after: number; timeoutMs: number }): Promise<ReceivedMessage | undefined> {
    const found = this.since(options.after).find(predicate);
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const lost = this.#connection.lost;
      if (lost) return reject(new BrokerError(lost));
      const finish = (settle: () => void) => {
        clearTimeout(timer);
        clearInterval(watchdog);
        this.#waiters.delete(onMessage);
        this.#signal?.removeEventListener('abort', onAbort);
        settle();
      };
      const onMessage = (message: ReceivedMessage) => {
        if (predicate(message)) finish(() => resolve(message));
      };
      const onAbort = () => finish(() => reject(new WaitAborted(String((this.#signal?.reason as Error | undefined)?.message ?? 'aborted'))));
      const timer = setTimeout(() => finish(() => resolve(undefined)), options.timeoutMs);
      // a lost connection produces no message event; notice it instead of waiting out the deadline
      const watchdog = setInterval(() => {
        const why = this.#connection.lost;
        if (why) finish(() => reject(new BrokerError(`MQTT connection lost: ${why}`)));
      }, 100);
      this.#waiters.add(onMessage);
      this.#signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** Publishes a NetworkMessage the harness built; the MessageId is remembered so answers are kept. */
  async send(topic: string, message: OutgoingNetworkMessage | Buffer): Promise<void> {
    const payload = Buffer.isBuffer(message) ? message : encodeNetworkMessage(message);
    if (!Buffer.isBuffer(message)) this.#tokens.push(Buffer.from(message.MessageId));
    this.#sent.add(sentKey(topic, payload));
    await this.#connection.publish(topic, payload);
  }

  /**
   * Sends a Get and waits for its answer: the first readable message with our MessageId as CorrelationId,
   * on whatever topic it comes. Failing that, it reports what came on the mirrored topic: an unreadable
   * message (a target answering garbage) or one with another CorrelationId.
   */
  async get(options: GetOptions): Promise<GetExchange> {
    const requestTopic = buildTopic({
      // a target may use a ServiceType outside the enum (a FAIL elsewhere); it must still be addressable
      serviceType: (options.serviceType ?? this.serviceType) as ServiceType,
      appId: options.appId ?? this.appId,
      method: 'Get',
      resource: options.resource,
      ...(options.source !== undefined && { source: options.source }),
      ...(options.filter !== undefined && { filter: options.filter }),
    });
    const expectedTopic = mirrorTopic(requestTopic);
    let attempt = await this.#attempt(requestTopic, expectedTopic, options);
    const first = attempt.found && !attempt.correlated ? this.parse(attempt.found) : undefined;
    if (first?.ok && !correlationIdOf(first.message) && carriesUnsolicited(expectedTopic)) {
      const base = { resource: options.resource, requestTopic, expectedTopic, request: attempt.request, sentAfter: attempt.sentAfter };
      return { ...base, ambiguous: { received: attempt.found!, message: first.message, raw: first.raw }, elapsedMs: Math.round(attempt.found!.at - attempt.started) };
    }
    if (first?.ok) {
      // A readable message on the mirrored topic without our CorrelationId is a wrong answer or an unsolicited
      // publication (a heartbeat on Pub/Health/<Source> looks the same). Ask once more: a target answering
      // without our id does so again, a heartbeat does not come back on cue.
      attempt = await this.#attempt(requestTopic, expectedTopic, options);
    }
    const { request, sentAfter, found, started } = attempt;
    const base = { resource: options.resource, requestTopic, expectedTopic, request, sentAfter };
    if (!found) return base;
    const elapsedMs = Math.round(found.at - started);
    const parsed = this.parse(found);
    if (!parsed.ok) return { ...base, unreadable: { received: found, problem: parsed.detail }, elapsedMs };
    const answer = { received: found, message: parsed.message, raw: parsed.raw };
    return attempt.correlated ? { ...base, answer, elapsedMs } : { ...base, uncorrelated: answer, elapsedMs };
  }

  /** One Get: the first message that answers it, or else the first one on the mirrored topic. */
  async #attempt(requestTopic: string, expectedTopic: string, options: GetOptions) {
    const request = buildGetRequest({
      publisherId: HARNESS_PUBLISHER_ID,
      resource: options.resource,
      ...(options.dataSetClassId !== undefined && { dataSetClassId: options.dataSetClassId }),
      ...(options.correlationId !== undefined && { correlationId: options.correlationId }),
      ...(options.messages !== undefined && { messages: options.messages }),
    });
    const sentAfter = this.mark();
    const started = performance.now();
    await this.send(requestTopic, request);
    const token = Buffer.from(request.MessageId);
    const isAnswer = (m: ReceivedMessage): boolean => {
      if (!m.payload.includes(token)) return false;
      const parsed = this.parse(m);
      return parsed.ok && correlationIdOf(parsed.message) === request.MessageId;
    };
    let found = await this.waitFor((m) => isAnswer(m) || m.topic === expectedTopic, { after: sentAfter, timeoutMs: options.timeoutMs });
    if (found && !isAnswer(found) && this.parse(found).ok) {
      // the real answer, if any, gets a short grace
      const remaining = Math.max(0, options.timeoutMs - (performance.now() - started));
      const real = await this.waitFor(isAnswer, { after: sentAfter, timeoutMs: Math.min(remaining, options.graceMs ?? 500) });
      if (real) found = real;
    }
    const addressee = `${options.serviceType ?? this.serviceType}/${options.appId ?? this.appId}`;
    const fromAddressee = (m: ReceivedMessage): boolean => {
      const parsed = this.parse(m);
      return parsed.ok && publisherIdOf(parsed.message) === addressee;
    };
    if (found && isAnswer(found) && !fromAddressee(found)) {
      // On a shared broker (a plugfest) another application may answer a Get addressed to this one. The addressee's
      // own answer, when it follows, is the one to judge; a target with a wrong PublisherId is still judged on its
      // only answer once the grace has passed.
      const remaining = Math.max(0, options.timeoutMs - (performance.now() - started));
      const own = await this.waitFor((m) => isAnswer(m) && fromAddressee(m), { after: sentAfter, timeoutMs: Math.min(remaining, options.graceMs ?? 500) });
      if (own) found = own;
    }
    return { request, sentAfter, started, found, correlated: found !== undefined && isAnswer(found) };
  }

  /**
   * Waits until everything the broker had queued for us before this call has arrived: publishes a marker
   * on a topic of our own and waits for it to come back. Used instead of sleeping when a check must know
   * that something did not happen.
   */
  async barrier(timeoutMs: number): Promise<boolean> {
    const topic = `oi4-conformance/barrier/${randomUUID()}`;
    const after = this.mark();
    // published around send(), so the echo is not filtered out as our own request
    await this.#connection.publish(topic, Buffer.from('barrier'));
    const echoed = await this.waitFor((m) => m.topic === topic, { after, timeoutMs });
    return echoed !== undefined;
  }

  /** A second look: subscribe anew to a topic on a fresh connection and report any retained message. */
  async retainedOn(topic: string, connect: Omit<ConnectOptions, 'purpose'>, timeoutMs: number): Promise<ReceivedMessage | undefined> {
    const probe = await MqttConnection.open({ ...connect, purpose: 'retain-probe' });
    try {
      const seen: ReceivedMessage[] = [];
      probe.onMessage((m) => seen.push(m));
      await probe.subscribe([topic]);
      // retained messages are sent on subscription, before anything published after it
      const marker = `oi4-conformance/barrier/${randomUUID()}`;
      await probe.subscribe([marker]);
      await probe.publish(marker, Buffer.from('barrier'));
      const deadline = performance.now() + timeoutMs;
      await new Promise<void>((resolve) => {
        const stop = probe.onMessage((m) => {
          if (m.topic === marker) finish();
        });
        const timer = setTimeout(finish, Math.max(0, deadline - performance.now()));
        function finish() {
          clearTimeout(timer);
          stop();
          resolve();
        }
        if (seen.some((m) => m.topic === marker)) finish();
      });
      const retained = seen.find((m) => m.topic === topic && m.retain);
      if (retained) probe.record(retained);
      return retained;
    } finally {
      await probe.close();
    }
  }

  /** Clears a retained message we found, so later runs and other users of the broker do not see it. */
  async clearRetained(topic: string): Promise<void> {
    await this.#connection.publish(topic, Buffer.alloc(0), { retain: true });
  }

  get connectionLost(): string | undefined {
    return this.#connection.lost;
  }

  async close(): Promise<void> {
    this.#waiters.clear();
    await this.#connection.close();
  }

  #accept(message: ReceivedMessage): void {
    if (this.#sent.has(sentKey(message.topic, message.payload))) return; // our own request, echoed by '#'
    if (!this.#concernsTarget(message)) return;
    this.#connection.record(message);
    this.#buffer.push(message);
    this.#bufferedBytes += message.payload.byteLength;
    while (this.#buffer.length > this.#maxMessages || this.#bufferedBytes > this.#maxBytes) {
      const old = this.#buffer.shift();
      if (!old) break;
      this.#bufferedBytes -= old.payload.byteLength;
      this.#dropped++;
    }
    for (const waiter of [...this.#waiters]) waiter(message);
  }

  #concernsTarget(message: ReceivedMessage): boolean {
    if (message.topic.startsWith('oi4-conformance/barrier/')) return true;
    if (message.topic.includes(`/${this.appId}/`) || message.topic.endsWith(`/${this.appId}`)) return true;
    return this.#tokens.some((token) => message.payload.includes(token));
  }
}

/** Topics where the target also publishes unasked: the birth MAM and the Health heartbeat of each source. */
function carriesUnsolicited(topic: string): boolean {
  const levels = topic.split('/');
  return levels.length === 12 && levels[6] === 'Pub' && (levels[7] === 'MAM' || levels[7] === 'Health');
}

function sentKey(topic: string, payload: Buffer): string {
  return `${topic}\u0000${payload.toString('latin1')}`;
}

export { BrokerError, type ReceivedMessage } from '../mqtt/connection.js';
