import { describe, expect, it } from 'vitest';
import { ConfigError, type RequirementOutcome, type RequirementStatus } from '../../../harness/model/index.js';
import { applyWaivers, decideVerdict, loadWaivers } from '../../../harness/verdict/index.js';
import { catalogOf, requirement } from '../support/library.js';
import { useTempDirs } from '../support/temp.js';

const temp = useTempDirs();
const catalog = catalogOf([requirement('OI4-MAM-003'), requirement('OI4-HLT-001'), requirement('OI4-CFG-003')]);
const TODAY = new Date('2026-11-22T12:00:00Z');

function waiversFile(yaml: string): string {
  return temp.write(temp.make(), 'waivers.yaml', yaml);
}

function status(id: string, outcome: RequirementOutcome): RequirementStatus {
  return { id, title: `title of ${id}`, level: 'MUST', source: 's', mandatory: true, outcome, reason: `[check] what ${id} saw`, checks: ['check'] };
}

describe('loadWaivers', () => {
  it('reads waivers that hold today, through the last day they name', () => {
    const file = waiversFile('waivers:\n  - requirement: OI4-MAM-003\n    reason: TICKET-17, fixed in 2.4\n    expires: 2026-11-22\n');
    const loaded = loadWaivers(file, catalog, TODAY);
    expect(loaded.waivers).toEqual([{ requirement: 'OI4-MAM-003', reason: 'TICKET-17, fixed in 2.4', expires: '2026-11-22' }]);
    expect(loaded.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('refuses an expired waiver, naming the requirement and the date', () => {
    const file = waiversFile('waivers:\n  - requirement: OI4-MAM-003\n    reason: old\n    expires: 2026-11-21\n');
    expect(() => loadWaivers(file, catalog, TODAY)).toThrow(ConfigError);
    expect(() => loadWaivers(file, catalog, TODAY)).toThrow(/waivers\[0\]: the waiver of OI4-MAM-003 expired on 2026-11-21; renew it/);
  });

  it('refuses an id the catalog does not know, with a suggestion', () => {
    const file = waiversFile('waivers:\n  - requirement: OI4-MAM-030\n    reason: typo\n    expires: 2027-01-01\n');
    expect(() => loadWaivers(file, catalog, TODAY)).toThrow(/"OI4-MAM-030" is not in the catalog \(did you mean "OI4-MAM-003"\?\)/);
  });

  it('refuses a waiver without a reason, a date that is not one, and a requirement waived twice', () => {
    expect(() => loadWaivers(waiversFile('waivers:\n  - requirement: OI4-MAM-003\n    expires: 2027-01-01\n'), catalog, TODAY)).toThrow(/reason/);
    expect(() => loadWaivers(waiversFile('waivers:\n  - requirement: OI4-MAM-003\n    reason: r\n    expires: next year\n'), catalog, TODAY)).toThrow(/expires/);
    const twice = 'waivers:\n' + '  - requirement: OI4-MAM-003\n    reason: r\n    expires: 2027-01-01\n'.repeat(2);
    expect(() => loadWaivers(waiversFile(twice), catalog, TODAY)).toThrow(/OI4-MAM-003 is waived twice/);
  });
});

describe('applyWaivers', () => {
  const loaded = {
    file: 'waivers.yaml',
    sha256: '0'.repeat(64),
    waivers: [
      { requirement: 'OI4-MAM-003', reason: 'TICKET-17', expires: '2027-01-31' },
      { requirement: 'OI4-HLT-001', reason: 'TICKET-18', expires: '2027-01-31' },
      { requirement: 'OI4-CFG-003', reason: 'TICKET-19', expires: '2027-01-31' },
    ],
  };

  it('turns a waived FAIL into WAIVED, keeping what the checks saw beside the waiver', () => {
    const { statuses, applied } = applyWaivers([status('OI4-MAM-003', 'FAIL'), status('OI4-HLT-001', 'PASS')], loaded);
    expect(applied).toEqual(['OI4-MAM-003']);
    expect(statuses[0]).toMatchObject({
      outcome: 'WAIVED',
      reason: '[check] what OI4-MAM-003 saw',
      waiver: { reason: 'TICKET-17', expires: '2027-01-31', waivedOutcome: 'FAIL' },
    });
    expect(statuses[1]).toMatchObject({ outcome: 'PASS' });
    expect(statuses[1]).not.toHaveProperty('waiver');
  });

  it('never waives what is not a FAIL: an ERROR stays ERROR', () => {
    const { statuses } = applyWaivers([status('OI4-MAM-003', 'ERROR')], loaded);
    expect(statuses[0]!.outcome).toBe('ERROR');
  });

  it('names each waiver that changed nothing, so stale ones get removed', () => {
    const { notes } = applyWaivers([status('OI4-MAM-003', 'FAIL'), status('OI4-HLT-001', 'PASS')], loaded);
    expect(notes).toEqual(['waiver of OI4-HLT-001 was not needed: its outcome is PASS', 'waiver of OI4-CFG-003 does not apply: the profile does not list it']);
  });

  it('lets a gate pass on WAIVED, and still fails on a FAIL nobody waived', () => {
    expect(decideVerdict(applyWaivers([status('OI4-MAM-003', 'FAIL'), status('X', 'PASS')], loaded).statuses, [])).toBe('CONFORMANT');
    expect(decideVerdict(applyWaivers([status('OI4-MAM-003', 'FAIL'), status('X', 'FAIL')], loaded).statuses, [])).toBe('NOT_CONFORMANT');
  });
});
