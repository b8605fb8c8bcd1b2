import type { ClientSession, OPCUAClient, UserIdentityInfo } from 'node-opcua-client';
import type { OpcUaLog } from '../../evidence/index.js';
import type { OpcUaAccess, OpcUaSecurityMode } from '../../model/index.js';
import { describeOpcUaError, OpcUaUnreachableError, withDeadline } from './errors.js';
import { loadClientLibrary } from './library.js';
import { clientCertificateFiles, HARNESS_APPLICATION_NAME, HARNESS_APPLICATION_URI, harnessCertificateManager } from './pki.js';
import { summariseBrowse, summariseDataValue, type ReferenceSummary, type ValueSummary } from './summary.js';

export interface OpcUaCallOptions {
  /** every service call lands here, summarised */
  readonly log: OpcUaLog;
  readonly connectTimeoutMs: number;
  readonly requestTimeoutMs: number;
  readonly signal?: AbortSignal;
}

export type UserIdentity =
  | { readonly kind: 'anonymous' }
  | { readonly kind: 'user'; readonly username: string; readonly password: string }
  | { readonly kind: 'certificate'; readonly cert: string; readonly key: string };

export interface SecuritySetting {
  readonly mode: OpcUaSecurityMode;
  /** short name: None, Basic256Sha256, ... */
  readonly policy: string;
}

export interface EndpointSummary {
  readonly endpointUrl: string;
  readonly securityMode: OpcUaSecurityMode | 'Invalid';
  /** short name after the URI's '#' */
  readonly securityPolicy: string;
  readonly securityPolicyUri: string;
  readonly securityLevel: number;
  readonly applicationUri: string;
  /** Anonymous, UserName, Certificate, IssuedToken */
  readonly userTokens: readonly string[];
  readonly serverCertificate: Uint8Array | undefined;
}

const POLICY_PREFIX = 'http://opcfoundation.org/UA/SecurityPolicy#';

export function policyName(uri: string): string {
  return uri.startsWith(POLICY_PREFIX) ? uri.slice(POLICY_PREFIX.length) : uri;
}

/** What an endpoint description looks like in evidence: no certificate bytes, only its size. */
function endpointForLog(e: EndpointSummary): object {
  return { ...e, serverCertificate: e.serverCertificate ? `${e.serverCertificate.byteLength} bytes` : null };
}

function userIdentityInfo(lib: Awaited<ReturnType<typeof loadClientLibrary>>, identity: UserIdentity): UserIdentityInfo {
  switch (identity.kind) {
    case 'anonymous':
      return { type: lib.UserTokenType.Anonymous };
    case 'user':
      return { type: lib.UserTokenType.UserName, userName: identity.username, password: identity.password };
    case 'certificate':
      return { type: lib.UserTokenType.Certificate, certificateData: lib.crypto_utils.convertPEMtoDER(identity.cert), privateKey: identity.key };
  }
}

/** The identity as evidence shows it: the kind and the user name, never a password or a key. */
function identityForLog(identity: UserIdentity): object {
  return identity.kind === 'user' ? { kind: 'user', username: identity.username } : { kind: identity.kind };
}

async function createClient(access: OpcUaAccess, security: SecuritySetting, options: OpcUaCallOptions): Promise<OPCUAClient> {
  const lib = await loadClientLibrary();
  return lib.OPCUAClient.create({
    applicationName: HARNESS_APPLICATION_NAME,
    applicationUri: HARNESS_APPLICATION_URI,
    clientName: 'oi4-conformance',
    endpointMustExist: false,
    securityMode: lib.MessageSecurityMode[security.mode],
    securityPolicy: security.policy === 'None' ? lib.SecurityPolicy.None : `${POLICY_PREFIX}${security.policy}`,
    // one attempt: a conformance run reports an unreachable server, it does not wait it out
    connectionStrategy: { maxRetry: 0, initialDelay: 50, maxDelay: 100 },
    transportTimeout: options.connectTimeoutMs,
    defaultTransactionTimeout: options.requestTimeoutMs,
    requestedSessionTimeout: 60_000,
    keepSessionAlive: false,
    clientCertificateManager: await harnessCertificateManager(),
    ...(access.clientCertificate && clientCertificateFiles(access.clientCertificate)),
  });
}

/** Tears a client down without waiting on a server that may never answer. */
function abandon(client: OPCUAClient): void {
  client.disconnect().catch(() => undefined);
}

async function logged<T>(
  options: OpcUaCallOptions,
  service: string,
  request: unknown,
  work: () => Promise<T>,
  result: (value: T) => unknown,
  onGiveUp: () => void,
): Promise<T> {
  const startedAt = Date.now();
  const started = performance.now();
  try {
    const value = await withDeadline(work(), service === 'Connect' ? options.connectTimeoutMs : options.requestTimeoutMs, service, options.signal, onGiveUp);
    options.log.record({ service, request, status: 'Good', result: result(value), durationMs: Math.round(performance.now() - started), startedAt });
    return value;
  } catch (error) {
    options.log.record({ service, request, status: describeOpcUaError(error), durationMs: Math.round(performance.now() - started), startedAt });
    throw error;
  }
}

async function connect(client: OPCUAClient, url: string, security: SecuritySetting, options: OpcUaCallOptions): Promise<void> {
  try {
    await logged(options, 'Connect', { endpointUrl: url, securityMode: security.mode, securityPolicy: security.policy }, () => client.connect(url), () => undefined, () => abandon(client));
  } catch (error) {
    abandon(client);
    throw new OpcUaUnreachableError(`OPC UA server ${url} (${security.mode}/${security.policy}): ${describeOpcUaError(error)}`);
  }
}

/** GetEndpoints on an unsecured channel, as any client does before it picks an endpoint. */
export async function getEndpoints(access: OpcUaAccess, options: OpcUaCallOptions): Promise<EndpointSummary[]> {
  const lib = await loadClientLibrary();
  const none: SecuritySetting = { mode: 'None', policy: 'None' };
  const client = await createClient(access, none, options);
  await connect(client, access.endpointUrl, none, options);
  try {
    const endpoints = await logged(
      options,
      'GetEndpoints',
      { endpointUrl: access.endpointUrl },
      async () =>
        (await client.getEndpoints()).map(
          (e): EndpointSummary => ({
            endpointUrl: e.endpointUrl ?? '',
            securityMode: (lib.MessageSecurityMode[e.securityMode] as OpcUaSecurityMode | 'Invalid' | undefined) ?? 'Invalid',
            securityPolicy: policyName(e.securityPolicyUri ?? ''),
            securityPolicyUri: e.securityPolicyUri ?? '',
            securityLevel: e.securityLevel,
            applicationUri: e.server?.applicationUri ?? '',
            userTokens: (e.userIdentityTokens ?? []).map((t) => lib.UserTokenType[t.tokenType] ?? String(t.tokenType)),
            serverCertificate: e.serverCertificate ? new Uint8Array(e.serverCertificate) : undefined,
          }),
        ),
      (list) => list.map(endpointForLog),
      () => abandon(client),
    );
    return endpoints;
  } catch (error) {
    throw new OpcUaUnreachableError(`OPC UA server ${access.endpointUrl}: GetEndpoints failed: ${describeOpcUaError(error)}`);
  } finally {
    await withDeadline(client.disconnect(), options.requestTimeoutMs, 'Disconnect', undefined, () => undefined).catch(() => undefined);
  }
}

/** The current policies OPC 10000-7 names for new servers (OPCUA-SEC-001). */
export const CURRENT_SECURE_POLICIES: readonly string[] = ['Basic256Sha256', 'Aes128_Sha256_RsaOaep', 'Aes256_Sha256_RsaPss'];

/**
 * The setting read-only checks connect with: the target's, or the most secure endpoint offered (current
 * policy first, then security level), or None when the server offers nothing else.
 */
export function chooseSecurity(access: OpcUaAccess, endpoints: readonly EndpointSummary[]): SecuritySetting {
  if (access.securityMode) return { mode: access.securityMode, policy: access.securityMode === 'None' ? 'None' : (access.securityPolicy ?? 'Basic256Sha256') };
  const secure = endpoints
    .filter((e) => e.securityMode === 'Sign' || e.securityMode === 'SignAndEncrypt')
    .sort((a, b) => Number(CURRENT_SECURE_POLICIES.includes(b.securityPolicy)) - Number(CURRENT_SECURE_POLICIES.includes(a.securityPolicy)) || b.securityLevel - a.securityLevel);
  const best = secure[0];
  return best ? { mode: best.securityMode as OpcUaSecurityMode, policy: best.securityPolicy } : { mode: 'None', policy: 'None' };
}

/** The user read-only checks log in as: the configured user, else the X.509 user, else anonymous. */
export function defaultIdentity(access: OpcUaAccess): UserIdentity {
  if (access.user) return { kind: 'user', ...access.user };
  if (access.userCertificate) return { kind: 'certificate', ...access.userCertificate };
  return { kind: 'anonymous' };
}

export type SessionAttempt =
  | { readonly opened: true }
  /** refused: the channel opened and the server said no to the session (its StatusCode) */
  | { readonly opened: false; readonly refused: true; readonly reason: string }
  /** the server was not reached, or the channel itself failed */
  | { readonly opened: false; readonly refused: false; readonly reason: string };

/**
 * Tries to open (and closes again) a session: the probe behind the security checks. A server that refuses
 * the user is an answer (refused: true); one that cannot be reached is not.
 */
export async function trySession(access: OpcUaAccess, security: SecuritySetting, identity: UserIdentity, options: OpcUaCallOptions): Promise<SessionAttempt> {
  let session: OpcUaSession;
  try {
    session = await OpcUaSession.open(access, security, identity, options);
  } catch (error) {
    if (error instanceof SessionRefusedError) return { opened: false, refused: true, reason: error.message };
    return { opened: false, refused: false, reason: error instanceof Error ? error.message : String(error) };
  }
  await session.close();
  return { opened: true };
}

/** The server answered CreateSession or ActivateSession with a Bad status. */
export class SessionRefusedError extends Error {
  override readonly name = 'SessionRefusedError';
  /** the refused user was anonymous: naming a user in the target file may help */
  readonly anonymous: boolean;
  constructor(message: string, anonymous = false) {
    super(message);
    this.anonymous = anonymous;
  }
}

/** A user as messages show it: by name, never by password or key. */
export function describeIdentity(identity: UserIdentity): string {
  return identity.kind === 'user' ? `user ${identity.username}` : identity.kind === 'certificate' ? 'an X.509 user certificate' : 'anonymous';
}

/**
 * A session as the target's reading user on the most secure endpoint offered (or the target's chosen one):
 * what the preflight and the reading checks use. A refusal throws SessionRefusedError naming the endpoint
 * setting and the user.
 */
export async function openReadSession(access: OpcUaAccess, options: OpcUaCallOptions): Promise<OpcUaSession> {
  const security = chooseSecurity(access, await getEndpoints(access, options));
  const identity = defaultIdentity(access);
  try {
    return await OpcUaSession.open(access, security, identity, options);
  } catch (error) {
    if (!(error instanceof SessionRefusedError)) throw error;
    throw new SessionRefusedError(`(${security.mode}/${security.policy}) as ${describeIdentity(identity)}: ${error.message}`, identity.kind === 'anonymous');
  }
}

export interface BrowseOptions {
  /** numeric id of a ns=0 reference type (HierarchicalReferences 33, HasProperty 46, HasSubtype 45, ...) */
  readonly referenceTypeId: number;
  readonly direction: 'forward' | 'inverse';
}

/** A session on one endpoint; every call has a deadline and lands in the evidence. */
export class OpcUaSession {
  readonly #client: OPCUAClient;
  readonly #session: ClientSession;
  readonly #options: OpcUaCallOptions;
  readonly security: SecuritySetting;

  private constructor(client: OPCUAClient, session: ClientSession, security: SecuritySetting, options: OpcUaCallOptions) {
    this.#client = client;
    this.#session = session;
    this.security = security;
    this.#options = options;
  }

  static async open(access: OpcUaAccess, security: SecuritySetting, identity: UserIdentity, options: OpcUaCallOptions): Promise<OpcUaSession> {
    const lib = await loadClientLibrary();
    const client = await createClient(access, security, options);
    await connect(client, access.endpointUrl, security, options);
    let session: ClientSession;
    try {
      session = await logged(
        options,
        'CreateSession/ActivateSession',
        { user: identityForLog(identity), securityMode: security.mode, securityPolicy: security.policy },
        () => client.createSession(userIdentityInfo(lib, identity)),
        () => undefined,
        () => abandon(client),
      );
    } catch (error) {
      abandon(client);
      const reason = describeOpcUaError(error);
      // node-opcua reports a refusal with the StatusCode's name in its message (BadUserAccessDenied, ...); an
      // endpoint that offers no policy for the user's token type is refused by the client before it asks
      const refusedByServer = /\bBad[A-Za-z]+/.test(reason) && !/BadTimeout|BadCommunicationError|BadConnectionClosed|BadSecureChannelClosed/.test(reason);
      if (refusedByServer || /^Cannot find .* user token policy/.test(reason)) throw new SessionRefusedError(reason);
      throw new OpcUaUnreachableError(`OPC UA server ${access.endpointUrl}: no session (${security.mode}/${security.policy}, ${identity.kind}): ${reason}`);
    }
    return new OpcUaSession(client, session, security, options);
  }

  /** Reads one attribute of each node (13 Value, 14 DataType, 3 BrowseName, ...). */
  async read(nodes: readonly { nodeId: string; attributeId: number }[]): Promise<ValueSummary[]> {
    const dataValues = await logged(
      this.#options,
      'Read',
      nodes,
      () => this.#session.read(nodes.map((n) => ({ nodeId: n.nodeId, attributeId: n.attributeId }))),
      (values) => values.map(summariseDataValue),
      () => abandon(this.#client),
    );
    return dataValues.map(summariseDataValue);
  }

  /** Browses one node's references of one type (and its subtypes). */
  async browse(nodeId: string, options: BrowseOptions): Promise<ReferenceSummary[]> {
    const lib = await loadClientLibrary();
    const request = {
      nodeId,
      referenceTypeId: `i=${options.referenceTypeId}`,
      includeSubtypes: true,
      browseDirection: options.direction === 'forward' ? lib.BrowseDirection.Forward : lib.BrowseDirection.Inverse,
      nodeClassMask: 0,
      resultMask: 63,
    };
    const result = await logged(
      this.#options,
      'Browse',
      { nodeId, referenceTypeId: request.referenceTypeId, direction: options.direction },
      () => this.#session.browse(request),
      (r) => ({ status: r.statusCode.name, references: summariseBrowse(r) }),
      () => abandon(this.#client),
    );
    if (result.statusCode.isNotGood()) throw new Error(`Browse ${nodeId}: ${result.statusCode.name}`);
    return summariseBrowse(result);
  }

  async close(): Promise<void> {
    const giveUp = () => abandon(this.#client);
    await logged(this.#options, 'CloseSession', {}, () => this.#session.close(), () => undefined, giveUp).catch(() => undefined);
    await withDeadline(this.#client.disconnect(), this.#options.requestTimeoutMs, 'Disconnect', undefined, giveUp).catch(() => undefined);
  }
}
