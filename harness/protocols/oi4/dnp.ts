/**
 * DNP encoding of one Oi4Identifier part (Model, ProductCode, SerialNumber), facts 4.2.
 * It is percent-encoding with "," as the escape character, so that identifiers survive as MQTT topic levels
 * and stay compatible with DIN SPEC 91406. Each part is encoded on its own; slashes between parts are not
 * part of any part.
 *
 * The implementations disagree on non-ASCII text: the Rust encoder passes UTF-8 through raw, the TypeScript
 * one escapes its bytes. Our encoder escapes (one canonical form); our checker accepts both when asked to.
 */

const ESCAPE = ',';
const HEX = '0123456789ABCDEF';

function isUnreservedCode(code: number): boolean {
  return (
    (code >= 0x41 && code <= 0x5a) || // A-Z
    (code >= 0x61 && code <= 0x7a) || // a-z
    (code >= 0x30 && code <= 0x39) || // 0-9
    code === 0x2d || // -
    code === 0x2e || // .
    code === 0x5f || // _
    code === 0x7e // ~
  );
}

function isHexDigit(ch: string | undefined): boolean {
  return ch !== undefined && /^[0-9A-Fa-f]$/.test(ch);
}

function escapeByte(byte: number): string {
  return ESCAPE + (HEX[byte >> 4] ?? '') + (HEX[byte & 0x0f] ?? '');
}

const utf8Encoder = new TextEncoder();
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** Encodes one identifier part. Lone surrogates cannot be UTF-8; TextEncoder turns them into U+FFFD. */
export function dnpEncode(part: string): string {
  let out = '';
  for (const byte of utf8Encoder.encode(part)) {
    out += isUnreservedCode(byte) ? String.fromCharCode(byte) : escapeByte(byte);
  }
  return out;
}

export class DnpDecodeError extends Error {
  readonly index: number;
  constructor(message: string, index: number) {
    super(message);
    this.name = 'DnpDecodeError';
    this.index = index;
  }
}

/**
 * Decodes one part. Escapes may use upper- or lowercase hex (the Rust design accepts both). Characters that
 * should have been escaped are passed through: judging the encoding is dnpProblems' job, not the decoder's.
 */
export function dnpDecode(part: string): string {
  const bytes: number[] = [];
  for (let i = 0; i < part.length; ) {
    const ch = part[i] ?? '';
    if (ch === ESCAPE) {
      const hi = part[i + 1];
      const lo = part[i + 2];
      if (!isHexDigit(hi) || !isHexDigit(lo)) {
        throw new DnpDecodeError(`"," at index ${i} of "${part}" is not followed by two hex digits`, i);
      }
      bytes.push(Number.parseInt(`${hi}${lo}`, 16));
      i += 3;
      continue;
    }
    // copy the whole code point, so raw non-ASCII text (Rust style) decodes to itself
    const codePoint = part.codePointAt(i) ?? 0;
    const text = String.fromCodePoint(codePoint);
    bytes.push(...utf8Encoder.encode(text));
    i += text.length;
  }
  try {
    return strictUtf8.decode(new Uint8Array(bytes));
  } catch {
    throw new DnpDecodeError(`the escapes in "${part}" do not decode to valid UTF-8`, 0);
  }
}

export interface DnpCheckOptions {
  /** accept raw non-ASCII characters (the Rust encoder's form); default true, as the catalog (OI4-ID-006) decides */
  readonly allowNonAscii?: boolean;
  /** demand uppercase hex in escapes; default false, since decoders must accept both cases */
  readonly requireUppercaseHex?: boolean;
}

function describeChar(ch: string): string {
  const code = ch.codePointAt(0) ?? 0;
  if (code < 0x20 || code === 0x7f) return `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
  return JSON.stringify(ch);
}

function escapesOf(ch: string): string {
  return [...utf8Encoder.encode(ch)].map(escapeByte).join('');
}

/**
 * Every way in which `part` is not a DNP-encoded identifier part, as sentences for a failure message.
 * Indexes are JavaScript string indexes (UTF-16 code units), which equal character positions for ASCII.
 */
export function dnpProblems(part: string, options: DnpCheckOptions = {}): string[] {
  const allowNonAscii = options.allowNonAscii ?? true;
  const requireUppercaseHex = options.requireUppercaseHex ?? false;
  const problems: string[] = [];
  let escapesWellFormed = true;

  for (let i = 0; i < part.length; ) {
    const ch = part[i] ?? '';
    const code = ch.charCodeAt(0);
    if (ch === ESCAPE) {
      const hi = part[i + 1];
      const lo = part[i + 2];
      if (!isHexDigit(hi) || !isHexDigit(lo)) {
        problems.push(`"," at index ${i} is not followed by two hex digits`);
        escapesWellFormed = false;
        i += 1;
        continue;
      }
      const escape = `,${hi}${lo}`;
      const byte = Number.parseInt(`${hi}${lo}`, 16);
      if (isUnreservedCode(byte)) {
        // e.g. the TS encoder's ",39" for an apostrophe decodes to "9": a different identifier
        problems.push(`"${escape}" at index ${i} escapes the unreserved character "${String.fromCharCode(byte)}", which must be kept as is`);
      }
      if (requireUppercaseHex && escape !== escape.toUpperCase()) {
        problems.push(`"${escape}" at index ${i} uses lowercase hex digits; the encoder writes "${escape.toUpperCase()}"`);
      }
      i += 3;
      continue;
    }
    if (code < 0x80) {
      if (!isUnreservedCode(code)) {
        if (ch === '%') {
          problems.push(`"%" at index ${i} is not allowed; DNP escapes use "," (v1.0 used percent-encoding)`);
        } else {
          problems.push(`${describeChar(ch)} at index ${i} must be escaped as "${escapeByte(code)}"`);
        }
      }
      i += 1;
      continue;
    }
    const whole = String.fromCodePoint(part.codePointAt(i) ?? 0xfffd);
    const isLoneSurrogate = whole.length === 1 && code >= 0xd800 && code <= 0xdfff;
    if (isLoneSurrogate) {
      problems.push(`index ${i} holds a lone UTF-16 surrogate, which has no UTF-8 form`);
    } else if (!allowNonAscii) {
      problems.push(`${describeChar(whole)} at index ${i} is not ASCII; escape its UTF-8 bytes as "${escapesOf(whole)}"`);
    }
    i += whole.length;
  }

  if (escapesWellFormed) {
    try {
      dnpDecode(part);
    } catch (error) {
      problems.push(error instanceof Error ? error.message : String(error));
    }
  }
  return problems;
}

/**
 * A form of an encoded part in which equivalent spellings coincide: escape hex in uppercase, and raw non-ASCII
 * characters replaced by their escaped UTF-8 bytes (Rust and TS encoders then agree). Reserved ASCII written
 * raw stays raw, so "FBC#123" and "FBC,23123" remain different: one of them is wrongly encoded.
 */
export function dnpCanonical(part: string): string {
  let out = '';
  for (let i = 0; i < part.length; ) {
    const ch = part[i] ?? '';
    if (ch === ESCAPE && isHexDigit(part[i + 1]) && isHexDigit(part[i + 2])) {
      out += part.slice(i, i + 3).toUpperCase();
      i += 3;
      continue;
    }
    if (ch.charCodeAt(0) < 0x80) {
      out += ch;
      i += 1;
      continue;
    }
    const whole = String.fromCodePoint(part.codePointAt(i) ?? 0xfffd);
    out += escapesOf(whole);
    i += whole.length;
  }
  return out;
}
