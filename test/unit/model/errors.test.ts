import { describe, expect, it } from 'vitest';
import { ConfigError, didYouMean } from '../../../harness/model/index.js';

describe('didYouMean', () => {
  it('finds the candidate one typo away', () => {
    expect(didYouMean('brokr', ['name', 'kind', 'broker', 'oi4'])).toBe('broker');
    expect(didYouMean('paramters', ['parameters', 'claims'])).toBe('parameters');
  });

  it('ignores case when comparing, but returns the candidate as spelt', () => {
    expect(didYouMean('RESPONSETIMEOUTMS', ['responseTimeoutMs'])).toBe('responseTimeoutMs');
  });

  it('allows more edits for longer inputs (a third of the length)', () => {
    // 4 edits: beyond the floor of 2, within floor(18 / 3) = 6
    expect(didYouMean('oi4-xyz-applicatio', ['oi4-oec-application'])).toBe('oi4-oec-application');
    // the same 4 edits on a short input are too many
    expect(didYouMean('abcd', ['wxyz'])).toBeUndefined();
  });

  it('suggests nothing when every candidate is too far away', () => {
    expect(didYouMean('completely-different', ['broker', 'name'])).toBeUndefined();
    expect(didYouMean('brxxxr', ['broker'])).toBeUndefined();
  });

  it('suggests nothing without candidates', () => {
    expect(didYouMean('broker', [])).toBeUndefined();
  });

  it('prefers the closest of several near candidates', () => {
    expect(didYouMean('claim', ['claims', 'clams-x'])).toBe('claims');
  });

  it('accepts any iterable of candidates', () => {
    expect(didYouMean('kindd', new Set(['kind', 'name']))).toBe('kind');
  });
});

describe('ConfigError', () => {
  it('is an Error named ConfigError', () => {
    const error = new ConfigError('fix this');
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('ConfigError');
    expect(error.message).toBe('fix this');
  });
});
