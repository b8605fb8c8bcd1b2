import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import { randomUUID } from 'node:crypto';
import type { MqttLog } from '../../evidence/index.js';
import { redactUrl } from '../../evidence/index.js';
import type { BrokerAccess } from '../../model/index.js';
import { describeTlsError } from './tls.js';

/** A message as the harness received it. */
export interface ReceivedMessage {
  /** position in the session, starting at 1 */
  readonly seq: number;
  readonly topic: string;
  readonly payload: Buffer;
  readonly qos: number;
  readonly retain: boolean;
  /** performance.now() at arrival */
  readonly at: number;
}

/** The broker could not be reached or refused us: an ERROR of the run, not a FAIL of the target. */
export class BrokerError extends Error {
  override readonly name = 'BrokerError';
}

export interface ConnectOptions {
  readonly broker: BrokerAccess;
  readonly connectTimeoutMs: number;
  readonly signal?: AbortSignal;
  /** evidence: every message sent and received is recorded here */
  readonly log?: MqttLog;
  /** a label for the client id, e.g. the check id */
  readonly purpose: string;
}

/**
 * How every harness client connects: MQTT 3.1.1, a clean session, never reconnecting on its own (a lost
 * connection is a finding, not something to paper over), and a client id that says who it is and is unique.
 */
export function harnessClientOptions(clientIdPrefix: string, purpose: string, connectTimeoutMs: number): IClientOptions & { clientId: string } {
  return {
    clientId: `${clientIdPrefix}-${purpose}`.slice(0, 40).replace(/[^A-Za-z0-9._-]/g, '-') + `-${randomUUID().slice(0, 8)}`,
    protocolVersion: 4,
    clean: true,
    reconnectPeriod: 0,
    connectTimeout: connectTimeoutMs,
    keepalive: 30,
  };
}

/**
 * One MQTT connection of the harness. It never reconnects on its own: a lost connection during a check is
 * something the check must see. Messages are delivered to listeners in arrival order.
 */
export class MqttConnection {
  readonly #client: MqttClient;
  readonly #log: MqttLog | undefined;
  readonly #listeners = new Set<(message: ReceivedMessage) => void>();
  #seq = 0;
  #closedBecause: string | undefined;

  private constructor(client: MqttClient, log: MqttLog | undefined) {
    this.#client = client;
    this.#log = log;
    client.on('message', (topic, payload, packet) => {
      const message: ReceivedMessage = { seq: ++this.#seq, topic, payload, qos: packet.qos, retain: packet.retain, at: performance.now() };
      for (const listener of this.#listeners) listener(message);
    });
    client.on('close', () => {
      this.#closedBecause ??= 'the broker closed the connection';
    });
    client.on('error', (error) => {
      this.#closedBecause ??= `connection error: ${error.message}`;
    });
  }

  static async open(options: ConnectOptions): Promise<MqttConnection> {
    const { broker } = options;
    const clientOptions: IClientOptions = {
      ...harnessClientOptions(broker.clientIdPrefix, options.purpose, options.connectTimeoutMs),
      ...(broker.username !== undefined && { username: broker.username }),
      ...(broker.password !== undefined && { password: broker.password }),
      ...(broker.tls && {
        ...(broker.tls.ca !== undefined && { ca: broker.tls.ca }),
        ...(broker.tls.cert !== undefined && { cert: broker.tls.cert }),
        ...(broker.tls.key !== undefined && { key: broker.tls.key }),
        ...(broker.tls.passphrase !== undefined && { passphrase: broker.tls.passphrase }),
        rejectUnauthorized: broker.tls.rejectUnauthorized,
        ...(broker.tls.servername !== undefined && { servername: broker.tls.servername }),
      }),
    };
    const endpoint = redactUrl(broker.url);
    const client = mqtt.connect(broker.url, clientOptions);
    try {
      await new Promise<void>((resolve, reject) => {
        const fail = (reason: string) => {
          cleanup();
          reject(new BrokerError(`cannot connect to MQTT broker ${endpoint}: ${reason}`));
        };
        const onConnect = () => {
          cleanup();
          resolve();
        };
        const onError = (error: Error) => fail(describeConnectError(error, broker));
        const onClose = () => fail('connection closed before CONNACK');
        const onAbort = () => fail('aborted');
        const timer = setTimeout(() => fail(`no CONNACK within ${options.connectTimeoutMs} ms`), options.connectTimeoutMs);
        const cleanup = () => {
          clearTimeout(timer);
          client.off('connect', onConnect);
          client.off('error', onError);
          client.off('close', onClose);
          options.signal?.removeEventListener('abort', onAbort);
        };
        client.once('connect', onConnect);
        client.on('error', onError);
        client.once('close', onClose);
        options.signal?.addEventListener('abort', onAbort, { once: true });
      });
    } catch (error) {
      client.end(true);
      throw error;
    }
    // small request/answer packets: without noDelay, Nagle and delayed ACKs add ~40 ms per exchange
    const stream = client.stream as { setNoDelay?: (noDelay: boolean) => unknown } | undefined;
    stream?.setNoDelay?.(true);
    return new MqttConnection(client, options.log);
  }

  /** Why the connection is gone, or undefined while it is up. */
  get lost(): string | undefined {
    return this.#client.connected ? undefined : (this.#closedBecause ?? 'not connected');
  }

  onMessage(listener: (message: ReceivedMessage) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Subscribes; returns the filters the broker refused (SUBACK 0x80). */
  async subscribe(filters: readonly string[], qos: 0 | 1 = 0): Promise<string[]> {
    const granted = await this.#client.subscribeAsync([...filters], { qos });
    return granted.filter((g) => g.qos === 128).map((g) => g.topic);
  }

  async publish(topic: string, payload: Buffer, options: { retain?: boolean } = {}): Promise<void> {
    this.#log?.record('sent', topic, payload, 0, options.retain ?? false);
    if (this.lost) throw new BrokerError(`cannot publish on ${topic}: ${this.lost}`);
    await this.#client.publishAsync(topic, payload, { qos: 0, retain: options.retain ?? false });
  }

  /** Records a received message as evidence (the session decides what is relevant). */
  record(message: ReceivedMessage): void {
    this.#log?.record('received', message.topic, message.payload, message.qos, message.retain);
  }

  async close(): Promise<void> {
    this.#listeners.clear();
    await this.#client.endAsync(true).catch(() => undefined);
  }
}

export function describeConnectError(error: Error, broker: Pick<BrokerAccess, 'url' | 'tls'>): string {
  const code = (error as NodeJS.ErrnoException).code;
  const text = error.message;
  if (code === 'ECONNREFUSED') return 'connection refused (is the broker running and the port right?)';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return `host not found (${code})`;
  if (/not authorized|bad user ?name or password|connection refused: (5|4)/i.test(text)) return `the broker refused the credentials (${text})`;
  const tls = broker.url.startsWith('mqtts:') ? describeTlsError(error, broker) : undefined;
  if (tls) return tls;
  if (/certificate|self.signed|unable to verify|CERT_|TLS|SSL/i.test(text) || (typeof code === 'string' && code.startsWith('ERR_TLS'))) {
    return `TLS: the handshake failed: ${text.split('\n')[0]}${code ? ` (${code})` : ''}`;
  }
  return code ? `${text} (${code})` : text;
}
