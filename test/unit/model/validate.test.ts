import { describe, expect, it } from 'vitest';
import { catalogSchema, compileValidator, profileSchema, targetFileSchema } from '../../../harness/model/index.js';

// The project's own schemas give the messages users actually see.
const validateTarget = compileValidator(targetFileSchema);
const validateCatalog = compileValidator(catalogSchema);
const validateProfile = compileValidator(profileSchema);

function problems(result: { ok: true } | { ok: false; problems: string[] }): string[] {
  if (result.ok) throw new Error('expected the value to be rejected');
  return result.problems;
}

const target = { name: 'dev', kind: 'oi4-mqtt', broker: { url: 'mqtts://127.0.0.1:8883' }, oi4: { appId: 'discover' } };

const entry = { id: 'OI4-MAM-001', title: 'A title that is long enough', level: 'MUST', source: 'OEC 1.1' };
const catalog = { family: 'oi4-oec', guideline: 'g', guidelineVersion: '1', requirements: [entry, entry, entry, entry] };

describe('compileValidator', () => {
  it('returns the value when it is valid', () => {
    const result = validateTarget(target);
    expect(result).toEqual({ ok: true, value: target });
  });

  it('names an unknown field and suggests the known one it resembles', () => {
    expect(problems(validateTarget({ ...target, claimz: [] }))).toEqual(['(top level): unknown field "claimz" (did you mean "claims"?)']);
  });

  it('lists the allowed fields when no known one is close', () => {
    const found = problems(validateTarget({ ...target, oi4: { appId: 'x', zzzzzzzz: 1 } }));
    expect(found).toEqual(['oi4: unknown field "zzzzzzzz" (allowed: appId, serviceType)']);
  });

  it('formats nested paths with dots', () => {
    const found = problems(validateTarget({ ...target, broker: { url: 'mqtts://h', tls: { ca: '' } } }));
    expect(found).toEqual(['broker.tls.ca: must NOT have fewer than 1 characters']);
  });

  it('formats array positions with brackets and lists enum values', () => {
    const requirements = [entry, entry, entry, { ...entry, level: 'SHALL' }];
    expect(problems(validateCatalog({ ...catalog, requirements }))).toEqual(['requirements[3].level: must be one of "MUST", "SHOULD", "MAY"']);
  });

  it('names a missing required field under its parent', () => {
    expect(problems(validateTarget({ ...target, broker: {} }))).toEqual(['broker: missing required field "url"']);
    expect(problems(validateTarget({ kind: 'oi4-mqtt', broker: { url: 'mqtt://h' }, oi4: { appId: 'discover' } }))).toEqual([
      '(top level): missing required field "name"',
    ]);
  });

  it('names the values a field may have', () => {
    expect(problems(validateTarget({ ...target, kind: 'amqp' }))).toEqual(['kind: must be one of "oi4-mqtt", "opcua", "aas"']);
  });

  it('reports the real problem of an if/then rule, not the wrapper', () => {
    const requirements = [entry, { ...entry, testable: false }];
    expect(problems(validateCatalog({ ...catalog, requirements }))).toEqual(['requirements[1]: missing required field "reason"']);
  });

  it('reports every problem at once, each once', () => {
    const found = problems(validateTarget({ name: '-bad name', kind: 'oi4-mqtt', broker: { url: 'http://h', password: 'literal' }, oi4: {} }));
    expect(found).toHaveLength(4);
    expect(found.some((p) => p.startsWith('name: must match pattern'))).toBe(true);
    expect(found.some((p) => p.startsWith('broker.url: must match pattern'))).toBe(true);
    expect(found.some((p) => p.startsWith('broker.password: must match pattern'))).toBe(true);
    expect(found).toContain('oi4: missing required field "appId"');
    expect(new Set(found).size).toBe(found.length);
  });

  it('suggests fields of a schema under additionalProperties (profile parameters)', () => {
    const profile = {
      id: 'p',
      title: 'Profile',
      version: '1.0.0',
      guideline: { name: 'g', version: '1' },
      targetKind: 'oi4-mqtt',
      suites: ['s'],
      requirements: ['A-001'],
      parameters: { t: { kind: 'harness', default: 1, descripton: 'typo' } },
    };
    const found = problems(validateProfile(profile));
    expect(found).toContain('parameters.t: unknown field "descripton" (did you mean "description"?)');
    expect(found).toContain('parameters.t: missing required field "description"');
  });
});
