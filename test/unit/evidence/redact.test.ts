import { describe, expect, it } from 'vitest';
import { createRedactor, REDACTED, redactUrl } from '../../../harness/evidence/index.js';

describe('createRedactor', () => {
  it('replaces every occurrence of every secret', () => {
    const redact = createRedactor(['hunter2', 'tok-123']);
    expect(redact('pw=hunter2 token=tok-123 again hunter2')).toBe(`pw=${REDACTED} token=${REDACTED} again ${REDACTED}`);
  });

  it('replaces the longest secret first, so a secret containing another leaves no fragment', () => {
    // if "pass" went first, "passphrase-xyz" would become "***phrase-xyz" and leak most of the longer secret
    const redact = createRedactor(['pass', 'passphrase-xyz']);
    expect(redact('key passphrase-xyz, user pass')).toBe(`key ${REDACTED}, user ${REDACTED}`);
  });

  it('ignores values shorter than three characters and undefined ones', () => {
    const redact = createRedactor(['ab', 'x', '', undefined]);
    expect(redact('a b ab x')).toBe('a b ab x');
    expect(redact.empty).toBe(true);
  });

  it('is not empty when at least one value is long enough', () => {
    const redact = createRedactor(['ab', 'abc']);
    expect(redact.empty).toBe(false);
    expect(redact('xabcx ab')).toBe(`x${REDACTED}x ab`);
  });

  it('leaves text without secrets unchanged, including regex metacharacters in secrets', () => {
    const redact = createRedactor(['a.b*c']);
    expect(redact('axbbc')).toBe('axbbc');
    expect(redact('[a.b*c]')).toBe(`[${REDACTED}]`);
  });
});

describe('redactUrl', () => {
  it('removes user and password from an MQTT URL and keeps host and port', () => {
    const out = redactUrl('mqtt://lab-user:S3cret@127.0.0.1:1883');
    expect(out).not.toContain('lab-user');
    expect(out).not.toContain('S3cret');
    expect(out).toContain('127.0.0.1:1883');
    expect(out.startsWith('mqtt://')).toBe(true);
  });

  it('removes a lone user name', () => {
    const out = redactUrl('mqtts://only-user@127.0.0.1:8883');
    expect(out).not.toContain('only-user');
    expect(out).toContain('127.0.0.1:8883');
  });

  it('leaves a URL without credentials as it is', () => {
    expect(redactUrl('mqtt://127.0.0.1:1883')).toBe('mqtt://127.0.0.1:1883');
  });

  it('still removes credentials from text that is not a parseable URL', () => {
    const out = redactUrl('broker at //u:p4ss@host');
    expect(out).not.toContain('p4ss');
    expect(out).toContain('host');
  });
});
