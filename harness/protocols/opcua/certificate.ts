import { createHash, X509Certificate } from 'node:crypto';

/** What a check needs to know about an application instance certificate, read from its DER bytes. */
export interface CertificateFacts {
  readonly subject: string;
  readonly notBefore: Date;
  readonly notAfter: Date;
  /** subjectAltName URIs (the application URI lives here) */
  readonly uris: readonly string[];
  readonly dnsNames: readonly string[];
  readonly ipAddresses: readonly string[];
  /** 'rsa', 'ec', ... */
  readonly keyType: string;
  /** RSA modulus length; undefined for other key types */
  readonly keyBits: number | undefined;
  /** SHA-1 thumbprint as OPC UA tools show it (hex, uppercase) */
  readonly thumbprint: string;
}

/** Parses a DER certificate (the first of a chain); throws with a one-line reason when it is not one. */
export function certificateFacts(der: Uint8Array): CertificateFacts {
  const certificate = new X509Certificate(firstOfChain(der));
  const san = parseSubjectAltName(certificate.subjectAltName ?? '');
  const key = certificate.publicKey;
  return {
    subject: certificate.subject.replace(/\n/g, ', '),
    notBefore: new Date(certificate.validFrom),
    notAfter: new Date(certificate.validTo),
    uris: san.filter((e) => e.kind === 'URI').map((e) => e.value),
    dnsNames: san.filter((e) => e.kind === 'DNS').map((e) => e.value),
    ipAddresses: san.filter((e) => e.kind === 'IP Address').map((e) => e.value),
    keyType: key.asymmetricKeyType ?? 'unknown',
    keyBits: key.asymmetricKeyDetails?.modulusLength,
    thumbprint: createHash('sha1').update(firstOfChain(der)).digest('hex').toUpperCase(),
  };
}

/** A server may send its whole chain; the leaf is the first DER SEQUENCE. */
function firstOfChain(der: Uint8Array): Buffer {
  const bytes = Buffer.from(der);
  if (bytes.length < 4 || bytes[0] !== 0x30) return bytes;
  const lengthByte = bytes[1]!;
  if (lengthByte < 0x80) return bytes.subarray(0, 2 + lengthByte);
  const octets = lengthByte & 0x7f;
  if (octets === 0 || octets > 4 || bytes.length < 2 + octets) return bytes;
  let length = 0;
  for (let i = 0; i < octets; i++) length = length * 256 + bytes[2 + i]!;
  return bytes.subarray(0, Math.min(bytes.length, 2 + octets + length));
}

/**
 * Node renders subjectAltName as `URI:urn:x, DNS:localhost, IP Address:127.0.0.1`; values that contain a
 * comma or a colon are quoted JSON strings.
 */
function parseSubjectAltName(text: string): { kind: string; value: string }[] {
  const entries: { kind: string; value: string }[] = [];
  const pattern = /(URI|DNS|IP Address|email|DirName|othername|Registered ID):("(?:[^"\\]|\\.)*"|[^,]*)(?:,\s*|$)/g;
  for (const match of text.matchAll(pattern)) {
    const raw = match[2]!.trim();
    entries.push({ kind: match[1]!, value: raw.startsWith('"') ? (JSON.parse(raw) as string) : raw });
  }
  return entries;
}
