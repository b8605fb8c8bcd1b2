import { describe, expect, it } from 'vitest';
import { decodeIdentifier, encodeIdentifier, encodeIdentifierPadded } from '../../../harness/protocols/aas/index.js';

describe('AAS identifier encoding (base64url of UTF-8)', () => {
  it('encodes ASCII without padding, and padded on request', () => {
    // "https://example.com/aas/1" is 25 bytes: 34 characters, 2 of padding in the padded form
    const id = 'https://example.com/aas/1';
    expect(encodeIdentifier(id)).toBe('aHR0cHM6Ly9leGFtcGxlLmNvbS9hYXMvMQ');
    expect(encodeIdentifierPadded(id)).toBe('aHR0cHM6Ly9leGFtcGxlLmNvbS9hYXMvMQ==');
    expect(decodeIdentifier('aHR0cHM6Ly9leGFtcGxlLmNvbS9hYXMvMQ')).toBe(id);
    expect(decodeIdentifier('aHR0cHM6Ly9leGFtcGxlLmNvbS9hYXMvMQ==')).toBe(id);
  });

  it('uses the URL-safe alphabet, never + or /', () => {
    // "ûÿ?>" is C3 BB C3 BF 3F 3E: "w7vDvz8+" in plain base64
    expect(encodeIdentifier('ûÿ?>')).toBe('w7vDvz8-');
  });

  it('encodes Unicode as its UTF-8 bytes', () => {
    const id = 'urn:例え:Größe:🙂';
    const encoded = encodeIdentifier(id);
    expect(Buffer.from(encoded, 'base64url').toString('utf8')).toBe(id);
    expect(encoded).not.toContain('=');
    expect(decodeIdentifier(encoded)).toBe(id);
    expect(decodeIdentifier(encodeIdentifierPadded(id))).toBe(id);
  });

  it('round-trips a 300-character IRI, padded and unpadded', () => {
    const id = `https://admin-shell.io/idta/${'x'.repeat(300 - 'https://admin-shell.io/idta/'.length - 2)}/ü`.slice(0, 300);
    expect(id).toHaveLength(300);
    const plain = encodeIdentifier(id);
    const padded = encodeIdentifierPadded(id);
    expect(padded.length % 4).toBe(0);
    expect(padded.startsWith(plain)).toBe(true);
    expect(plain).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeIdentifier(plain)).toBe(id);
    expect(decodeIdentifier(padded)).toBe(id);
  });

  it('refuses what is not base64url: wrong alphabet, wrong padding, impossible length, non-UTF-8', () => {
    expect(decodeIdentifier('invalid-base64url=====')).toBeUndefined();
    expect(decodeIdentifier('aGVsbG8+')).toBeUndefined();
    expect(decodeIdentifier('aGVsbG8=')).toBe('hello');
    expect(decodeIdentifier('aGVsbG8==')).toBeUndefined();
    expect(decodeIdentifier('aGVsb')).toBeUndefined();
    expect(decodeIdentifier('aGVsbG9')).toBeUndefined(); // stray trailing bits
    expect(decodeIdentifier(Buffer.from([0xff, 0xfe]).toString('base64url'))).toBeUndefined();
  });
});
