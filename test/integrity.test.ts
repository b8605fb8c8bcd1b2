import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { generateKeyPairSync } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, type CliResult } from './support/cli.js';

/**
 * Integrity of a report bundle through the CLI: keygen, run --sign, verify. Every kind of tampering (a file
 * changed, added or removed, the manifest or the signature edited, another key) must make verify fail and name
 * what it found.
 */

const work = mkdtempSync(join(tmpdir(), 'oi4c-integrity-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const cli = (args: readonly string[], env?: NodeJS.ProcessEnv): Promise<CliResult> => runCli(args, { cwd: work, timeoutMs: 90_000, ...(env && { env }) });

function filesBelow(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name));
}

describe('signed bundles: keygen, run --sign, verify', () => {
  let signed: string;
  let run: CliResult;
  /** a fresh copy of the signed bundle, to tamper with */
  const copy = (name: string): string => {
    const dir = join(work, name);
    cpSync(signed, dir, { recursive: true });
    return dir;
  };

  beforeAll(async () => {
    const keys = await cli(['keygen', '--out', 'lab']);
    expect(keys.code, keys.stderr).toBe(0);
    await cli(['keygen', '--out', 'other']);
    signed = join(work, 'signed');
    run = await cli(['run', '--profile', 'oi4-oec-application', '--target', 'embedded:oi4-app', '--mode', 'quick', '--out', signed, '--sign', 'lab.key.pem']);
  }, 120_000);

  it('keygen writes an owner-only private key and a public key, prints the fingerprint, and never overwrites', async () => {
    expect(statSync(join(work, 'lab.key.pem')).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(work, 'lab.key.pem'), 'utf8')).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    expect(readFileSync(join(work, 'lab.pub.pem'), 'utf8')).toMatch(/^-----BEGIN PUBLIC KEY-----/);
    const again = await cli(['keygen', '--out', 'lab']);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/lab\.key\.pem exists; keygen does not overwrite keys/);
  });

  it('run --sign writes the signature and the signer key, and no byte of the private key lands anywhere', () => {
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr + run.stdout).toMatch(/\(signed, key sha256 [0-9a-f]{16}…\)/);
    const names = readdirSync(signed);
    expect(names).toEqual(expect.arrayContaining(['manifest.sha256', 'manifest.sha256.sig', 'signer.pub.pem', 'report.json', 'report.html', 'junit.xml']));
    expect(readFileSync(join(signed, 'manifest.sha256'), 'utf8')).toMatch(/ {2}signer\.pub\.pem$/m);
    const secret = readFileSync(join(work, 'lab.key.pem'), 'utf8').split('\n')[1]!;
    for (const file of filesBelow(signed)) expect(readFileSync(file, 'utf8')).not.toContain(secret);
    expect(run.stdout + run.stderr).not.toContain(secret);
  });

  it('verify passes an untouched bundle, with the lab key and with the key inside the bundle', async () => {
    const withKey = await cli(['verify', signed, '--pubkey', 'lab.pub.pem']);
    expect(withKey.code, withKey.stdout).toBe(0);
    expect(withKey.stdout).toMatch(/signature: valid, made .* with the key given/);
    expect(withKey.stdout).toMatch(/bundle intact\n$/);
    const bundleKey = await cli(['verify', signed]);
    expect(bundleKey.code).toBe(0);
    expect(bundleKey.stdout).toMatch(/with the key inside the bundle .*pass --pubkey to check who signed/);
  });

  it('names a changed, an added and a missing file, each, and fails', async () => {
    const dir = copy('tampered');
    writeFileSync(join(dir, 'report.json'), readFileSync(join(dir, 'report.json'), 'utf8').replace('"CONFORMANT"', '"CONFORMANT" '));
    writeFileSync(join(dir, 'evidence', 'extra.jsonl'), '{}\n');
    const evidence = readdirSync(join(dir, 'evidence')).find((f) => f !== 'extra.jsonl')!;
    unlinkSync(join(dir, 'evidence', evidence));
    const result = await cli(['verify', dir, '--pubkey', 'lab.pub.pem']);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^ {2}changed: report\.json$/m);
    expect(result.stdout).toMatch(/^ {2}added: {3}evidence\/extra\.jsonl$/m);
    expect(result.stdout).toMatch(new RegExp(`^  missing: evidence/${evidence.replace(/\./g, '\\.')}$`, 'm'));
    expect(result.stdout).toMatch(/bundle NOT intact: 3 file\(s\) differ from the manifest/);
    const json = JSON.parse((await cli(['verify', dir, '--json'])).stdout) as { ok: boolean; changed: string[]; added: string[]; missing: string[] };
    expect(json).toMatchObject({ ok: false, changed: ['report.json'], added: ['evidence/extra.jsonl'], missing: [`evidence/${evidence}`] });
  });

  it('fails when the manifest is edited to match a changed file: the signature no longer holds', async () => {
    const dir = copy('reforged');
    writeFileSync(join(dir, 'junit.xml'), '<testsuites/>\n');
    const { createHash } = await import('node:crypto');
    const hash = createHash('sha256').update('<testsuites/>\n').digest('hex');
    const manifest = readFileSync(join(dir, 'manifest.sha256'), 'utf8').replace(/^[0-9a-f]{64}( {2}junit\.xml)$/m, `${hash}$1`);
    writeFileSync(join(dir, 'manifest.sha256'), manifest);
    const result = await cli(['verify', dir]);
    expect(result.code).toBe(1);
    expect(result.stdout).not.toMatch(/changed:/);
    expect(result.stdout).toMatch(/signature: INVALID for the manifest/);
  });

  it('fails against another key, on a removed or garbled signature when a key is given, and on a manifest line pointing outside', async () => {
    expect((await cli(['verify', signed, '--pubkey', 'other.pub.pem'])).stdout).toMatch(/signature: INVALID/);

    const unsigned = copy('unsigned');
    unlinkSync(join(unsigned, 'manifest.sha256.sig'));
    const missing = await cli(['verify', unsigned, '--pubkey', 'lab.pub.pem']);
    expect(missing.code).toBe(1);
    expect(missing.stdout).toMatch(/signature: missing, but --pubkey asks for one/);
    // without a key an unsigned bundle is checked for integrity only
    expect((await cli(['verify', unsigned])).code).toBe(0);

    const garbled = copy('garbled');
    writeFileSync(join(garbled, 'manifest.sha256.sig'), 'not json');
    expect((await cli(['verify', garbled])).stdout).toMatch(/signature: unreadable: manifest\.sha256\.sig is not JSON/);

    const escaping = copy('escaping');
    writeFileSync(join(escaping, 'manifest.sha256'), `${'0'.repeat(64)}  ../../etc/passwd\n`, { flag: 'a' });
    const outside = await cli(['verify', escaping]);
    expect(outside.code).toBe(1);
    expect(outside.stdout).toMatch(/manifest line not understood: 0{64} {2}\.\.\/\.\.\/etc\/passwd/);
  });

  it('refuses keys it cannot use with one line, exit 2, before a run starts', async () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    writeFileSync(join(work, 'rsa.pem'), rsa);
    const wrongType = await cli(['run', '--profile', 'oi4-oec-application', '--target', 'embedded:oi4-app', '--sign', 'rsa.pem']);
    expect(wrongType.code).toBe(2);
    expect(wrongType.stderr).toMatch(/^oi4-conformance: rsa\.pem: a rsa key; signing needs an Ed25519 key/);
    expect(wrongType.stderr).not.toMatch(/starting/);
    const notAKey = await cli(['run', '--profile', 'oi4-oec-application', '--target', 'embedded:oi4-app', '--sign', 'lab.pub.pem']);
    expect(notAKey.stderr).toMatch(/lab\.pub\.pem: not a PEM private key/);
    expect((await cli(['verify', work])).stderr).toMatch(/no manifest\.sha256; not a report bundle/);
  });

  it('an encrypted key opens with the passphrase from the environment, and not without it', async () => {
    const env = { OI4_SIGN_KEY_PASSPHRASE: 'correct horse battery staple' };
    expect((await cli(['keygen', '--out', 'sealed'], env)).code).toBe(0);
    expect(readFileSync(join(work, 'sealed.key.pem'), 'utf8')).toMatch(/ENCRYPTED PRIVATE KEY/);
    const without = await cli(['run', '--profile', 'oi4-oec-application', '--target', 'embedded:oi4-app', '--sign', 'sealed.key.pem'], { OI4_SIGN_KEY_PASSPHRASE: '' });
    expect(without.code).toBe(2);
    expect(without.stderr).toMatch(/sealed\.key\.pem: the key is encrypted and OI4_SIGN_KEY_PASSPHRASE does not open it/);
    expect(without.stderr).not.toContain('correct horse');
  });
});
