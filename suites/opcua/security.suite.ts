/**
 * How the server protects itself (OPC 10000-2, -4, -6, -7): secure endpoints, a sound application instance
 * certificate, and the user authentication the target claims. The harness accepts any server certificate
 * so it can reach a server whose certificate is wrong and say exactly what is wrong with it.
 */
import { randomBytes } from 'node:crypto';
import { check } from '../../harness/engine/check.js';
import type { CheckContext } from '../../harness/engine/check-context.js';
import {
  certificateFacts,
  chooseSecurity,
  CURRENT_SECURE_POLICIES,
  defaultIdentity,
  describeIdentity,
  makeSelfSignedCertificate,
  trySession,
  type CertificateFacts,
  type EndpointSummary,
  type SecuritySetting,
  type SessionAttempt,
  type UserIdentity,
} from '../../harness/protocols/opcua/index.js';
import { callOptions, endpointsOf, opcuaOf } from './lib/access.js';

const DEPRECATED_POLICIES = ['Basic128Rsa15', 'Basic256'];
const MIN_RSA_BITS = 2048;

const describeEndpoint = (e: Pick<EndpointSummary, 'securityMode' | 'securityPolicy'>) => `${e.securityMode}/${e.securityPolicy}`;

/**
 * A refusal of the channel that says the server does not trust the harness's client certificate: the
 * server is right to refuse an unknown client, so the operator must trust it first.
 */
const UNTRUSTED_CLIENT = /BadCertificateUntrusted|BadSecurityChecksFailed|BadCertificateInvalid/;

check(
  {
    id: 'opcua.security.endpoints',
    title: 'The server offers a current secure policy in mode Sign or SignAndEncrypt, a session opens on it, and no deprecated policy is offered',
    requirements: ['OPCUA-SEC-001', 'OPCUA-SEC-002'],
  },
  async (ctx: CheckContext) => {
    const endpoints = await endpointsOf(ctx);
    const offered = [...new Set(endpoints.map(describeEndpoint))].join(', ') || 'nothing';
    const deprecated = endpoints.filter((e) => DEPRECATED_POLICIES.includes(e.securityPolicy));
    if (deprecated.length) ctx.fail('OPCUA-SEC-002', `the server offers deprecated ${[...new Set(deprecated.map(describeEndpoint))].join(', ')} (offered: ${offered})`);
    else ctx.pass('OPCUA-SEC-002');

    const secure = endpoints.filter((e) => (e.securityMode === 'Sign' || e.securityMode === 'SignAndEncrypt') && CURRENT_SECURE_POLICIES.includes(e.securityPolicy));
    if (secure.length === 0) {
      ctx.fail('OPCUA-SEC-001', `no endpoint with ${CURRENT_SECURE_POLICIES.join(', ')} in mode Sign or SignAndEncrypt; offered: ${offered}`);
      return;
    }
    const access = opcuaOf(ctx);
    const setting = chooseSecurity({ endpointUrl: access.endpointUrl }, secure);
    const identity = defaultIdentity(access);
    const attempt = await trySession(access, setting, identity, callOptions(ctx));
    if (attempt.opened) ctx.pass('OPCUA-SEC-001');
    else if (attempt.refused && identity.kind === 'anonymous') {
      ctx.notExecuted(`the session on ${describeEndpoint({ securityMode: setting.mode, securityPolicy: setting.policy })} was refused for an anonymous user (${attempt.reason}); name a user in the target file (opcua.user)`, ['OPCUA-SEC-001']);
    } else if (UNTRUSTED_CLIENT.test(attempt.reason)) {
      ctx.notExecuted(`the server refused the harness's client certificate on ${describeEndpoint({ securityMode: setting.mode, securityPolicy: setting.policy })} (${attempt.reason}); trust it on the server (its thumbprint is in the report's notes) and run again`, ['OPCUA-SEC-001']);
    } else {
      ctx.fail('OPCUA-SEC-001', `the server offers ${describeEndpoint({ securityMode: setting.mode, securityPolicy: setting.policy })}, but no session opened on it as ${describeIdentity(identity)}: ${attempt.reason}`);
    }
  },
);

check(
  {
    id: 'opcua.security.certificate',
    title: 'The server certificate is valid now, names the ApplicationUri and the endpoint host in its subjectAltName, and has an RSA key of at least 2048 bits',
    requirements: ['OPCUA-SEC-003', 'OPCUA-SEC-004', 'OPCUA-SEC-005', 'OPCUA-SEC-006'],
  },
  async (ctx: CheckContext) => {
    const endpoints = await endpointsOf(ctx);
    const host = new URL(opcuaOf(ctx).endpointUrl.replace(/^opc\.tcp:/, 'http:')).hostname.replace(/^\[|\]$/g, '').toLowerCase();
    const seen = new Map<string, { facts: CertificateFacts; applicationUris: Set<string> }>();
    const unreadable: string[] = [];
    for (const endpoint of endpoints) {
      if (!endpoint.serverCertificate?.byteLength) continue;
      try {
        const facts = certificateFacts(endpoint.serverCertificate);
        const entry = seen.get(facts.thumbprint) ?? { facts, applicationUris: new Set<string>() };
        entry.applicationUris.add(endpoint.applicationUri);
        seen.set(facts.thumbprint, entry);
      } catch (error) {
        unreadable.push(`${describeEndpoint(endpoint)}: ${(error as Error).message}`);
      }
    }
    if (unreadable.length) {
      for (const id of ['OPCUA-SEC-003', 'OPCUA-SEC-004', 'OPCUA-SEC-005']) ctx.fail(id, `the server certificate of ${unreadable.join('; ')} is not a readable X.509 certificate`);
      return;
    }
    if (seen.size === 0) ctx.notApplicable('the server sends no certificate with its endpoints (it offers no secure endpoint; OPCUA-SEC-001 judges that)');
    const now = Date.now();
    const problems = { validity: [] as string[], uri: [] as string[], key: [] as string[], host: [] as string[] };
    let rsa = 0;
    for (const { facts, applicationUris } of seen.values()) {
      // what is wrong first (a terminal cuts long lines), then which certificate
      const which = `(server certificate ${facts.thumbprint}, ${facts.subject})`;
      if (now < facts.notBefore.getTime() || now > facts.notAfter.getTime()) {
        problems.validity.push(`valid from ${facts.notBefore.toISOString()} to ${facts.notAfter.toISOString()}, but it is now ${new Date(now).toISOString()} ${which}`);
      }
      for (const uri of applicationUris) {
        if (!facts.uris.includes(uri)) problems.uri.push(`subjectAltName URI ${facts.uris.length ? facts.uris.join(', ') : '(none)'}, but the endpoints' ApplicationUri is ${uri || '(empty)'} ${which}`);
      }
      if (facts.keyType === 'rsa') {
        rsa++;
        if ((facts.keyBits ?? 0) < MIN_RSA_BITS) problems.key.push(`a ${facts.keyBits ?? '?'}-bit RSA key; expected at least ${MIN_RSA_BITS} ${which}`);
      }
      const names = [...facts.dnsNames.map((d) => d.toLowerCase()), ...facts.ipAddresses.map((a) => a.toLowerCase())];
      if (!names.includes(host)) problems.host.push(`subjectAltName names ${names.length ? names.join(', ') : 'no DNS name or IP address'}, not the endpoint's host ${host} ${which}`);
    }
    ctx.verify('OPCUA-SEC-003', problems.validity);
    ctx.verify('OPCUA-SEC-004', problems.uri);
    if (rsa === 0) ctx.notApplicableTo('OPCUA-SEC-005', 'the server certificate has no RSA key');
    else ctx.verify('OPCUA-SEC-005', problems.key);
    ctx.verify('OPCUA-SEC-006', problems.host);
  },
);

/**
 * The setting a user probe uses: the most secure endpoint that offers the token type (None when that is all
 * there is); any endpoint when none offers it, so the refusal comes from the server's answer.
 */
async function probeSetting(ctx: CheckContext, tokenType: 'UserName' | 'Certificate'): Promise<SecuritySetting> {
  const endpoints = await endpointsOf(ctx);
  const offering = endpoints.filter((e) => e.userTokens.includes(tokenType));
  return chooseSecurity(opcuaOf(ctx), offering.length ? offering : endpoints);
}

/** A session attempt that must be answered: a server that cannot be reached ends the check with ERROR. */
async function attempt(ctx: CheckContext, setting: SecuritySetting, identity: UserIdentity): Promise<SessionAttempt & { readonly opened: boolean }> {
  const result = await trySession(opcuaOf(ctx), setting, identity, callOptions(ctx));
  if (!result.opened && !result.refused) throw new Error(`the session attempt as ${describeIdentity(identity)} did not reach the server: ${result.reason}`);
  return result;
}

check(
  {
    id: 'opcua.security.anonymous',
    title: 'An anonymous session is refused',
    requirements: ['OPCUA-SEC-007'],
  },
  async (ctx: CheckContext) => {
    const endpoints = await endpointsOf(ctx);
    // a client sends only the token types an endpoint offers: an endpoint without an Anonymous policy refuses it up front
    const offering = endpoints.filter((e) => e.userTokens.includes('Anonymous'));
    if (offering.length === 0) {
      ctx.pass('OPCUA-SEC-007');
      return;
    }
    const setting = chooseSecurity(opcuaOf(ctx), offering);
    const result = await attempt(ctx, setting, { kind: 'anonymous' });
    if (result.opened) ctx.fail('OPCUA-SEC-007', `an anonymous session opened on ${setting.mode}/${setting.policy} (offered as a user token on ${offering.map(describeEndpoint).join(', ')}); expected the server to refuse it`);
    else ctx.pass('OPCUA-SEC-007');
  },
);

check(
  {
    id: 'opcua.security.user-password',
    title: 'The configured user logs in with its password, and not with a wrong one',
    requirements: ['OPCUA-SEC-008'],
  },
  async (ctx: CheckContext) => {
    const user = opcuaOf(ctx).user;
    if (!user) ctx.notExecuted('the target file names no user (opcua.user) to log in with');
    const setting = await probeSetting(ctx, 'UserName');
    const right = await attempt(ctx, setting, { kind: 'user', ...user });
    const wrong = await attempt(ctx, setting, { kind: 'user', username: user.username, password: `wrong-${randomBytes(8).toString('hex')}` });
    const problems: string[] = [];
    if (!right.opened) problems.push(`user ${user.username} with the configured password was refused on ${setting.mode}/${setting.policy}: ${right.opened ? '' : right.reason}`);
    if (wrong.opened) problems.push(`user ${user.username} with a wrong password got a session on ${setting.mode}/${setting.policy}; expected a refusal`);
    ctx.verify('OPCUA-SEC-008', problems);
  },
);

check(
  {
    id: 'opcua.security.user-certificate',
    title: 'The configured X.509 user certificate logs in, and a certificate the server does not know does not',
    requirements: ['OPCUA-SEC-009'],
  },
  async (ctx: CheckContext) => {
    const known = opcuaOf(ctx).userCertificate;
    if (!known) ctx.notExecuted('the target file names no user certificate (opcua.userCertificate) to log in with');
    const setting = await probeSetting(ctx, 'Certificate');
    const stranger = await makeSelfSignedCertificate('user', 'oi4-conformance unknown user');
    const right = await attempt(ctx, setting, { kind: 'certificate', ...known });
    const wrong = await attempt(ctx, setting, { kind: 'certificate', ...stranger });
    const problems: string[] = [];
    if (!right.opened) problems.push(`the configured user certificate was refused on ${setting.mode}/${setting.policy}: ${right.opened ? '' : right.reason}`);
    if (wrong.opened) problems.push(`a self-signed user certificate the server cannot know got a session on ${setting.mode}/${setting.policy}; expected a refusal`);
    ctx.verify('OPCUA-SEC-009', problems);
  },
);
