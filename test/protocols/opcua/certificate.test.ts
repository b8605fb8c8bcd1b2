import { describe, expect, it } from 'vitest';
import { certificateFacts, makeSelfSignedCertificate } from '../../../harness/protocols/opcua/index.js';

const derOf = (pem: string): Buffer => Buffer.from(pem.replace(/-----[A-Z ]+-----|\s/g, ''), 'base64');

describe('certificateFacts', () => {
  it('reads validity, the subjectAltName URI, DNS names and the RSA key size of an application certificate', async () => {
    const { cert } = await makeSelfSignedCertificate('application', 'unit');
    const facts = certificateFacts(derOf(cert));
    expect(facts.uris).toEqual(['urn:oi4-conformance:harness']);
    expect(facts.dnsNames).toEqual(['localhost']);
    expect(facts.keyType).toBe('rsa');
    expect(facts.keyBits).toBe(2048);
    expect(facts.notBefore.getTime()).toBeLessThan(Date.now());
    expect(facts.notAfter.getTime()).toBeGreaterThan(Date.now());
    expect(facts.thumbprint).toMatch(/^[0-9A-F]{40}$/);
  });

  it('takes the leaf of a chain sent as one DER blob', async () => {
    const [a, b] = await Promise.all([makeSelfSignedCertificate('user', 'leaf'), makeSelfSignedCertificate('user', 'other')]);
    const chain = Buffer.concat([derOf(a.cert), derOf(b.cert)]);
    expect(certificateFacts(chain).subject).toContain('CN=leaf');
  });

  it('throws on bytes that are no certificate', () => {
    expect(() => certificateFacts(Buffer.from('not a certificate'))).toThrow();
  });
});
