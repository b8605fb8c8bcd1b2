import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../harness/model/index.js';
import { interpolateEnv } from '../../../harness/targets/index.js';

describe('interpolateEnv', () => {
  it('replaces references in nested strings and arrays and leaves other values alone', () => {
    const input = { a: 'x-${A}-y', b: { c: ['${B}', 'plain'], n: 5, t: true, z: null } };
    expect(interpolateEnv(input, { A: '1', B: '2' }, 'f.yaml')).toEqual({ a: 'x-1-y', b: { c: ['2', 'plain'], n: 5, t: true, z: null } });
  });

  it('replaces several references in one string', () => {
    expect(interpolateEnv('${USER_A}:${USER_B}', { USER_A: 'u', USER_B: 'p' }, 'f')).toBe('u:p');
  });

  it('does not interpolate the values it inserts again', () => {
    expect(interpolateEnv('${A}', { A: '${B}', B: 'nested' }, 'f')).toBe('${B}');
  });

  it('names the file, the dotted path and the variable when it is missing, but no value', () => {
    let error: unknown;
    try {
      interpolateEnv({ list: ['${OK}'], broker: { tls: { passphrase: '${KEY_PASS}' } } }, { OK: 'visible-value' }, 'lab.yaml');
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(ConfigError);
    // the whole message: the resolved value of OK must not appear in it
    expect((error as Error).message).toBe('lab.yaml: broker.tls.passphrase refers to environment variable KEY_PASS, which is not set');
  });

  it('names array positions in the path', () => {
    expect(() => interpolateEnv({ claims: ['a', '${MISSING_X}'] }, {}, 'f')).toThrow(/claims\[1\] refers to environment variable MISSING_X/);
  });

  it('ignores text that only looks like a reference', () => {
    expect(interpolateEnv('$A ${1X} ${}', {}, 'f')).toBe('$A ${1X} ${}');
  });
});
