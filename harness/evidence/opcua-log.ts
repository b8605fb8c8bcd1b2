import { CappedLog } from './capped-log.js';
import type { Redactor } from './redact.js';

/**
 * The OPC UA evidence of one check: one record per service call (GetEndpoints, CreateSession, Browse, Read,
 * ...), summarised - what was asked, the status, and what came back as plain JSON values. A record is never
 * the raw binary message: a lab reads it to see which node gave which value.
 */
export interface OpcUaRecord {
  readonly seq: number;
  /** ISO 8601 time the call was made */
  readonly at: string;
  /** the OPC UA service, or a connection step (Connect, Disconnect) */
  readonly service: string;
  /** what was asked: node ids, browse paths, security mode and policy, user token type */
  readonly request: unknown;
  /** the StatusCode's name (Good, BadUserAccessDenied, ...) or, when the call did not complete, the error */
  readonly status: string;
  /** what came back, summarised to plain JSON (values, references, endpoint descriptions) */
  readonly result?: unknown;
  readonly durationMs: number;
}

export interface OpcUaLogLimits {
  readonly maxRecords: number;
  /** a record's request and result are cut to this many characters of JSON */
  readonly maxRecordChars: number;
}

export const DEFAULT_OPCUA_LOG_LIMITS: OpcUaLogLimits = { maxRecords: 2000, maxRecordChars: 32 * 1024 };

export class OpcUaLog extends CappedLog<OpcUaRecord> {
  readonly #limits: OpcUaLogLimits;
  readonly #redact: Redactor;

  constructor(redact: Redactor, limits: OpcUaLogLimits = DEFAULT_OPCUA_LOG_LIMITS) {
    super(limits.maxRecords);
    this.#redact = redact;
    this.#limits = limits;
  }

  record(entry: Omit<OpcUaRecord, 'seq' | 'at'> & { readonly startedAt: number }): void {
    const seq = this.admit();
    if (seq === undefined) return;
    const { startedAt, ...rest } = entry;
    this.keep({
      seq,
      at: new Date(startedAt).toISOString(),
      service: rest.service,
      request: this.#clean(rest.request),
      status: this.#redact(rest.status),
      ...(rest.result !== undefined && { result: this.#clean(rest.result) }),
      durationMs: rest.durationMs,
    });
  }

  /** Redacted, and cut when a hostile server sends something huge (the cut says how much there was). */
  #clean(value: unknown): unknown {
    // strings are redacted one by one, before JSON escapes a secret's newlines (a PEM key) out of reach
    const text = JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? v.toString() : typeof v === 'string' ? this.#redact(v) : v)) ?? 'null';
    if (text.length <= this.#limits.maxRecordChars) return JSON.parse(text) as unknown;
    return { truncated: true, chars: text.length, start: text.slice(0, this.#limits.maxRecordChars) };
  }
}
