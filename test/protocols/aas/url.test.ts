import { describe, expect, it } from 'vitest';
import { AasHttpError, encodeQuery, joinUrl } from '../../../harness/protocols/aas/index.js';

describe('joinUrl', () => {
  it('keeps the base path prefix and puts exactly one slash at the seam', () => {
    expect(joinUrl('https://h/api/v3.0', '/shells').href).toBe('https://h/api/v3.0/shells');
    expect(joinUrl('https://h/api/v3.0/', '/shells').href).toBe('https://h/api/v3.0/shells');
    expect(joinUrl('https://h/api/v3.0//', 'shells').href).toBe('https://h/api/v3.0/shells');
    expect(joinUrl('https://h', '/shells').href).toBe('https://h/shells');
    expect(joinUrl('https://h:8443/a/b/c', '/description').href).toBe('https://h:8443/a/b/c/description');
  });

  it('leaves the inside of the path alone (a check may probe a doubled slash or a trailing one)', () => {
    expect(joinUrl('http://h/p', '/shells//x/').pathname).toBe('/p/shells//x/');
  });

  it('appends query parameters, encoded, after any query of the base or the path', () => {
    const url = joinUrl('http://h/p?tenant=a%20b', '/shells?x=1', { limit: 1, cursor: 'a+b/c=', idShort: undefined, assetIds: ['x', 'y'] });
    expect(url.search).toBe('?tenant=a%20b&x=1&limit=1&cursor=a%2Bb%2Fc%3D&assetIds=x&assetIds=y');
    expect(encodeQuery(undefined)).toBe('');
  });

  it('rejects a base URL that is not http(s), in plain words and without credentials', () => {
    expect(() => joinUrl('ftp://u:secret@h/x', '/a')).toThrow(AasHttpError);
    expect(() => joinUrl('ftp://u:secret@h/x', '/a')).toThrow(/must start with http/);
    expect(() => joinUrl('ftp://u:secret@h/x', '/a')).not.toThrow(/secret/);
    expect(() => joinUrl('not a url', '/a')).toThrow(/not a valid URL/);
  });
});
