import { describe, expect, it } from 'vitest';
import { DecisionBook } from '../../../harness/engine/decisions.js';

const levels = { 'M-001': 'MUST', 'S-001': 'SHOULD', 'Y-001': 'MAY' } as const;

function book(declared: readonly string[] = ['M-001', 'S-001']): DecisionBook {
  return new DecisionBook(declared, levels);
}

describe('DecisionBook.violation', () => {
  it('is FAIL for a MUST and WARN for a SHOULD or MAY', () => {
    const b = book(['M-001', 'S-001', 'Y-001']);
    expect(b.violation('M-001')).toBe('FAIL');
    expect(b.violation('S-001')).toBe('WARN');
    expect(b.violation('Y-001')).toBe('WARN');
  });
});

describe('DecisionBook.record', () => {
  it('throws when a check decides a requirement it does not declare, naming both', () => {
    expect(() => book().record('X-999', 'PASS')).toThrow(/X-999.*declared: M-001, S-001/);
  });

  it('keeps the worst outcome and the messages that explain it', () => {
    const b = book();
    b.record('M-001', 'PASS');
    b.record('M-001', 'WARN', 'slow');
    b.record('M-001', 'FAIL', 'wrong topic');
    b.record('M-001', 'PASS');
    b.record('M-001', 'WARN', 'slow again');
    expect(b.toDecisions()).toEqual([{ requirement: 'M-001', outcome: 'FAIL', message: 'wrong topic' }]);
  });

  it('de-duplicates messages of the same outcome and joins them', () => {
    const b = book();
    b.record('M-001', 'FAIL', 'a');
    b.record('M-001', 'FAIL', 'b');
    b.record('M-001', 'FAIL', 'a');
    expect(b.toDecisions()[0]?.message).toBe('a; b');
  });

  it('caps the messages at five and says how many more there were', () => {
    const b = book();
    for (const m of ['m1', 'm2', 'm3', 'm4', 'm5', 'm6', 'm7']) b.record('M-001', 'FAIL', m);
    expect(b.toDecisions()[0]?.message).toBe('m1; m2; m3; m4; m5 (and 2 more)');
  });

  it('lists decisions in declaration order and reports what is undecided', () => {
    const b = book(['M-001', 'S-001', 'Y-001']);
    b.record('Y-001', 'PASS');
    b.record('M-001', 'PASS');
    expect(b.toDecisions().map((d) => d.requirement)).toEqual(['M-001', 'Y-001']);
    expect(b.undecided()).toEqual(['S-001']);
    expect(b.has('M-001')).toBe(true);
    expect(b.has('S-001')).toBe(false);
  });
});
