/**
 * TLS as the harness sees it: one-line reasons for TLS failures (which certificate, which CA, which name),
 * and a bare TLS handshake that reads the broker's certificate (OI4-SEC-001).
 */
import { isIP } from 'node:net';
import { connect, type DetailedPeerCertificate, type TLSSocket } from 'node:tls';
import type { BrokerAccess } from '../../model/index.js';

type TlsSettings = NonNullable<BrokerAccess['tls']>;

// node's (OpenSSL's) verification codes for a chain that does not lead to a trusted CA
const UNTRUSTED = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_SIGNATURE_FAILURE',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'INVALID_CA',
  'PATH_LENGTH_EXCEEDED',
  'INVALID_PURPOSE',
]);

/** Where the trust came from, for messages. */
function trustAnchor(tls: TlsSettings | undefined): string {
  if (tls?.ca === undefined) return "the system's CA certificates (the target names no broker.tls.ca)";
  return tls.caFile ? `the CA in ${tls.caFile}` : "the target's CA";
}

/**
 * A one-line reason starting with "TLS:" when the error is a TLS failure, else undefined. Distinguishes what
 * the harness rejected (untrusted, wrong name, expired) from what the broker rejected (an alert).
 */
export function describeTlsError(error: Error, context: { readonly url: string; readonly tls?: TlsSettings | undefined }): string | undefined {
  const raw = (error as { code?: unknown }).code;
  // mqtt.js puts a CONNACK return code (a number) where node puts its error code
  const code = typeof raw === 'string' ? raw : '';
  const host = hostOf(context.url);
  if (UNTRUSTED.has(code)) return `TLS: the broker's certificate is not trusted by ${trustAnchor(context.tls)} (${code})`;
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
    const reason = (error as { reason?: unknown }).reason;
    return `TLS: the broker's certificate is not valid for the host name ${context.tls?.servername ?? host}${typeof reason === 'string' && reason ? `: ${reason.replace(/:\s*$/, '')}` : ''} (${code})`;
  }
  if (code === 'CERT_HAS_EXPIRED') return `TLS: the broker's certificate has expired (${code})`;
  if (code === 'CERT_NOT_YET_VALID') return `TLS: the broker's certificate is not valid yet (${code})`;
  if (code === 'ERR_SSL_WRONG_VERSION_NUMBER' || /wrong version number|packet length too long/i.test(error.message)) {
    return `TLS: the broker did not answer the handshake with TLS (is ${host}:${portOf(context.url)} a plain mqtt:// port?) (${code || 'EPROTO'})`;
  }
  const alert = /^ERR_SSL_(?:SSLV3|TLSV1|TLSV13)_ALERT_(.+)$/.exec(code);
  if (alert) {
    const what = alert[1]!.toLowerCase().replace(/_/g, ' ');
    const hint = /certificate required|handshake failure|bad certificate|unknown ca/.test(what) ? ' (does it require a client certificate it trusts? broker.tls.cert/key)' : '';
    return `TLS: the broker ended the handshake with the alert "${what}"${hint} (${code})`;
  }
  if (code.startsWith('ERR_SSL_') || code.startsWith('ERR_TLS_') || code === 'EPROTO') return `TLS: the handshake failed: ${error.message.split('\n')[0]} (${code})`;
  if (/before secure TLS connection was established/i.test(error.message)) return `TLS: the broker closed the connection during the handshake (is it a plain mqtt:// port, or does it want a client certificate?) (${code || 'closed'})`;
  return undefined;
}

/** The broker's certificate as the report shows it. */
export interface PeerCertificateSummary {
  readonly subject: string;
  readonly issuer: string;
  readonly subjectAltName: string | null;
  readonly validFrom: string;
  readonly validTo: string;
  readonly fingerprint256: string;
  /** subjects from the broker's certificate up to the root, as the broker sent them */
  readonly chain: readonly string[];
  readonly protocol: string | null;
}

export type TlsProbeResult =
  | { readonly ok: true; readonly peer: PeerCertificateSummary }
  /** the handshake failed for a TLS reason (the one-line description) */
  | { readonly ok: false; readonly reason: string; readonly peer: PeerCertificateSummary | null };

/**
 * One TLS handshake with the broker, verified (rejectUnauthorized true) against the target's CA and the host
 * name of the URL, whatever the target file says about verification. Presents the target's client certificate
 * when it has one (a broker may require it). Throws for what is not TLS: refused connection, timeout, abort.
 */
export function probeTls(options: {
  readonly url: string;
  readonly tls: TlsSettings | undefined;
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
}): Promise<TlsProbeResult> {
  const { url, tls } = options;
  const host = hostOf(url);
  const servername = tls?.servername ?? (isIP(host) ? undefined : host);
  return new Promise((resolve, reject) => {
    let socket: TLSSocket | undefined;
    const finish = (settle: () => void) => {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      socket?.destroy();
      settle();
    };
    const onAbort = () => finish(() => reject(new Error('aborted')));
    const timer = setTimeout(() => finish(() => reject(new Error(`no TLS handshake with ${host}:${portOf(url)} within ${options.timeoutMs} ms`))), options.timeoutMs);
    options.signal?.addEventListener('abort', onAbort, { once: true });
    socket = connect({
      host,
      port: portOf(url),
      rejectUnauthorized: true,
      ...(servername !== undefined && { servername }),
      ...(tls?.ca !== undefined && { ca: tls.ca }),
      ...(tls?.cert !== undefined && { cert: tls.cert }),
      ...(tls?.key !== undefined && { key: tls.key }),
      ...(tls?.passphrase !== undefined && { passphrase: tls.passphrase }),
    });
    socket.once('secureConnect', () => {
      const peer = summarize(socket!);
      finish(() => resolve({ ok: true, peer }));
    });
    socket.once('error', (error) => {
      const reason = describeTlsError(error, { url, tls });
      const peer = socket && !socket.destroyed ? summarize(socket) : null;
      finish(() => (reason ? resolve({ ok: false, reason, peer }) : reject(error)));
    });
  });
}

function summarize(socket: TLSSocket): PeerCertificateSummary {
  const cert = socket.getPeerCertificate(true) as DetailedPeerCertificate | Record<string, never>;
  const chain: string[] = [];
  let link: DetailedPeerCertificate | undefined = 'subject' in cert ? (cert as DetailedPeerCertificate) : undefined;
  const seen = new Set<string>();
  while (link?.subject && !seen.has(link.fingerprint256)) {
    seen.add(link.fingerprint256);
    chain.push(distinguishedName(link.subject));
    link = link.issuerCertificate;
  }
  const full = cert as Partial<DetailedPeerCertificate>;
  return {
    subject: full.subject ? distinguishedName(full.subject) : '',
    issuer: full.issuer ? distinguishedName(full.issuer) : '',
    subjectAltName: full.subjectaltname ?? null,
    validFrom: full.valid_from ?? '',
    validTo: full.valid_to ?? '',
    fingerprint256: full.fingerprint256 ?? '',
    chain,
    protocol: socket.getProtocol(),
  };
}

function distinguishedName(name: object): string {
  return Object.entries(name)
    .map(([k, v]) => `${k}=${Array.isArray(v) ? v.join('+') : String(v)}`)
    .join(', ');
}

/** The host of an mqtt(s):// URL, without IPv6 brackets. */
export function hostOf(url: string): string {
  return new URL(url).hostname.replace(/^\[|\]$/g, '');
}

export function portOf(url: string): number {
  const parsed = new URL(url);
  return parsed.port ? Number(parsed.port) : parsed.protocol === 'mqtts:' ? 8883 : 1883;
}
