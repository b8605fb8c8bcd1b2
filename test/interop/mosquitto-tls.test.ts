/**
 * The security lane: the security group against a real Mosquitto (Debian package) with TLS, a password file and
 * no anonymous access, and against one that lets anonymous clients in. The PKI is made fresh for every run in
 * fixtures/pki/generated/mosquitto-tls/ (git-ignored).
 *
 * Mosquitto cannot offer password-only and certificate-only logins on one listener (use_identity_as_username
 * needs require_certificate true, which shuts out clients without a certificate), so each broker has two TLS
 * listeners: the target's url (require_certificate false, password file) and its mutualTlsUrl (require_certificate
 * true, the certificate's CN is the user name). The reference device logs in with the password; it trusts the
 * test CA through NODE_EXTRA_CA_CERTS, as the reference command has no CA option.
 */
import { execFile, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { generateTestPki, type TestPkiFiles } from '../../fixtures/pki/generate.js';
import { allFilesText, readReport, ROOT, runCli, tempDir } from '../support/cli.js';
import { MOSQUITTO, skipWithoutMosquitto, startReference, startUntil, stopChild } from '../support/mosquitto.js';
import { freePort } from '../support/net.js';

const MOSQUITTO_PASSWD = ['/usr/bin/mosquitto_passwd', '/usr/sbin/mosquitto_passwd', '/usr/local/bin/mosquitto_passwd'].find((p) => existsSync(p));
const PKI_DIR = join(ROOT, 'fixtures', 'pki', 'generated', 'mosquitto-tls');
const SEC = ['OI4-SEC-001', 'OI4-SEC-002', 'OI4-SEC-003', 'OI4-SEC-004'];
const USERNAME = 'oi4-lab';
// per run, and distinctive: the test proves it appears in no output
const PASSWORD = `mq-pw-${randomBytes(12).toString('hex')}`;

interface SecureMosquitto {
  readonly url: string;
  readonly mutualTlsUrl: string;
  readonly child: ChildProcess;
}

describe.skipIf(skipWithoutMosquitto('security lane'))('security lane: Mosquitto with TLS', () => {
  let pki: TestPkiFiles;
  let passwordFile: string;
  const children: ChildProcess[] = [];
  const saved = { ...process.env };

  beforeAll(async () => {
    expect(MOSQUITTO, 'CI must install mosquitto (.ci/run does)').toBeDefined();
    expect(MOSQUITTO_PASSWD, 'mosquitto_passwd comes with the mosquitto package').toBeDefined();
    rmSync(PKI_DIR, { recursive: true, force: true });
    pki = await generateTestPki(PKI_DIR);
    passwordFile = join(PKI_DIR, 'passwd');
    writeFileSync(passwordFile, '', { mode: 0o600 });
    await promisify(execFile)(MOSQUITTO_PASSWD!, ['-b', passwordFile, USERNAME, PASSWORD]);
    // the reference devices started below inherit these (the reference command reads them)
    Object.assign(process.env, { OI4_MQTT_USERNAME: USERNAME, OI4_MQTT_PASSWORD: PASSWORD, NODE_EXTRA_CA_CERTS: pki.caCert });
  });

  afterAll(async () => {
    await Promise.all(children.map((child) => stopChild(child)));
    for (const name of ['OI4_MQTT_USERNAME', 'OI4_MQTT_PASSWORD', 'NODE_EXTRA_CA_CERTS']) {
      if (saved[name] === undefined) delete process.env[name];
      else process.env[name] = saved[name];
    }
  });

  async function startSecureMosquitto(options: { allowAnonymous: boolean }): Promise<SecureMosquitto> {
    const dir = tempDir('mosquitto-tls');
    const [port, mutualPort] = [await freePort(), await freePort()];
    const tls = `cafile ${pki.caCert}\ncertfile ${pki.serverCert}\nkeyfile ${pki.serverKey}\n`;
    const config = join(dir, 'mosquitto.conf');
    writeFileSync(
      config,
      [
        // run as root (CI), Mosquitto would drop to its own user and could no longer read the owner-only key and password files
        ...(process.getuid?.() === 0 ? ['user root'] : []),
        'persistence false',
        'log_dest stderr',
        'log_type error',
        'log_type warning',
        'log_type notice',
        'log_type information',
        `allow_anonymous ${options.allowAnonymous}`,
        `password_file ${passwordFile}`,
        `listener ${port} 127.0.0.1`,
        `${tls}require_certificate false`,
        `listener ${mutualPort} 127.0.0.1`,
        `${tls}require_certificate true`,
        'use_identity_as_username true',
        '',
      ].join('\n'),
    );
    const { child } = await startUntil(MOSQUITTO!, ['-c', config], /mosquitto version [\d.]+ running/, 10_000);
    children.push(child);
    return { url: `mqtts://127.0.0.1:${port}`, mutualTlsUrl: `mqtts://127.0.0.1:${mutualPort}`, child };
  }

  async function runAgainst(broker: SecureMosquitto, name: string) {
    const device = await startReference('oi4-device', broker.url);
    children.push(device.child);
    const dir = tempDir(`security-${name}`);
    const file = join(PKI_DIR, `${name}.target.yaml`);
    // TLS paths relative to the target file, as a vendor would write them
    writeFileSync(
      file,
      `name: mosquitto-${name}
kind: oi4-mqtt
broker:
  url: ${broker.url}
  mutualTlsUrl: ${broker.mutualTlsUrl}
  username: \${OI4_LAB_USER}
  password: \${OI4_LAB_PASSWORD}
  tls:
    ca: ${relative(PKI_DIR, pki.caCert)}
    cert: ${relative(PKI_DIR, pki.clientCert)}
    key: ${relative(PKI_DIR, pki.clientKey)}
oi4:
  appId: ${device.appId}
  serviceType: ${device.serviceType}
claims: [security]
`,
    );
    const result = await runCli(['run', '--profile', 'oi4-oec-device', '--target', file, '--out', join(dir, 'out'), '--mode', 'quick'], {
      env: { OI4_LAB_USER: USERNAME, OI4_LAB_PASSWORD: PASSWORD },
    });
    expect(result.killed).toBe(false);
    expect(allFilesText(join(dir, 'out')) + result.stdout + result.stderr).not.toContain(PASSWORD);
    const report = readReport(join(dir, 'out'));
    const sec = Object.fromEntries(report.requirements.filter((r) => SEC.includes(r.id)).map((r) => [r.id, r.outcome]));
    return { result, report, sec };
  }

  test('a broker with TLS, a password file and a certificate listener: CONFORMANT, every SEC requirement PASS', async () => {
    const { result, report, sec } = await runAgainst(await startSecureMosquitto({ allowAnonymous: false }), 'secure');
    expect(result.code, result.stderr + result.stdout).toBe(0);
    expect(report.verdict).toBe('CONFORMANT');
    expect(sec).toEqual(Object.fromEntries(SEC.map((id) => [id, 'PASS'])));
  });

  test('a broker that lets anonymous clients in: OI4-SEC-002 FAIL, and nothing else', async () => {
    const { result, report, sec } = await runAgainst(await startSecureMosquitto({ allowAnonymous: true }), 'anonymous');
    expect(result.code, result.stderr + result.stdout).toBe(1);
    expect(report.verdict).toBe('NOT_CONFORMANT');
    expect(sec).toEqual({ 'OI4-SEC-001': 'PASS', 'OI4-SEC-002': 'FAIL', 'OI4-SEC-003': 'PASS', 'OI4-SEC-004': 'PASS' });
    expect(report.requirements.filter((r) => r.outcome === 'FAIL').map((r) => r.id)).toEqual(['OI4-SEC-002']);
    expect(report.requirements.find((r) => r.id === 'OI4-SEC-002')!.reason).toMatch(/accepted the session \(CONNACK 0\)/);
  });
});
