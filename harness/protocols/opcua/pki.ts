import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { OPCUACertificateManager } from 'node-opcua-certificate-manager';
import type { OpcUaAccess } from '../../model/index.js';
import { loadClientLibrary } from './library.js';

/** The application URI of the harness as an OPC UA client; its certificate carries it. */
export const HARNESS_APPLICATION_URI = 'urn:oi4-conformance:harness';
export const HARNESS_APPLICATION_NAME = 'oi4-conformance';

let folder: string | undefined;

/**
 * This process's PKI folder (own, trusted, rejected): made on first use below the system's temporary
 * folder and removed when the process exits. node-opcua would otherwise write to ~/.config.
 */
export function processPkiFolder(): string {
  if (folder === undefined) {
    const made = mkdtempSync(join(tmpdir(), 'oi4c-opcua-pki-'));
    folder = made;
    process.once('exit', () => rmSync(made, { recursive: true, force: true }));
  }
  return folder;
}

let manager: Promise<OPCUACertificateManager> | undefined;

/**
 * A certificate manager that lets every server certificate through. The harness must reach a server whose
 * certificate is expired or names the wrong URI to judge exactly that (opcua-security); trusting is not the
 * harness's verdict, the checks are.
 */
export function harnessCertificateManager(): Promise<OPCUACertificateManager> {
  manager ??= (async () => {
    const { OPCUACertificateManager } = await import('node-opcua-certificate-manager');
    const { StatusCodes } = await loadClientLibrary();
    const created = new OPCUACertificateManager({ rootFolder: join(processPkiFolder(), 'client'), automaticallyAcceptUnknownCertificate: true });
    await created.initialize();
    const acceptAll = (_chain: unknown, callback?: (error: Error | null, status?: unknown) => void): Promise<unknown> | undefined => {
      if (callback) {
        callback(null, StatusCodes.Good);
        return undefined;
      }
      return Promise.resolve(StatusCodes.Good);
    };
    Object.assign(created, { checkCertificate: acceptAll });
    return created;
  })();
  return manager;
}

/** The files node-opcua reads the client's own certificate and key from. */
export function clientCertificateFiles(certificate: NonNullable<OpcUaAccess['clientCertificate']>): { certificateFile: string; privateKeyFile: string } {
  const dir = join(processPkiFolder(), 'harness-own');
  mkdirSync(dir, { recursive: true });
  const certificateFile = join(dir, 'client_certificate.pem');
  const privateKeyFile = join(dir, 'client_private_key.pem');
  writeFileSync(certificateFile, certificate.cert);
  writeFileSync(privateKeyFile, certificate.key, { mode: 0o600 });
  return { certificateFile, privateKeyFile };
}

/**
 * A fresh self-signed certificate (RSA 2048, valid for a day) for a given purpose: the harness's own
 * application instance certificate, made once per run so the preflight and every check present the same
 * one; or a user certificate no server can know (the negative half of OPCUA-SEC-009).
 */
export async function makeSelfSignedCertificate(purpose: 'application' | 'user', commonName: string): Promise<{ cert: string; key: string }> {
  const crypto = await import('node-opcua-crypto');
  const privateKey = await crypto.generatePrivateKey(2048);
  const { privPem } = await crypto.privateKeyToPEM(privateKey);
  const now = Date.now();
  const { cert } = await crypto.createSelfSignedCertificate({
    privateKey,
    notBefore: new Date(now - 60 * 60 * 1000),
    notAfter: new Date(now + 24 * 60 * 60 * 1000),
    subject: `/CN=${commonName}/O=oi4-conformance`,
    ...(purpose === 'application' && { applicationUri: HARNESS_APPLICATION_URI, dns: ['localhost'] }),
    purpose: purpose === 'application' ? crypto.CertificatePurpose.ForApplication : crypto.CertificatePurpose.ForUserAuthentication,
  });
  return { cert, key: privPem };
}
