/**
 * The broker deployment of an OI4 target (optional group "security", facts 8.1): TLS on the broker with a
 * certificate the target's CA vouches for, and a broker that lets in only clients with a password or a client
 * certificate. One check per requirement, each a fresh connection of its own: a refusal must not cost the next
 * check its session. Every attempt is evidence (the CONNECT without any password, and what came back).
 */
import { randomBytes } from 'node:crypto';
import { check, type CheckContext } from '../../../harness/engine/index.js';
import { redactUrl } from '../../../harness/evidence/index.js';
import { attemptLogin, describeLogin, type LoginCredentials } from '../../../harness/protocols/mqtt/login.js';
import { probeTls } from '../../../harness/protocols/mqtt/tls.js';

const GROUP = 'security';

/** A login to the target's broker with exactly these credentials (nothing of the target's added). */
function login(ctx: CheckContext, credentials: LoginCredentials, url = ctx.mqtt.broker.url) {
  const { tls, clientIdPrefix } = ctx.mqtt.broker;
  return attemptLogin({
    url,
    // the broker's side of TLS only: a client certificate goes with the credentials, when the check gives one
    tls: tls && {
      ...(tls.ca !== undefined && { ca: tls.ca }),
      ...(tls.caFile !== undefined && { caFile: tls.caFile }),
      rejectUnauthorized: tls.rejectUnauthorized,
      ...(tls.servername !== undefined && { servername: tls.servername }),
    },
    credentials,
    clientIdPrefix,
    purpose: ctx.checkId,
    connectTimeoutMs: ctx.parameter('connectTimeoutMs'),
    signal: ctx.signal,
    log: ctx.mqttLog,
  });
}

check(
  {
    id: 'oi4.security.tls',
    title: "Security: the broker is reached over TLS and its certificate chains to the target's CA and fits the host name",
    requirements: ['OI4-SEC-001'],
    group: GROUP,
  },
  async (ctx) => {
    const { url, tls } = ctx.mqtt.broker;
    const endpoint = redactUrl(url);
    if (!url.startsWith('mqtts://')) {
      ctx.fail('OI4-SEC-001', `expected the broker to be reached over TLS (mqtts://); the broker was reached over plain MQTT at ${endpoint}`);
      return;
    }
    const probe = await probeTls({ url, tls, timeoutMs: ctx.parameter('connectTimeoutMs'), signal: ctx.signal });
    ctx.mqttLog.record(
      'received',
      '(TLS handshake)',
      Buffer.from(JSON.stringify({ endpoint, verified: probe.ok, ...(!probe.ok && { reason: probe.reason }), trust: tls?.caFile ?? (tls?.ca ? "the target's CA" : 'system CAs'), peerCertificate: probe.peer })),
      0,
      false,
    );
    if (probe.ok) ctx.pass('OI4-SEC-001');
    else ctx.fail('OI4-SEC-001', `expected a certificate that chains to the target's CA and is valid for the broker's host name at ${endpoint}; ${probe.reason}`);
  },
);

check(
  {
    id: 'oi4.security.anonymous',
    title: 'Security: the broker refuses a client with neither username and password nor a client certificate',
    requirements: ['OI4-SEC-002'],
    group: GROUP,
  },
  async (ctx) => {
    const result = await login(ctx, {});
    if (result.kind === 'accepted') {
      ctx.fail('OI4-SEC-002', `expected the broker at ${redactUrl(ctx.mqtt.broker.url)} to refuse a client without username, password or client certificate; ${describeLogin(result)}`);
    } else {
      ctx.pass('OI4-SEC-002');
    }
  },
);

check(
  {
    id: 'oi4.security.wrong-password',
    title: "Security: the broker refuses the target's username with a wrong password",
    requirements: ['OI4-SEC-003'],
    group: GROUP,
  },
  async (ctx) => {
    const { username, password } = ctx.mqtt.broker;
    if (username === undefined) return ctx.notApplicable('the target file names no username');
    let wrong = randomBytes(12).toString('base64url');
    while (wrong === password) wrong = randomBytes(12).toString('base64url');
    // no client certificate: a broker that lets a certificate in whatever the password would otherwise pass
    const result = await login(ctx, { username, password: wrong, passwordShown: 'a random wrong password (not recorded)' });
    if (result.kind === 'accepted') {
      ctx.fail('OI4-SEC-003', `expected the broker at ${redactUrl(ctx.mqtt.broker.url)} to refuse the username "${username}" with a wrong password; ${describeLogin(result)}`);
    } else {
      ctx.pass('OI4-SEC-003');
    }
  },
);

check(
  {
    id: 'oi4.security.client-certificate',
    title: 'Security: the broker accepts a client that logs in with a client certificate alone (mutual TLS)',
    requirements: ['OI4-SEC-004'],
    group: GROUP,
  },
  async (ctx) => {
    const { url, mutualTlsUrl, tls } = ctx.mqtt.broker;
    const where = mutualTlsUrl ?? url;
    if (!where.startsWith('mqtts://')) {
      return ctx.notExecuted(`the broker is reached over plain MQTT (${redactUrl(where)}): a client certificate needs TLS (see OI4-SEC-001)`);
    }
    if (tls?.cert === undefined || tls.key === undefined) {
      return ctx.notExecuted('the target file names no client certificate: set broker.tls.cert and broker.tls.key for mutual TLS');
    }
    const result = await login(ctx, { cert: tls.cert, key: tls.key, ...(tls.passphrase !== undefined && { passphrase: tls.passphrase }) }, where);
    if (result.kind === 'accepted') {
      ctx.pass('OI4-SEC-004');
    } else {
      ctx.fail('OI4-SEC-004', `expected the broker at ${redactUrl(where)} to accept a client with the target's client certificate and no username or password; ${describeLogin(result)}`);
    }
  },
);
