import { describe, expect, it } from 'vitest';
import { configErrorOf } from '../support/errors.js';
import { planRun, resolveParameters, selectRequirements } from '../../../harness/engine/plan.js';
import { ConfigError, type Profile } from '../../../harness/model/index.js';
import { profileOf, targetOf } from '../support/library.js';

const profile: Profile = profileOf({
  requirements: ['OI4-MAM-001', 'OI4-MAM-002', 'OI4-MAM-010', 'OI4-GET-001', 'OI4-GET-002'],
  optionalGroups: { data: ['OI4-DAT-001'] },
  // the real suite folder, so planRun finds files
  suites: ['suites/oi4-oec/*.suite.ts'],
  parameters: {
    responseTimeoutMs: { kind: 'harness', default: 2000, description: 'wait for an answer' },
    healthIntervalMs: { kind: 'guideline', default: 60000, description: 'the guideline heartbeat' },
  },
});

describe('resolveParameters', () => {
  it('takes the profile defaults when the target overrides nothing', () => {
    expect(resolveParameters(profile, targetOf())).toEqual({
      responseTimeoutMs: { value: 2000, kind: 'harness', overridden: false },
      healthIntervalMs: { value: 60000, kind: 'guideline', overridden: false },
    });
  });

  it('applies the target overrides and marks them overridden', () => {
    const resolved = resolveParameters(profile, targetOf({ parameters: { responseTimeoutMs: 5000 } }));
    expect(resolved['responseTimeoutMs']).toEqual({ value: 5000, kind: 'harness', overridden: true });
    expect(resolved['healthIntervalMs']?.overridden).toBe(false);
  });

  it('does not count an override equal to the default as overridden', () => {
    expect(resolveParameters(profile, targetOf({ parameters: { healthIntervalMs: 60000 } }))['healthIntervalMs']?.overridden).toBe(false);
  });

  it('rejects an unknown parameter with a suggestion and the known names', () => {
    const message = configErrorOf(() => resolveParameters(profile, targetOf({ parameters: { responseTimeoutMS: 1 } })));
    expect(message).toContain('parameter "responseTimeoutMS"');
    expect(message).toContain('did you mean "responseTimeoutMs"');
    expect(message).toContain('known: responseTimeoutMs, healthIntervalMs');
  });
});

describe('selectRequirements', () => {
  it('is null without --only (the whole profile)', () => {
    expect(selectRequirements(profile, undefined)).toBeNull();
  });

  it('expands "*" and "?" globs in profile order', () => {
    expect(selectRequirements(profile, 'OI4-MAM-*')).toEqual(['OI4-MAM-001', 'OI4-MAM-002', 'OI4-MAM-010']);
    expect(selectRequirements(profile, 'OI4-MAM-00?')).toEqual(['OI4-MAM-001', 'OI4-MAM-002']);
  });

  it('takes a comma-separated list with spaces, ignoring case, without duplicates', () => {
    expect(selectRequirements(profile, 'oi4-get-002, OI4-MAM-001 ,OI4-MAM-00?')).toEqual(['OI4-MAM-001', 'OI4-MAM-002', 'OI4-GET-002']);
  });

  it('can select a requirement of an optional group', () => {
    expect(selectRequirements(profile, 'OI4-DAT-001')).toEqual(['OI4-DAT-001']);
  });

  it('treats "." literally and matches whole ids only', () => {
    expect(() => selectRequirements(profile, 'OI4.MAM.001')).toThrow(ConfigError);
    expect(() => selectRequirements(profile, 'MAM-001')).toThrow(ConfigError);
  });

  it('rejects a pattern that matches nothing, with a suggestion', () => {
    const message = configErrorOf(() => selectRequirements(profile, 'OI4-MAM-001,OI4-GET-01'));
    expect(message).toContain('--only "OI4-GET-01" matches no requirement of test-profile');
    expect(message).toMatch(/did you mean "OI4-GET-00[12]"/);
  });

  it('rejects an empty selection', () => {
    expect(configErrorOf(() => selectRequirements(profile, ' , '))).toContain('needs at least one');
  });
});

describe('planRun', () => {
  it('finds the suite files and is certifying with no overrides, no --only and no faults', () => {
    const plan = planRun(profile, targetOf(), undefined);
    expect(plan.suiteFiles.length).toBeGreaterThan(0);
    for (const file of plan.suiteFiles) expect(file).toMatch(/^suites\/oi4-oec\/[^/]+\.suite\.ts$/);
    expect(plan.selected).toBeNull();
    expect(plan.notCertifyingBecause).toEqual([]);
  });

  it('stays certifying when only a harness parameter is overridden', () => {
    expect(planRun(profile, targetOf({ parameters: { responseTimeoutMs: 9000 } }), undefined).notCertifyingBecause).toEqual([]);
  });

  it('is not certifying when a guideline parameter is overridden', () => {
    const plan = planRun(profile, targetOf({ parameters: { healthIntervalMs: 1000 } }), undefined);
    expect(plan.notCertifyingBecause).toEqual(['guideline parameter healthIntervalMs overridden to 1000']);
  });

  it('is not certifying with --only or with faults, saying why', () => {
    const plan = planRun(profile, targetOf({ faults: ['wrong-root'] }), 'OI4-MAM-*');
    expect(plan.selected).toEqual(['OI4-MAM-001', 'OI4-MAM-002', 'OI4-MAM-010']);
    expect(plan.notCertifyingBecause).toEqual(['only 3 requirement(s) selected with --only', 'reference device started with fault(s) wrong-root']);
  });

  it('rejects a profile whose suites match no file', () => {
    const empty = profileOf({ requirements: ['OI4-MAM-001'], suites: ['suites/none-such/*.suite.ts'] });
    expect(configErrorOf(() => planRun(empty, targetOf(), undefined))).toContain('match no file');
  });
});

describe('claims', () => {
  it('accepts a claim of an optional group of the profile', () => {
    expect(() => planRun(profile, targetOf({ claims: ['data'] }), undefined)).not.toThrow();
  });

  it('rejects a claim that names no group of the profile, with a suggestion and the groups', () => {
    const message = configErrorOf(() => planRun(profile, targetOf({ claims: ['dta'] }), undefined));
    expect(message).toContain('claim "dta"');
    expect(message).toContain('did you mean "data"');
    expect(message).toContain('groups: data');
  });
});
