/**
 * The committed sample package is exactly what its generator makes from today's sources (environment.json and
 * the placeholder manual). Regenerate with UPDATE_SAMPLES=1 when those change.
 */
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { makeSampleAasx, SAMPLE_AASX, writeSampleAasx, MANUAL_PART, SPEC_PART } from '../../../../fixtures/samples/aas/make-aasx.js';
import { readAasx } from '../../../../harness/protocols/aas/aasx.js';
import { verifyEnvironment } from '../../../../harness/protocols/aas/metamodel.js';

describe('fixtures/samples/aas/sample.aasx', () => {
  test('equals what make-aasx.ts makes now', () => {
    if (process.env['UPDATE_SAMPLES'] === '1') writeSampleAasx();
    expect(existsSync(SAMPLE_AASX), 'sample.aasx is missing: run with UPDATE_SAMPLES=1').toBe(true);
    const committed = readFileSync(SAMPLE_AASX);
    expect(Buffer.compare(committed, Buffer.from(makeSampleAasx())), 'sample.aasx is stale: run with UPDATE_SAMPLES=1').toBe(0);
  });

  test('the generator is deterministic', () => {
    expect(Buffer.from(makeSampleAasx()).equals(Buffer.from(makeSampleAasx()))).toBe(true);
  });

  test('reads back as a clean package whose environment verifies and whose manual is there', () => {
    const pkg = readAasx(readFileSync(SAMPLE_AASX));
    expect(Object.values(pkg.problems).flat()).toEqual([]);
    expect(pkg.warnings).toEqual([]);
    expect(pkg.origin).toBe('/aasx/aasx-origin');
    expect(pkg.specs.map((s) => [s.name, s.format])).toEqual([[`/${SPEC_PART}`, 'json']]);
    expect(pkg.parts.has(`/${MANUAL_PART}`)).toBe(true);
    expect(verifyEnvironment(JSON.parse(Buffer.from(pkg.specs[0]!.bytes).toString('utf8')))).toEqual([]);
  });
});
