import { describe, expect, it } from 'vitest';
import { HarRecorder, type HarEntry, type HarExchange } from '../../../harness/protocols/aas/index.js';

function exchange(over: Partial<HarExchange> = {}): HarExchange {
  return {
    startedAt: new Date('2026-01-01T00:00:00Z'),
    method: 'GET',
    url: 'http://127.0.0.1:1/api/v3.0/shells?limit=1',
    requestHeaders: { accept: 'application/json' },
    response: { status: 200, headers: { 'content-type': 'application/json' }, body: Buffer.from('{"result":[]}'), bodySize: 13 },
    waitMs: 3,
    receiveMs: 1,
    ...over,
  };
}

function parse(har: HarRecorder): { log: { version: string; creator: { name: string }; entries: HarEntry[]; comment?: string } } {
  return JSON.parse(har.toHar()) as { log: { version: string; creator: { name: string }; entries: HarEntry[]; comment?: string } };
}

describe('HarRecorder', () => {
  it('writes HAR 1.2 with creator, request, response, content and timings', () => {
    const har = new HarRecorder();
    har.record(exchange());
    const { log } = parse(har);
    expect(log.version).toBe('1.2');
    expect(log.creator.name).toBe('oi4-conformance');
    const entry = log.entries[0];
    expect(entry?.startedDateTime).toBe('2026-01-01T00:00:00.000Z');
    expect(entry?.time).toBe(4);
    expect(entry?.request.queryString).toEqual([{ name: 'limit', value: '1' }]);
    expect(entry?.response.statusText).toBe('OK');
    expect(entry?.response.content).toEqual({ size: 13, mimeType: 'application/json', text: '{"result":[]}' });
    expect(entry?.timings).toEqual({ send: 0, wait: 3, receive: 1 });
  });

  it('redacts credential headers, secret form fields, token members and the given secrets anywhere', () => {
    const har = new HarRecorder({ secrets: ['hunter2-api-key'] });
    har.record(
      exchange({
        method: 'POST',
        url: 'http://127.0.0.1:1/token?client_secret=abc&x=hunter2-api-key',
        requestHeaders: { 'content-type': 'application/x-www-form-urlencoded', Authorization: 'Basic Zm9vOmJhcg==', cookie: 'sid=1', 'x-tenant': 'hunter2-api-key' },
        requestBody: Buffer.from('grant_type=client_credentials&client_secret=pssst&scope=a'),
        response: {
          status: 200,
          headers: { 'content-type': 'application/json', 'set-cookie': ['a=1', 'b=2'] },
          body: Buffer.from('{"access_token":"AT","refresh_token":"RT","id_token":"IT","nested":{"access_token":"AT2"},"note":"hunter2-api-key"}'),
          bodySize: 100,
        },
      }),
    );
    const text = har.toHar();
    for (const leaked of ['Zm9vOmJhcg', 'sid=1', 'pssst', '"AT"', 'RT', 'IT', 'AT2', 'hunter2-api-key', 'client_secret=abc']) expect(text).not.toContain(leaked);
    const entry = parse(har).log.entries[0];
    expect(entry?.request.postData?.text).toBe('grant_type=client_credentials&client_secret=[redacted]&scope=a');
    expect(entry?.request.headers).toContainEqual({ name: 'x-tenant', value: '***' });
    expect(entry?.response.headers.filter((h) => h.name === 'set-cookie')).toEqual([
      { name: 'set-cookie', value: '[redacted]' },
      { name: 'set-cookie', value: '[redacted]' },
    ]);
    expect(JSON.parse(entry?.response.content.text ?? '')).toEqual({
      access_token: '[redacted]',
      refresh_token: '[redacted]',
      id_token: '[redacted]',
      nested: { access_token: '[redacted]' },
      note: '***',
    });
  });

  it('keeps binary bodies as base64, redacting secrets in the bytes first', () => {
    const har = new HarRecorder({ secrets: ['SECRET'] });
    const body = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0xff]), Buffer.from('SECRET')]);
    har.record(exchange({ response: { status: 200, headers: { 'content-type': 'image/png' }, body, bodySize: body.length } }));
    const content = parse(har).log.entries[0]?.response.content;
    expect(content?.encoding).toBe('base64');
    expect(Buffer.from(content?.text ?? '', 'base64').toString('latin1')).toContain('***');
    expect(Buffer.from(content?.text ?? '', 'base64').toString('latin1')).not.toContain('SECRET');
  });

  it('cuts bodies at its cap with a note, and counts the entries its cap drops', () => {
    const har = new HarRecorder({ limits: { maxEntries: 2, maxBodyBytes: 10 } });
    const body = Buffer.from('"0123456789abcdef"');
    for (let i = 0; i < 3; i++) har.record(exchange({ response: { status: 200, headers: { 'content-type': 'application/json' }, body, bodySize: body.length } }));
    const { log } = parse(har);
    expect(log.entries).toHaveLength(2);
    expect(log.entries[0]?.response.content.text).toBe('"012345678');
    expect(log.entries[0]?.response.content.comment).toBe('body cut to 10 of 18 bytes (HAR cap)');
    expect(log.comment).toBe('1 further exchanges not recorded: entry cap of 2 reached');
  });

  it('records an exchange that got no response, with the reason', () => {
    const har = new HarRecorder();
    const { response: _, ...noResponse } = exchange();
    har.record({ ...noResponse, error: 'GET http://127.0.0.1:1/x: connection refused' });
    const entry = parse(har).log.entries[0];
    expect(entry?.response.status).toBe(0);
    expect(entry?._error).toBe('GET http://127.0.0.1:1/x: connection refused');
  });
});
