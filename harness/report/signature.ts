import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { sha256Hex } from '../evidence/index.js';
import { ConfigError } from '../model/index.js';
import { MANIFEST } from './manifest.js';

/** The detached signature of manifest.sha256, beside it in the bundle. */
export const SIGNATURE = `${MANIFEST}.sig`;
/** The signer's public key, in the bundle so anyone can check integrity; who signed is checked with --pubkey. */
export const SIGNER_KEY = 'signer.pub.pem';
/** An encrypted private key is opened with the passphrase from this variable, never from the command line. */
export const PASSPHRASE_ENV = 'OI4_SIGN_KEY_PASSPHRASE';
const FORMAT = 'oi4-conformance-signature/1';

export interface SigningKey {
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  /** sha256 of the public key (SPKI DER), hex: what a lab publishes so others can recognise its key */
  readonly fingerprint: string;
}

interface SignatureFile {
  readonly format: string;
  readonly algorithm: 'Ed25519';
  readonly signed: string;
  readonly keySha256: string;
  readonly signature: string;
  readonly signedAt: string;
}

export function keyFingerprint(publicKey: KeyObject): string {
  return sha256Hex(publicKey.export({ type: 'spki', format: 'der' }));
}

function shown(file: string): string {
  return relative(process.cwd(), file) || file;
}

function readKeyText(file: string, what: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError(`${shown(file)}: cannot read the ${what} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
}

/** Loads an Ed25519 private key (PKCS#8 PEM). Errors name the file and the problem, never the key's content. */
export function loadSigningKey(file: string, env: NodeJS.ProcessEnv = process.env): SigningKey {
  const text = readKeyText(file, 'signing key');
  const passphrase = env[PASSPHRASE_ENV];
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey({ key: text, format: 'pem', ...(passphrase !== undefined && { passphrase }) });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? '';
    if (/PASSPHRASE|BAD_DECRYPT/i.test(code) || /passphrase|bad decrypt/i.test(String(error))) {
      throw new ConfigError(`${shown(file)}: the key is encrypted and ${passphrase === undefined ? `${PASSPHRASE_ENV} is not set` : `${PASSPHRASE_ENV} does not open it`}`);
    }
    throw new ConfigError(`${shown(file)}: not a PEM private key (make one with "oi4-conformance keygen")`);
  }
  if (privateKey.asymmetricKeyType !== 'ed25519') {
    throw new ConfigError(`${shown(file)}: a ${privateKey.asymmetricKeyType ?? 'symmetric'} key; signing needs an Ed25519 key (make one with "oi4-conformance keygen")`);
  }
  const publicKey = createPublicKey(privateKey);
  return { privateKey, publicKey, fingerprint: keyFingerprint(publicKey) };
}

/** Loads a public key to verify with: PEM of an Ed25519 public key (a private key is accepted too, and its public half used). */
export function loadVerifyingKey(file: string): KeyObject {
  const text = readKeyText(file, 'public key');
  let key: KeyObject;
  try {
    key = createPublicKey(text);
  } catch {
    throw new ConfigError(`${shown(file)}: not a PEM public key`);
  }
  if (key.asymmetricKeyType !== 'ed25519') throw new ConfigError(`${shown(file)}: a ${key.asymmetricKeyType ?? 'unknown'} key; bundles are signed with Ed25519`);
  return key;
}

export function writeSignerKey(dir: string, key: SigningKey): void {
  writeFileSync(join(dir, SIGNER_KEY), key.publicKey.export({ type: 'spki', format: 'pem' }).toString());
}

/** Signs manifest.sha256 as it is on disk; the manifest must be written first. */
export function signManifest(dir: string, key: SigningKey, now = new Date()): void {
  const manifest = readFileSync(join(dir, MANIFEST));
  const file: SignatureFile = {
    format: FORMAT,
    algorithm: 'Ed25519',
    signed: MANIFEST,
    keySha256: key.fingerprint,
    signature: sign(null, manifest, key.privateKey).toString('base64'),
    signedAt: now.toISOString(),
  };
  writeFileSync(join(dir, SIGNATURE), JSON.stringify(file, null, 2) + '\n');
}

export type SignatureCheck =
  | { readonly status: 'absent' }
  | { readonly status: 'malformed'; readonly problem: string }
  | { readonly status: 'valid' | 'invalid'; readonly keySha256: string; readonly keySource: 'given' | 'bundle'; readonly signedAt: string };

/**
 * Checks the detached signature over the manifest bytes. With a given key that key decides; without one the
 * bundle's own signer.pub.pem does, which proves the bundle is unchanged but not who signed it.
 */
export function checkSignature(dir: string, given?: KeyObject): SignatureCheck {
  const path = join(dir, SIGNATURE);
  if (!existsSync(path)) return { status: 'absent' };
  let parsed: Partial<SignatureFile>;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8')) as Partial<SignatureFile>;
  } catch {
    return { status: 'malformed', problem: `${SIGNATURE} is not JSON` };
  }
  if (parsed.format !== FORMAT || parsed.algorithm !== 'Ed25519' || typeof parsed.signature !== 'string') {
    return { status: 'malformed', problem: `${SIGNATURE} is not an ${FORMAT} Ed25519 signature` };
  }
  let key = given;
  if (!key) {
    try {
      key = createPublicKey(readFileSync(join(dir, SIGNER_KEY), 'utf8'));
    } catch {
      return { status: 'malformed', problem: `the bundle has no readable ${SIGNER_KEY}; pass --pubkey` };
    }
  }
  let manifest: Buffer;
  try {
    manifest = readFileSync(join(dir, MANIFEST));
  } catch {
    return { status: 'malformed', problem: `${MANIFEST} is missing` };
  }
  const valid = key.asymmetricKeyType === 'ed25519' && verify(null, manifest, key, Buffer.from(parsed.signature, 'base64'));
  return { status: valid ? 'valid' : 'invalid', keySha256: keyFingerprint(key), keySource: given ? 'given' : 'bundle', signedAt: String(parsed.signedAt ?? '') };
}

/** A new Ed25519 key pair as PEM; the private key is encrypted when a passphrase is given. */
export function generateSigningKeyPair(passphrase?: string): { privatePem: string; publicPem: string; fingerprint: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const privatePem = privateKey
    .export({ type: 'pkcs8', format: 'pem', ...(passphrase !== undefined && { cipher: 'aes-256-cbc', passphrase }) })
    .toString();
  return { privatePem, publicPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(), fingerprint: keyFingerprint(publicKey) };
}
