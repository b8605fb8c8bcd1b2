/**
 * OPC UA targets end to end through the CLI, beyond the self-test matrix: a target file (as a vendor writes
 * one, the password from the environment) against a running OPC UA device; secrets kept out of every output;
 * the user's home never written; the identity the report records; a consistency target without its server.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { opcuaDevice } from '../fixtures/devices/opcua-device/index.js';
import type { RunningOpcUaDevice } from '../harness/model/index.js';
import { allFilesText, readReport, runCli, tempDir } from './support/cli.js';

const PASSWORD_PATTERN = /oi4c-pw-[0-9a-f]{32}/;

describe('a target file against a running OPC UA device', () => {
  let device: RunningOpcUaDevice;
  let deviceDir: string;
  let targetDir: string;

  beforeAll(async () => {
    deviceDir = tempDir('opcua-file-device');
    device = await opcuaDevice.start({ faults: [], workDir: deviceDir });
    targetDir = tempDir('opcua-file-target');
    writeFileSync(join(targetDir, 'user.pem'), device.access.userCertificate!.cert);
    writeFileSync(join(targetDir, 'user.key'), device.access.userCertificate!.key);
    writeFileSync(
      join(targetDir, 'device.yaml'),
      [
        'name: lab-plc',
        'kind: opcua',
        'opcua:',
        `  endpointUrl: ${device.access.endpointUrl}`,
        '  user:',
        `    username: ${device.access.user!.username}`,
        '    password: ${LAB_UA_PASSWORD}',
        '  userCertificate:',
        '    cert: user.pem',
        '    key: user.key',
        'claims: [no-anonymous, user-password, user-certificate]',
        '',
      ].join('\n'),
    );
  });
  afterAll(async () => {
    await device?.stop();
    rmSync(deviceDir, { recursive: true, force: true });
  });

  test('opcua-security: CONFORMANT with every claimed group; neither the password nor a private key appears anywhere', async () => {
    const dir = tempDir('opcua-file-security');
    const result = await runCli(['run', '--profile', 'opcua-security', '--target', join(targetDir, 'device.yaml'), '--out', dir], {
      env: { LAB_UA_PASSWORD: device.access.user!.password },
    });
    expect(result.code, result.stdout + result.stderr).toBe(0);
    const report = readReport(dir);
    expect(report.verdict).toBe('CONFORMANT');
    expect(report.profile.claimedGroups).toEqual(['no-anonymous', 'user-password', 'user-certificate']);
    expect(report.requirements.filter((r) => r.outcome !== 'PASS').map((r) => r.id)).toEqual([]);
    const everything = allFilesText(dir) + result.stdout + result.stderr;
    expect(everything).not.toContain(device.access.user!.password);
    expect(everything).not.toMatch(PASSWORD_PATTERN);
    expect(everything).not.toContain('PRIVATE KEY');
    // the sessions the checks opened are in the evidence, named by user, never by password
    expect(readFileSync(join(dir, 'evidence', 'opcua.security.user-password.opcua.jsonl'), 'utf8')).toContain(`"username":"${device.access.user!.username}"`);
  });

  test('opcua-device-nameplate: the report records BuildInfo and the DI nameplate as read from the device', async () => {
    const dir = tempDir('opcua-file-nameplate');
    const result = await runCli(['run', '--profile', 'opcua-device-nameplate', '--target', join(targetDir, 'device.yaml'), '--out', dir], {
      env: { LAB_UA_PASSWORD: device.access.user!.password },
    });
    expect(result.code, result.stdout + result.stderr).toBe(0);
    const { target } = readReport(dir);
    expect(target.kind).toBe('opcua');
    expect(target.endpoint).toBe(device.access.endpointUrl);
    expect(target.identity?.source).toBe(`OPC UA BuildInfo of ${device.access.endpointUrl}`);
    expect(target.identity?.fields).toMatchObject({ ManufacturerName: 'OI4 Conformance Reference', ProductName: 'Reference OPC UA Device' });
    const nameplate = target.identities?.find((i) => i.source.startsWith('OPC UA DI nameplate'));
    expect(nameplate?.fields).toMatchObject({ SerialNumber: 'UA0001', ProductCode: 'REF-UA-1', Model: 'Reference OPC UA Device', RevisionCounter: '1' });
  });

  test('without a user, against a server that refuses anonymous sessions: INCOMPLETE, saying to name a user', async () => {
    const file = join(targetDir, 'anonymous.yaml');
    writeFileSync(file, `name: lab-plc-anonymous\nkind: opcua\nopcua:\n  endpointUrl: ${device.access.endpointUrl}\n`);
    const dir = tempDir('opcua-file-anonymous');
    const result = await runCli(['run', '--profile', 'opcua-device-nameplate', '--target', file, '--out', dir]);
    expect(result.code, result.stdout + result.stderr).toBe(3);
    const report = readReport(dir);
    expect(report.notes.join('\n')).toMatch(/the server refused a session .* anonymous/);
    expect(new Set(report.requirements.map((r) => r.outcome))).toEqual(new Set(['NOT_EXECUTED']));
    expect(report.requirements[0]!.reason).toMatch(/name a user it knows in the target file \(opcua\.user\)/);
  });

  test('without the password in the environment: exit 2 with one line naming the field and the variable', async () => {
    const result = await runCli(['run', '--profile', 'opcua-security', '--target', join(targetDir, 'device.yaml'), '--out', tempDir('opcua-file-nopw')], { env: { LAB_UA_PASSWORD: '' } });
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/opcua\.user\.password refers to environment variable LAB_UA_PASSWORD, which is not set/);
  });
});

test('an embedded OPC UA run writes nothing below the home folder: the PKIs live in temporary folders', async () => {
  const home = mkdtempSync(join(tmpdir(), 'oi4c-home-'));
  mkdirSync(join(home, '.config'));
  try {
    const dir = tempDir('opcua-home');
    const result = await runCli(['run', '--profile', 'opcua-security', '--target', 'embedded:opcua-device', '--out', dir], { env: { HOME: home, XDG_CONFIG_HOME: join(home, '.config') } });
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(readdirSync(home, { recursive: true })).toEqual(['.config']);
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
});

test('a consistency target whose file names no OPC UA server: NOT_EXECUTED with the reason, INCOMPLETE', async () => {
  const dir = tempDir('opcua-no-server');
  // the OI4 side is a real device; only the opcua section is missing from what the run is told
  const result = await runCli(['run', '--profile', 'oi4-opcua-consistency', '--target', 'embedded:oi4-device', '--out', dir]);
  expect(result.code).toBe(3);
  const report = readReport(dir);
  expect(report.verdict).toBe('INCOMPLETE');
  expect(report.requirements.map((r) => `${r.id} ${r.outcome}`)).toEqual(['OI4-UA-001 NOT_EXECUTED', 'OI4-UA-002 NOT_EXECUTED']);
  expect(report.requirements[0]!.reason).toMatch(/the target names no OPC UA server: add an opcua section with endpointUrl/);
});
