import { sha256Hex } from './hash.js';
import type { Redactor } from './redact.js';

/**
 * The MQTT evidence of one check: every message sent and received, in order.
 * A hostile target can flood or send megabytes, so both the number of records and the stored payload
 * size are capped; what is cut is counted and flagged, never silently dropped.
 */

export type Direction = 'sent' | 'received';

export interface MqttRecord {
  readonly seq: number;
  /** ISO 8601 time the harness sent or received the message */
  readonly at: string;
  readonly direction: Direction;
  readonly topic: string;
  readonly qos: number;
  readonly retain: boolean;
  /** size of the full payload in bytes */
  readonly bytes: number;
  /** sha256 of the full payload, so a truncated record still identifies the message */
  readonly sha256: string;
  /** the payload as UTF-8 text, or base64 when it is not valid UTF-8 */
  readonly payload: string;
  readonly encoding: 'utf8' | 'base64';
  /** true when `payload` holds only the first maxPayloadBytes */
  readonly truncated: boolean;
}

export interface MqttLogLimits {
  readonly maxRecords: number;
  readonly maxPayloadBytes: number;
}

export const DEFAULT_MQTT_LOG_LIMITS: MqttLogLimits = { maxRecords: 2000, maxPayloadBytes: 64 * 1024 };

const utf8 = new TextDecoder('utf-8', { fatal: true });

function payloadText(bytes: Uint8Array): { text: string; encoding: 'utf8' | 'base64' } {
  try {
    return { text: utf8.decode(bytes), encoding: 'utf8' };
  } catch {
    return { text: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64'), encoding: 'base64' };
  }
}

export class MqttLog {
  readonly #records: MqttRecord[] = [];
  readonly #limits: MqttLogLimits;
  readonly #redact: Redactor;
  #seq = 0;
  #dropped = 0;

  constructor(redact: Redactor, limits: MqttLogLimits = DEFAULT_MQTT_LOG_LIMITS) {
    this.#redact = redact;
    this.#limits = limits;
  }

  record(direction: Direction, topic: string, payload: Uint8Array, qos: number, retain: boolean): void {
    const seq = ++this.#seq;
    if (this.#records.length >= this.#limits.maxRecords) {
      this.#dropped++;
      return;
    }
    const truncated = payload.byteLength > this.#limits.maxPayloadBytes;
    const kept = truncated ? payload.subarray(0, this.#limits.maxPayloadBytes) : payload;
    // A cut can split a UTF-8 sequence; decode what is kept leniently in that case.
    const { text, encoding } = truncated ? { text: Buffer.from(kept).toString('utf8'), encoding: 'utf8' as const } : payloadText(kept);
    this.#records.push({
      seq,
      at: new Date().toISOString(),
      direction,
      topic: this.#redact(topic),
      qos,
      retain,
      bytes: payload.byteLength,
      sha256: sha256Hex(payload),
      payload: this.#redact(text),
      encoding,
      truncated,
    });
  }

  get records(): readonly MqttRecord[] {
    return this.#records;
  }

  /** messages seen but not stored because the record cap was reached */
  get dropped(): number {
    return this.#dropped;
  }

  get total(): number {
    return this.#seq;
  }

  /** JSON Lines; a final line states how many records were dropped, if any */
  toJsonLines(): string {
    const lines = this.#records.map((r) => JSON.stringify(r));
    if (this.#dropped > 0) lines.push(JSON.stringify({ dropped: this.#dropped, reason: `record cap of ${this.#limits.maxRecords} reached` }));
    return lines.length ? lines.join('\n') + '\n' : '';
  }
}
