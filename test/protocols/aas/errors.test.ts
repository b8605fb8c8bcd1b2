import { describe, expect, it } from 'vitest';
import { describeHttpError } from '../../../harness/protocols/aas/index.js';

function coded(code: string, message = code): Error {
  return Object.assign(new Error(message), { code });
}

describe('describeHttpError', () => {
  const at = { method: 'GET', url: 'https://user:pw@aas.example/api/v3.0/shells', timeoutMs: 2000 };

  it.each([
    ['ECONNREFUSED', 'connection refused (is the server running and the port right?)'],
    ['ECONNRESET', 'the server reset the connection'],
    ['UND_ERR_SOCKET', 'the server closed the connection before the response was complete'],
    ['UND_ERR_HEADERS_TIMEOUT', 'no response headers within 2000 ms'],
    ['UND_ERR_BODY_TIMEOUT', 'the response body stalled: no data within 2000 ms'],
    ['ENOTFOUND', 'the host name does not resolve'],
    ['DEPTH_ZERO_SELF_SIGNED_CERT', "the server's certificate is not trusted (self-signed, or issued by a CA not given in tls.ca)"],
    ['CERT_HAS_EXPIRED', "the server's certificate has expired"],
    ['ERR_TLS_CERT_ALTNAME_INVALID', "the server's certificate does not name this host (hostname mismatch)"],
  ])('%s', (code, reason) => {
    expect(describeHttpError(coded(code), at)).toBe(`GET https://***:***@aas.example/api/v3.0/shells: ${reason}`);
  });

  it('finds the code under a cause, and reads an abort', () => {
    expect(describeHttpError(new Error('fetch failed', { cause: coded('ECONNREFUSED') }))).toMatch(/^connection refused/);
    expect(describeHttpError(Object.assign(new Error('This operation was aborted'), { name: 'AbortError' }))).toBe('the request was aborted');
  });

  it('keeps an unknown error to its first line', () => {
    expect(describeHttpError(new Error('first\nsecond'), { url: 'http://h/x' })).toBe('http://h/x: first');
  });
});
