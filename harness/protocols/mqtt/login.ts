/**
 * One login attempt: CONNECT with the given credentials and see whether the broker lets the client in. For the
 * checks that decide who a broker accepts (OI4-SEC-002..004); a refusal is an answer here, not an error.
 */
import { X509Certificate } from 'node:crypto';
import mqtt, { type IClientOptions } from 'mqtt';
import { redactUrl, type MqttLog } from '../../evidence/index.js';
import type { BrokerAccess } from '../../model/index.js';
import { BrokerError, harnessClientOptions } from './connection.js';
import { describeTlsError } from './tls.js';

type TlsSettings = NonNullable<BrokerAccess['tls']>;

export interface LoginCredentials {
  readonly username?: string;
  readonly password?: string;
  /** what the evidence says about the password (e.g. "a random wrong password"); the password itself never */
  readonly passwordShown?: string;
  /** client certificate and key (PEM) for mutual TLS */
  readonly cert?: string;
  readonly key?: string;
  readonly passphrase?: string;
}

export type LoginResult =
  /** CONNACK 0: a session was opened (and closed again at once) */
  | { readonly kind: 'accepted'; readonly detail: string }
  /** CONNACK with a refusal return code */
  | { readonly kind: 'refused'; readonly returnCode: number; readonly detail: string }
  /** the broker ended the TLS handshake with an alert */
  | { readonly kind: 'tls-refused'; readonly detail: string }
  /** the broker closed the connection without a CONNACK */
  | { readonly kind: 'closed'; readonly detail: string };

export interface LoginOptions {
  readonly url: string;
  /** the server side of TLS: ca, rejectUnauthorized, servername (a client certificate comes with the credentials) */
  readonly tls?: Pick<TlsSettings, 'ca' | 'caFile' | 'rejectUnauthorized' | 'servername'> | undefined;
  readonly credentials: LoginCredentials;
  readonly clientIdPrefix: string;
  /** a label for the client id, e.g. the check id */
  readonly purpose: string;
  readonly connectTimeoutMs: number;
  readonly signal?: AbortSignal;
  /** evidence: the CONNECT (without any password) and what came back */
  readonly log?: MqttLog;
}

const RETURN_CODES: Readonly<Record<number, string>> = {
  1: 'unacceptable protocol version',
  2: 'identifier rejected',
  3: 'server unavailable',
  4: 'bad user name or password',
  5: 'not authorized',
};

/**
 * Connects once, never reconnecting, and closes at once. Throws BrokerError for what says nothing about the
 * broker's decision: unreachable, no answer within connectTimeoutMs, a certificate the harness does not trust.
 */
export async function attemptLogin(options: LoginOptions): Promise<LoginResult> {
  const { credentials: creds, tls } = options;
  const base = harnessClientOptions(options.clientIdPrefix, options.purpose, options.connectTimeoutMs);
  const clientId = base.clientId;
  const endpoint = redactUrl(options.url);
  options.log?.record(
    'sent',
    '(CONNECT)',
    Buffer.from(
      JSON.stringify({
        endpoint,
        clientId,
        username: creds.username ?? null,
        password: creds.password === undefined ? null : (creds.passwordShown ?? 'the target\'s password (not recorded)'),
        clientCertificate: creds.cert ? certificateSubject(creds.cert) : null,
        caCertificate: tls?.ca ? (tls.caFile ?? 'the target\'s CA') : null,
      }),
    ),
    0,
    false,
  );
  const clientOptions: IClientOptions = {
    ...base,
    ...(creds.username !== undefined && { username: creds.username }),
    ...(creds.password !== undefined && { password: creds.password }),
    ...(creds.cert !== undefined && { cert: creds.cert }),
    ...(creds.key !== undefined && { key: creds.key }),
    ...(creds.passphrase !== undefined && { passphrase: creds.passphrase }),
    ...(tls?.ca !== undefined && { ca: tls.ca }),
    ...(tls?.servername !== undefined && { servername: tls.servername }),
    rejectUnauthorized: tls?.rejectUnauthorized ?? true,
  };
  const client = mqtt.connect(options.url, clientOptions);
  try {
    const result = await new Promise<LoginResult>((resolve, reject) => {
      const settle = (outcome: LoginResult | BrokerError) => {
        clearTimeout(timer);
        client.off('connect', onConnect);
        client.off('error', onError);
        client.off('close', onClose);
        options.signal?.removeEventListener('abort', onAbort);
        if (outcome instanceof BrokerError) reject(outcome);
        else resolve(outcome);
      };
      const cannot = (reason: string) => new BrokerError(`cannot connect to MQTT broker ${endpoint}: ${reason}`);
      const onConnect = () => settle({ kind: 'accepted', detail: 'CONNACK 0 (connection accepted)' });
      const onError = (error: Error) => {
        const raw = (error as { code?: unknown }).code;
        if (typeof raw === 'number') return settle({ kind: 'refused', returnCode: raw, detail: `CONNACK ${raw} (${RETURN_CODES[raw] ?? error.message})` });
        const code = typeof raw === 'string' ? raw : '';
        if (code === 'ECONNREFUSED') return settle(cannot('connection refused (is the broker running and the port right?)'));
        if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return settle(cannot(`host not found (${code})`));
        const tlsReason = options.url.startsWith('mqtts:') ? describeTlsError(error, { url: options.url, tls: tls && { ...tls } }) : undefined;
        if (/_ALERT_/.test(code) && tlsReason) return settle({ kind: 'tls-refused', detail: tlsReason });
        if (tlsReason && !/closed the connection during the handshake/.test(tlsReason)) return settle(cannot(tlsReason));
        settle({ kind: 'closed', detail: tlsReason ?? `the connection ended without a CONNACK (${error.message}${code ? `, ${code}` : ''})` });
      };
      const onClose = () => settle({ kind: 'closed', detail: 'the broker closed the connection without a CONNACK' });
      const onAbort = () => settle(cannot('aborted'));
      const timer = setTimeout(() => settle(cannot(`no CONNACK within ${options.connectTimeoutMs} ms (connectTimeoutMs)`)), options.connectTimeoutMs);
      client.once('connect', onConnect);
      client.on('error', onError);
      client.once('close', onClose);
      options.signal?.addEventListener('abort', onAbort, { once: true });
    });
    options.log?.record(
      'received',
      result.kind === 'accepted' || result.kind === 'refused' ? '(CONNACK)' : '(no CONNACK)',
      Buffer.from(JSON.stringify({ endpoint, clientId, result: result.kind, ...(result.kind === 'refused' && { returnCode: result.returnCode }), detail: result.detail })),
      0,
      false,
    );
    return result;
  } catch (error) {
    options.log?.record('received', '(no CONNACK)', Buffer.from(JSON.stringify({ endpoint, clientId, result: 'error', detail: (error as Error).message })), 0, false);
    throw error;
  } finally {
    // an accepted session is closed with a DISCONNECT; anything else is torn down
    await client.endAsync(!client.connected).catch(() => undefined);
  }
}

/** A login result in a few words, for messages. */
export function describeLogin(result: LoginResult): string {
  switch (result.kind) {
    case 'accepted':
      return 'the broker accepted the session (CONNACK 0)';
    case 'refused':
      return `the broker refused it with ${result.detail}`;
    case 'tls-refused':
      return `the broker refused the TLS handshake: ${result.detail.replace(/^TLS: /, '')}`;
    case 'closed':
      return `the broker closed the connection without a CONNACK: ${result.detail.replace(/^TLS: /, '')}`;
  }
}

function certificateSubject(pem: string): string {
  try {
    return new X509Certificate(pem).subject.replace(/\n/g, ', ');
  } catch {
    return '(a client certificate that does not parse)';
  }
}
