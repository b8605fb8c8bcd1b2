/**
 * Secrets (passwords, keys, tokens) must never reach a report, evidence, log or error message.
 * Every text leaving the harness passes through a Redactor built from the run's secret values.
 */

export const REDACTED = '***';

export interface Redactor {
  (text: string): string;
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
  return Object.assign(redact, { empty: values.length === 0 });
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
