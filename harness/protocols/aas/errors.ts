import { redactUrl } from '../../evidence/index.js';

/**
 * What went wrong, for the check to choose its outcome: the transport failing is an ERROR of the run, a server
 * sending an endless body or a redirect loop may be a FAIL of the target.
 */
export type AasHttpErrorKind =
  | 'timeout'
  | 'aborted'
  | 'refused'
  | 'reset'
  | 'tls'
  | 'dns'
  | 'body-too-large'
  | 'redirect'
  | 'token'
  | 'config'
  | 'other';

/** An HTTP exchange did not complete. The message is one plain line naming the URL, without credentials. */
export class AasHttpError extends Error {
  override readonly name = 'AasHttpError';
  constructor(
    message: string,
    readonly kind: AasHttpErrorKind,
    /** the URL without credentials, when there was one */
    readonly url: string | undefined,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export interface HttpErrorContext {
  readonly method?: string;
  readonly url?: string | URL;
  /** the deadline that applied, to name it in the message */
  readonly timeoutMs?: number;
}

const TLS_UNTRUSTED = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_UNTRUSTED',
]);

/** The kind and the plain reason of an error from undici, node:net or node:tls. */
export function classifyHttpError(error: unknown, timeoutMs?: number): { kind: AasHttpErrorKind; reason: string } {
  if (error instanceof AasHttpError) return { kind: error.kind, reason: error.message };
  const within = timeoutMs === undefined ? '' : ` within ${timeoutMs} ms`;
  // undici sometimes wraps the socket's error and keeps it under `cause`: the first known code along the chain counts
  for (const e of causes(error)) {
    const code = (e as { code?: unknown }).code;
    switch (code) {
      case 'ECONNREFUSED':
        return { kind: 'refused', reason: 'connection refused (is the server running and the port right?)' };
      case 'ECONNRESET':
      case 'EPIPE':
        return { kind: 'reset', reason: 'the server reset the connection' };
      case 'ENOTFOUND':
      case 'EAI_AGAIN':
        return { kind: 'dns', reason: 'the host name does not resolve' };
      case 'ETIMEDOUT':
      case 'UND_ERR_CONNECT_TIMEOUT':
        return { kind: 'timeout', reason: `no connection${within}` };
      case 'UND_ERR_HEADERS_TIMEOUT':
        return { kind: 'timeout', reason: `no response headers${within}` };
      case 'UND_ERR_BODY_TIMEOUT':
        return { kind: 'timeout', reason: `the response body stalled: no data${within}` };
      case 'CERT_HAS_EXPIRED':
        return { kind: 'tls', reason: "the server's certificate has expired" };
      case 'CERT_NOT_YET_VALID':
        return { kind: 'tls', reason: "the server's certificate is not valid yet" };
      case 'ERR_TLS_CERT_ALTNAME_INVALID':
        return { kind: 'tls', reason: "the server's certificate does not name this host (hostname mismatch)" };
      case 'ERR_SSL_WRONG_VERSION_NUMBER':
        return { kind: 'tls', reason: 'the server did not answer TLS (is it plain http?)' };
      case 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH':
        return { kind: 'reset', reason: 'the response body ended before its Content-Length' };
      case 'HPE_INVALID_CONSTANT':
      case 'HPE_INVALID_STATUS':
        return { kind: 'other', reason: 'the answer was not HTTP (is it https, or another protocol?)' };
      case 'UND_ERR_SOCKET':
        return { kind: 'reset', reason: 'the server closed the connection before the response was complete' };
    }
    if (typeof code === 'string' && TLS_UNTRUSTED.has(code)) {
      return { kind: 'tls', reason: "the server's certificate is not trusted (self-signed, or issued by a CA not given in tls.ca)" };
    }
    if (typeof code === 'string' && code.startsWith('ERR_SSL_')) {
      return { kind: 'tls', reason: `the TLS handshake failed (${code})` };
    }
  }
  if (error instanceof Error && (error.name === 'AbortError' || (error as { code?: unknown }).code === 'UND_ERR_ABORTED')) {
    return { kind: 'aborted', reason: 'the request was aborted' };
  }
  const message = error instanceof Error ? error.message : String(error);
  const first = message.split('\n').map((l) => l.trim()).find((l) => l.length > 0) ?? 'unknown error';
  return { kind: 'other', reason: first.length > 300 ? `${first.slice(0, 300)}…` : first };
}

/** One plain line: `GET https://host/api/v3.0/shells: connection refused (...)`. */
export function describeHttpError(error: unknown, context: HttpErrorContext = {}): string {
  if (error instanceof AasHttpError) return error.message;
  return withPlace(classifyHttpError(error, context.timeoutMs).reason, context);
}

/** Prefixes a reason with the method and the URL, credentials removed. */
export function withPlace(reason: string, context: HttpErrorContext): string {
  const url = context.url === undefined ? undefined : redactUrl(String(context.url));
  const place = [context.method, url].filter((p) => p !== undefined).join(' ');
  return place ? `${place}: ${reason}` : reason;
}

function* causes(error: unknown): Generator<unknown> {
  let current: unknown = error;
  const seen = new Set<unknown>();
  while (current !== undefined && current !== null && !seen.has(current)) {
    seen.add(current);
    yield current;
    current = (current as { cause?: unknown }).cause;
  }
}
