import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DnpDecodeError, dnpCanonical, dnpDecode, dnpEncode, dnpProblems, type DnpCheckOptions } from '../../../harness/protocols/oi4/index.js';

interface DnpSamples {
  parts: { decoded: string; encoded: string }[];
  decodeOnly: { encoded: string; decoded: string }[];
  badDecode: { encoded: string; problem: string }[];
  problems: { part: string; problem: string; options?: DnpCheckOptions }[];
  clean: { part: string }[];
}

const samples = JSON.parse(
  readFileSync(new URL('../../../fixtures/samples/oi4-oec/dnp.json', import.meta.url), 'utf8'),
) as DnpSamples;

describe('DNP encoding (facts 4.2)', () => {
  it.each(samples.parts)('encodes $decoded as $encoded and back', ({ decoded, encoded }) => {
    expect(dnpEncode(decoded)).toBe(encoded);
    expect(dnpDecode(encoded)).toBe(decoded);
    expect(dnpProblems(encoded)).toEqual([]);
  });

  it.each(samples.decodeOnly)('decodes the accepted spelling $encoded', ({ encoded, decoded }) => {
    expect(dnpDecode(encoded)).toBe(decoded);
  });

  it.each(samples.badDecode)('refuses to decode $encoded', ({ encoded, problem }) => {
    expect(() => dnpDecode(encoded)).toThrow(DnpDecodeError);
    expect(() => dnpDecode(encoded)).toThrow(problem);
  });

  it.each(samples.problems)('reports a problem in $part', ({ part, problem, options }) => {
    const problems = dnpProblems(part, options);
    expect(problems.some((p) => p.includes(problem)), problems.join(' | ')).toBe(true);
  });

  it.each(samples.clean)('finds nothing wrong with $part', ({ part }) => {
    expect(dnpProblems(part)).toEqual([]);
  });

  it('escapes every ASCII character outside the unreserved set, and only those', () => {
    for (let code = 0; code < 0x80; code += 1) {
      const ch = String.fromCharCode(code);
      const unreserved = /^[A-Za-z0-9\-._~]$/.test(ch);
      const expected = unreserved ? ch : `,${code.toString(16).toUpperCase().padStart(2, '0')}`;
      expect(dnpEncode(ch)).toBe(expected);
      expect(dnpDecode(expected)).toBe(ch);
    }
  });

  it('round-trips arbitrary text, including astral characters', () => {
    const text = 'Sensor №7 / Halle 3 🏭 50% "quoted" ,comma';
    expect(dnpDecode(dnpEncode(text))).toBe(text);
    expect(dnpProblems(dnpEncode(text), { allowNonAscii: false })).toEqual([]);
  });

  it('lists every problem of a part, not just the first', () => {
    expect(dnpProblems('a b#c%')).toHaveLength(3);
  });

  it('canonical form unifies hex case and raw non-ASCII, but not raw reserved ASCII', () => {
    expect(dnpCanonical('m,2f42')).toBe('m,2F42');
    expect(dnpCanonical('Müller')).toBe('M,C3,BCller');
    expect(dnpCanonical('FBC#123')).toBe('FBC#123');
  });
});
