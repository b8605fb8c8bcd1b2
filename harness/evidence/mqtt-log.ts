import { CappedLog } from './capped-log.js';
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
  /** the topic; evidence of a connection attempt names its packet in parentheses instead: (CONNECT), (CONNACK) */
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

function isUtf8(bytes: Uint8Array): boolean {
  try {
    utf8.decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/**
 * Text when the payload is UTF-8, base64 otherwise. A cut through a text payload may split its last
 * character; that one character is decoded leniently rather than turning the whole record into base64.
 */
function storedText(bytes: Uint8Array, cutText: boolean): { text: string; encoding: 'utf8' | 'base64' } {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (cutText) return { text: buffer.toString('utf8'), encoding: 'utf8' };
  return isUtf8(bytes) ? { text: buffer.toString('utf8'), encoding: 'utf8' } : { text: buffer.toString('base64'), encoding: 'base64' };
}

export class MqttLog extends CappedLog<MqttRecord> {
  readonly #limits: MqttLogLimits;
  readonly #redact: Redactor;

  constructor(redact: Redactor, limits: MqttLogLimits = DEFAULT_MQTT_LOG_LIMITS) {
    super(limits.maxRecords);
    this.#redact = redact;
    this.#limits = limits;
  }

  record(direction: Direction, topic: string, payload: Uint8Array, qos: number, retain: boolean): void {
    const seq = this.admit();
    if (seq === undefined) return;
    // secrets go first, on the bytes: neither base64 nor a cut may hide part of one
    const clean = this.#redact.empty ? payload : this.#redact.bytes(payload);
    const truncated = clean.byteLength > this.#limits.maxPayloadBytes;
    const kept = truncated ? clean.subarray(0, this.#limits.maxPayloadBytes) : clean;
    const { text, encoding } = storedText(kept, truncated && isUtf8(clean));
    this.keep({
      seq,
      at: new Date().toISOString(),
      direction,
      topic: this.#redact(topic),
      qos,
      retain,
      bytes: payload.byteLength,
      sha256: sha256Hex(payload),
      payload: text,
      encoding,
      truncated,
    });
  }
}
