/**
 * Secrets (passwords, keys, tokens) must never reach a report, evidence, log or error message.
 * Every text leaving the harness passes through a Redactor built from the run's secret values.
 */

export const REDACTED = '***';

export interface Redactor {
  (text: string): string;
  /** the same on raw bytes: a secret inside a binary payload is found before any encoding hides it */
  bytes(data: Uint8Array): Uint8Array;
  /** true when nothing is secret, so callers may skip work */
  readonly empty: boolean;
}

/** Values shorter than this are not treated as secrets: replacing "a" everywhere would destroy evidence. */
const MIN_SECRET_LENGTH = 3;

export function createRedactor(secrets: Iterable<string | undefined>): Redactor {
  const values = [...new Set([...secrets].filter((s): s is string => typeof s === 'string' && s.length >= MIN_SECRET_LENGTH))]
    // longest first, so a secret that contains another is replaced whole
    .sort((a, b) => b.length - a.length);
  const redact = (text: string): string => {
    let out = text;
    for (const value of values) {
      if (out.includes(value)) out = out.split(value).join(REDACTED);
    }
    return out;
  };
  const needles = values.map((v) => Buffer.from(v, 'utf8'));
  const mask = Buffer.from(REDACTED, 'utf8');
  const bytes = (data: Uint8Array): Uint8Array => {
    let out = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
    for (const needle of needles) {
      let at = out.indexOf(needle);
      if (at < 0) continue;
      const parts: Buffer[] = [];
      let from = 0;
      while (at >= 0) {
        parts.push(out.subarray(from, at), mask);
        from = at + needle.length;
        at = out.indexOf(needle, from);
      }
      parts.push(out.subarray(from));
      out = Buffer.concat(parts);
    }
    return out;
  };
  return Object.assign(redact, { bytes, empty: values.length === 0 });
}

/** Removes credentials from a URL such as mqtt://user:pass@host:1883 */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.username || parsed.password) {
      parsed.username = parsed.username ? REDACTED : '';
      parsed.password = parsed.password ? REDACTED : '';
    }
    return parsed.toString();
  } catch {
    return url.replace(/\/\/[^@/]*@/, `//${REDACTED}@`);
  }
}
