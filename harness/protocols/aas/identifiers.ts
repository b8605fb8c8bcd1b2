/**
 * AAS Part 2 puts identifiers (IRIs, URNs, any UTF-8 text) into paths base64url-encoded: RFC 4648 §5 over the
 * UTF-8 bytes, without '=' padding. Servers differ on padding, so checks probe both forms; decoding is strict,
 * so that a check can tell a well-formed identifier from one that merely survives Node's lenient decoder.
 */

/** The form AAS Part 2 specifies: base64url of the UTF-8 bytes, no padding. */
export function encodeIdentifier(id: string): string {
  return Buffer.from(id, 'utf8').toString('base64url');
}

/** The same with '=' padding to a multiple of 4 characters, which some servers emit or expect. */
export function encodeIdentifierPadded(id: string): string {
  const plain = encodeIdentifier(id);
  return plain + '='.repeat((4 - (plain.length % 4)) % 4);
}

const BASE64URL = /^[A-Za-z0-9_-]*$/;
const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * The identifier inside a base64url text, padded or not; undefined when the text is not base64url (wrong
 * alphabet, impossible length, wrong padding, non-zero trailing bits) or the bytes are not UTF-8.
 */
export function decodeIdentifier(encoded: string): string | undefined {
  const body = encoded.replace(/={1,2}$/, '');
  if (body !== encoded && encoded.length % 4 !== 0) return undefined;
  if (!BASE64URL.test(body) || body.length % 4 === 1) return undefined;
  const bytes = Buffer.from(body, 'base64url');
  // a text with stray trailing bits decodes too; re-encoding shows it was not canonical
  if (bytes.toString('base64url') !== body) return undefined;
  try {
    return utf8.decode(bytes);
  } catch {
    return undefined;
  }
}
