import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  identifierEncodingProblems,
  mamIdentityOf,
  oi4IdentifierFromMam,
  parseOi4Identifier,
  sameIdentifier,
  validateOi4Identifier,
  type MamIdentity,
} from '../../../harness/protocols/oi4/index.js';

interface IdentifierSamples {
  identifiers: { mam: MamIdentity; encoded: string }[];
  sameIdentifier: { a: string; b: string; same: boolean }[];
}

const samples = JSON.parse(
  readFileSync(new URL('../../../fixtures/samples/oi4-oec/dnp.json', import.meta.url), 'utf8'),
) as IdentifierSamples;

function problemsOf(text: string): string[] {
  const result = parseOi4Identifier(text);
  return result.ok ? [] : result.problems;
}

describe('Oi4Identifier (facts 4.1)', () => {
  it.each(samples.identifiers)('builds $encoded from its MAM', ({ mam, encoded }) => {
    expect(oi4IdentifierFromMam(mam)).toBe(encoded);
    expect(mamIdentityOf(mam)).toEqual({
      ManufacturerUri: mam.ManufacturerUri,
      Model: { Text: mam.Model.Text },
      ProductCode: mam.ProductCode,
      SerialNumber: mam.SerialNumber,
    });
    const parsed = parseOi4Identifier(encoded);
    expect(parsed.ok).toBe(true);
    expect(identifierEncodingProblems(encoded)).toEqual([]);
    expect(validateOi4Identifier(encoded)).toEqual({ valid: true });
  });

  it('returns the four parts as written', () => {
    expect(parseOi4Identifier('acme.com/FBC/fbc,25183z/FBC,23123')).toEqual({
      ok: true,
      parts: { manufacturerUri: 'acme.com', model: 'FBC', productCode: 'fbc,25183z', serialNumber: 'FBC,23123' },
    });
  });

  it.each([
    ['acme.com/a/b', 'has 3 parts'],
    ['acme.com/a/b/c/d', 'has 5 parts'],
    ['Acme.com/model/code/serial', 'ManufacturerUri "Acme.com" is not lowercase'],
    ['https:acme.com/model/code/serial', 'ManufacturerUri "https:acme.com"'],
    ['acme.com/mo`del/code/serial', 'Model contains a backtick at index 2'],
    ['acme.com/model/co^de/serial', 'ProductCode contains "^"'],
    ['acme.com/model/code/ser\nial', 'SerialNumber contains a line feed'],
    ['acme.com/model/code/ser\rial', 'SerialNumber contains a carriage return'],
    ['acme.com/model//serial', 'ProductCode is empty'],
    ['a/b/c/d', 'has 7 characters; expected 9 to 255'],
    [`acme.com/model/code/${'x'.repeat(240)}`, 'expected 9 to 255'],
  ])('rejects %j (%s)', (text, problem) => {
    const problems = problemsOf(text);
    expect(problems.some((p) => p.includes(problem)), problems.join(' | ')).toBe(true);
    expect(validateOi4Identifier(text).valid).toBe(false);
  });

  it('accepts the length bounds 9 and 255', () => {
    expect(parseOi4Identifier('a.b/c/d/e').ok).toBe(true);
    const longest = `acme.com/model/code/${'x'.repeat(255 - 'acme.com/model/code/'.length)}`;
    expect(longest).toHaveLength(255);
    expect(parseOi4Identifier(longest).ok).toBe(true);
    expect(validateOi4Identifier(longest)).toEqual({ valid: true });
  });

  it('agrees with the Oi4Identifier schema on structure', () => {
    const texts = ['acme.com/m/p/s1', 'acme.com/m/p', 'ACME/m/p/s1', 'acme.com/m/p/s`', '/mm/pp/sss', 'a-b.c-d/x/y/zzz'];
    for (const text of texts) expect(parseOi4Identifier(text).ok, text).toBe(validateOi4Identifier(text).valid);
  });

  it('reports DNP problems per part', () => {
    expect(identifierEncodingProblems('acme.com/FBC/fbc%183z/FBC#123')).toEqual([
      'ProductCode: "%" at index 3 is not allowed; DNP escapes use "," (v1.0 used percent-encoding)',
      'SerialNumber: "#" at index 3 must be escaped as ",23"',
    ]);
  });

  it.each(samples.sameIdentifier)('sameIdentifier($a, $b) is $same', ({ a, b, same }) => {
    expect(sameIdentifier(a, b)).toBe(same);
    expect(sameIdentifier(b, a)).toBe(same);
  });

  it('does not lower-case ManufacturerUri when building from a MAM', () => {
    expect(oi4IdentifierFromMam({ ManufacturerUri: 'ACME.com', Model: { Text: 'm' }, ProductCode: 'p', SerialNumber: 's' })).toBe(
      'ACME.com/m/p/s',
    );
  });

  it('narrows only MAM-like payloads', () => {
    expect(mamIdentityOf(null)).toBeUndefined();
    expect(mamIdentityOf({ ManufacturerUri: 'a', Model: 'text', ProductCode: 'p', SerialNumber: 's' })).toBeUndefined();
    expect(mamIdentityOf({ ManufacturerUri: 'a', Model: { Text: 1 }, ProductCode: 'p', SerialNumber: 's' })).toBeUndefined();
    expect(mamIdentityOf(JSON.parse('{"__proto__": {"ManufacturerUri": "a"}}'))).toBeUndefined();
  });
});
