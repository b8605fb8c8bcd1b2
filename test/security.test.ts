/**
 * The security group end to end through the CLI: the embedded secure target keeps its per-run secrets out of
 * every output, and a broker the harness cannot trust ends the run INCOMPLETE with the TLS reason in one line,
 * still writing a report.
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { generateTestPki, type TestPkiFiles } from '../fixtures/pki/generate.js';
import { EMBEDDED_PASSWORD_PATTERN, startEmbeddedBroker, type EmbeddedBroker } from '../harness/targets/index.js';
import { allFilesText, readReport, runCli, tempDir } from './support/cli.js';

const PROFILE = 'oi4-oec-device';
const SEC = ['OI4-SEC-001', 'OI4-SEC-002', 'OI4-SEC-003', 'OI4-SEC-004'];

describe('embedded target claiming security', () => {
  test('CONFORMANT with every SEC requirement PASS; the per-run password and the client key appear nowhere', async () => {
    const dir = tempDir('sec-embedded');
    const result = await runCli(['run', '--profile', PROFILE, '--target', 'embedded:oi4-device', '--claim', 'security', '--mode', 'quick', '--out', dir]);
    expect(result.code, result.stderr + result.stdout).toBe(0);
    const report = readReport(dir);
    expect(report.verdict).toBe('CONFORMANT');
    expect(report.profile.claimedGroups).toContain('security');
    expect(report.target.endpoint).toMatch(/^mqtts:\/\//);
    expect(report.requirements.filter((r) => SEC.includes(r.id)).map((r) => `${r.id} ${r.outcome}`)).toEqual(SEC.map((id) => `${id} PASS`));
    // every SEC check left evidence of its connection attempts
    for (const id of ['oi4.security.tls', 'oi4.security.anonymous', 'oi4.security.wrong-password', 'oi4.security.client-certificate']) {
      expect(existsSync(join(dir, 'evidence', `${id}.jsonl`)), id).toBe(true);
    }
    const everything = allFilesText(dir) + result.stdout + result.stderr;
    expect(everything).not.toMatch(EMBEDDED_PASSWORD_PATTERN);
    expect(everything).not.toContain('PRIVATE KEY');
    expect(readFileSync(join(dir, 'evidence', 'oi4.security.wrong-password.jsonl'), 'utf8')).toContain('a random wrong password (not recorded)');
  });
});

describe('a broker the harness cannot trust: INCOMPLETE with the TLS reason, and a report', () => {
  let pkiDir: string;
  let pki: TestPkiFiles;
  let misnamedPki: TestPkiFiles;
  let broker: EmbeddedBroker;
  let misnamed: EmbeddedBroker;
  const pem = (path: string) => readFileSync(path, 'utf8');

  beforeAll(async () => {
    pkiDir = tempDir('sec-pki');
    [pki, misnamedPki] = await Promise.all([generateTestPki(join(pkiDir, 'loopback')), generateTestPki(join(pkiDir, 'elsewhere'), { serverNames: ['DNS:broker.invalid'] })]);
    broker = await startEmbeddedBroker({ tls: { ca: pem(pki.caCert), cert: pem(pki.serverCert), key: pem(pki.serverKey) } });
    misnamed = await startEmbeddedBroker({ tls: { ca: pem(misnamedPki.caCert), cert: pem(misnamedPki.serverCert), key: pem(misnamedPki.serverKey) } });
  });
  afterAll(async () => {
    await Promise.all([broker?.close(), misnamed?.close()]);
    rmSync(pkiDir, { recursive: true, force: true });
  });

  function target(dir: string, url: string, ca: string): string {
    const file = join(dir, 'target.yaml');
    writeFileSync(file, `name: lab\nkind: oi4-mqtt\nbroker:\n  url: ${url}\n  tls:\n    ca: ${ca}\noi4:\n  appId: a.com/B/C/D\n  serviceType: OTConnector\nclaims: [security]\n`);
    return file;
  }

  async function expectIncomplete(url: string, ca: string, reason: RegExp): Promise<void> {
    const dir = tempDir('sec-untrusted');
    const result = await runCli(['run', '--profile', PROFILE, '--target', target(dir, url, ca), '--mode', 'quick', '--out', join(dir, 'out')], { timeoutMs: 60_000 });
    expect(result.killed).toBe(false);
    expect(result.code, result.stderr).toBe(3);
    const report = readReport(join(dir, 'out'));
    expect(report.verdict).toBe('INCOMPLETE');
    expect(report.errors).toHaveLength(1);
    expect(report.errors[0]).toMatch(reason);
    expect(report.errors[0]).not.toContain('\n');
    expect(result.stdout).toMatch(/run error: cannot connect to MQTT broker mqtts:\/\/127\.0\.0\.1:\d+: TLS: /);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  }

  test('a broker certificate from another CA', async () => {
    await expectIncomplete(broker.url, pki.otherCaCert, /^cannot connect to MQTT broker mqtts:\/\/127\.0\.0\.1:\d+: TLS: the broker's certificate is not trusted by the CA in .*other-ca\.pem \([A-Z_]+\)$/);
  });

  test('a broker certificate for another host name', async () => {
    await expectIncomplete(misnamed.url, misnamedPki.caCert, /TLS: the broker's certificate is not valid for the host name 127\.0\.0\.1: .*\(ERR_TLS_CERT_ALTNAME_INVALID\)$/);
  });
});
