import type { MqttLog } from '../evidence/index.js';
import type { BrokerAccess } from '../model/index.js';
import { MqttConnection, type ReceivedMessage } from '../protocols/mqtt/connection.js';
import {
  correlationIdOf,
  dataSetMessagesOf,
  mamIdentityOf,
  oi4IdentifierFromMam,
  parseNetworkMessage,
  parseTopic,
  payloadOf,
  publisherIdOf,
  sourceOf,
} from '../protocols/oi4/index.js';

/** Every MAM publication of every application, in the v1.1 topic form (facts 2: `Oi4/<ST>/<AppId>/Pub/MAM[/<Source>]`). */
export const MAM_FILTER = 'Oi4/+/+/+/+/+/Pub/MAM/#';

/** One distinct MAM seen on the bus: the same publication repeated is counted, not stored again. */
export interface ObservedMam {
  /** the AppId of the topic (levels 3 to 6) */
  readonly appId: string;
  readonly serviceType: string;
  /** whose MAM it is: the DataSetMessage's Source, else the topic's Source levels */
  readonly source: string | undefined;
  /** the MAM fields as the run's report shows them: plain values as text, a LocalizedText as its Text */
  readonly fields: Readonly<Record<string, string>>;
  /** the Oi4Identifier its ManufacturerUri, Model, ProductCode and SerialNumber make; undefined when one is missing */
  readonly names: string | undefined;
  /** published without a CorrelationId (a birth MAM), rather than as an answer to someone's Get */
  readonly unsolicited: boolean;
  /**
   * who says it sent the message: the NetworkMessage's PublisherId (`<ServiceType>/<AppId>`). On a shared bus it
   * tells a participant's own MAM from one another participant published under its AppId.
   */
  readonly publisherId: string | undefined;
  /** one topic it came on, for messages */
  readonly topic: string;
  count: number;
  readonly firstSeenAt: string;
  lastSeenAt: string;
}

export interface MamObservation {
  readonly variants: readonly ObservedMam[];
  /** MAM messages received */
  readonly messages: number;
  /** messages on a MAM topic that were not a readable NetworkMessage with a MAM payload */
  readonly unreadable: number;
  /** distinct MAMs not kept because the cap was reached (a flooding participant) */
  readonly dropped: number;
  /** why the observer lost the bus before the end, if it did */
  readonly lostBecause?: string;
}

/** A hostile participant could publish endless distinct MAMs: beyond this many, they are counted, not kept. */
const MAX_VARIANTS = 5000;

/** MAM fields as the OI4 preflight writes them into report.target.identity, so the two compare field by field. */
export function flattenMam(payload: Readonly<Record<string, unknown>>): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const [key, value] of Object.entries(payload)) {
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') fields[key] = String(value);
    else if (value && typeof value === 'object' && typeof (value as { Text?: unknown }).Text === 'string') fields[key] = (value as { Text: string }).Text;
  }
  return fields;
}

/**
 * A listener on the plugfest's shared broker for the whole event: it records every MAM any participant publishes,
 * which is what every other participant could see. Subscribed before the first run starts (open resolves after
 * the SUBACK), so no birth MAM is missed.
 */
export class MamObserver {
  readonly #connection: MqttConnection;
  readonly #variants = new Map<string, ObservedMam>();
  #messages = 0;
  #unreadable = 0;
  #dropped = 0;

  private constructor(connection: MqttConnection) {
    this.#connection = connection;
    connection.onMessage((message) => this.#receive(message));
  }

  static async open(options: { broker: BrokerAccess; log: MqttLog; connectTimeoutMs?: number }): Promise<MamObserver> {
    const connection = await MqttConnection.open({ broker: options.broker, connectTimeoutMs: options.connectTimeoutMs ?? 10_000, log: options.log, purpose: 'plugfest-observer' });
    const observer = new MamObserver(connection);
    const refused = await connection.subscribe([MAM_FILTER]);
    if (refused.length) {
      await connection.close();
      throw new Error(`the broker refused the subscription to ${MAM_FILTER}`);
    }
    return observer;
  }

  #receive(message: ReceivedMessage): void {
    this.#messages++;
    this.#connection.record(message);
    const topic = parseTopic(message.topic);
    const parsed = parseNetworkMessage(message.payload);
    if (!topic.ok || !parsed.ok) {
      this.#unreadable++;
      return;
    }
    const entries = dataSetMessagesOf(parsed.message).messages;
    const unsolicited = !correlationIdOf(parsed.message);
    const publisherId = publisherIdOf(parsed.message);
    let readable = 0;
    for (const dsm of entries) {
      const payload = payloadOf(dsm);
      if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) continue;
      readable++;
      const fields = flattenMam(payload as Record<string, unknown>);
      const identity = mamIdentityOf(payload);
      const source = sourceOf(dsm) ?? topic.topic.source;
      const key = JSON.stringify([topic.topic.appId, topic.topic.serviceType, source ?? null, unsolicited, publisherId ?? null, Object.entries(fields).sort(([a], [b]) => a.localeCompare(b))]);
      const now = new Date().toISOString();
      const known = this.#variants.get(key);
      if (known) {
        known.count++;
        known.lastSeenAt = now;
        continue;
      }
      if (this.#variants.size >= MAX_VARIANTS) {
        this.#dropped++;
        continue;
      }
      this.#variants.set(key, {
        appId: topic.topic.appId,
        serviceType: topic.topic.serviceType,
        source,
        fields,
        names: identity ? oi4IdentifierFromMam(identity) : undefined,
        unsolicited,
        publisherId,
        topic: message.topic,
        count: 1,
        firstSeenAt: now,
        lastSeenAt: now,
      });
    }
    if (readable === 0) this.#unreadable++;
  }

  /** Stops listening; what was seen. */
  async close(): Promise<MamObservation> {
    const lost = this.#connection.lost;
    await this.#connection.close();
    return {
      variants: [...this.#variants.values()],
      messages: this.#messages,
      unreadable: this.#unreadable,
      dropped: this.#dropped,
      ...(lost !== undefined && { lostBecause: lost }),
    };
  }
}
