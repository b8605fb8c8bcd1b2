import { existsSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ConfigError, EXIT_CODES } from '../model/index.js';
import { generateSigningKeyPair, loadVerifyingKey, MANIFEST, PASSPHRASE_ENV, verifyBundle, type BundleCheck } from '../report/index.js';

function signatureLine(check: BundleCheck, keyGiven: boolean): { line: string; ok: boolean } {
  const s = check.signature;
  switch (s.status) {
    case 'absent':
      return keyGiven ? { line: 'signature: missing, but --pubkey asks for one', ok: false } : { line: 'signature: none (the bundle is not signed)', ok: true };
    case 'malformed':
      return { line: `signature: unreadable: ${s.problem}`, ok: false };
    case 'invalid':
      return { line: `signature: INVALID for the manifest (key sha256 ${s.keySha256})`, ok: false };
    case 'valid':
      return {
        line:
          s.keySource === 'given'
            ? `signature: valid, made ${s.signedAt} with the key given (sha256 ${s.keySha256})`
            : `signature: valid, with the key inside the bundle (sha256 ${s.keySha256}); pass --pubkey to check who signed`,
        ok: true,
      };
  }
}

/** `oi4-conformance verify <dir>`: exit 0 when every file matches the manifest and the signature holds, 1 otherwise. */
export function verifyCommand(options: { dir: string; pubkey?: string; json?: boolean }): number {
  const dir = resolve(options.dir);
  if (!existsSync(join(dir, MANIFEST))) throw new ConfigError(`${options.dir}: no ${MANIFEST}; not a report bundle`);
  const key = options.pubkey !== undefined ? loadVerifyingKey(resolve(options.pubkey)) : undefined;
  const check = verifyBundle(dir, key);
  const signature = signatureLine(check, key !== undefined);
  const intact = check.changed.length + check.missing.length + check.added.length + check.malformed.length === 0;
  const ok = intact && signature.ok;
  if (options.json) {
    process.stdout.write(JSON.stringify({ dir: options.dir, ok, ...check }, null, 2) + '\n');
    return ok ? 0 : 1;
  }
  const lines = [`verify ${options.dir}: the manifest lists ${check.listed} file(s)`];
  for (const path of check.changed) lines.push(`  changed: ${path}`);
  for (const path of check.missing) lines.push(`  missing: ${path}`);
  for (const path of check.added) lines.push(`  added:   ${path}`);
  for (const line of check.malformed) lines.push(`  manifest line not understood: ${line}`);
  lines.push(signature.line);
  const differ = check.changed.length + check.missing.length + check.added.length;
  lines.push(ok ? 'bundle intact' : `bundle NOT intact${differ ? `: ${differ} file(s) differ from the manifest` : ''}${signature.ok ? '' : `${differ ? ';' : ':'} the signature does not hold`}`);
  process.stdout.write(lines.join('\n') + '\n');
  return ok ? 0 : 1;
}

/** `oi4-conformance keygen`: writes <prefix>.key.pem (owner-only) and <prefix>.pub.pem; never overwrites. */
export function keygenCommand(options: { out: string }): number {
  const privatePath = resolve(`${options.out}.key.pem`);
  const publicPath = resolve(`${options.out}.pub.pem`);
  for (const path of [privatePath, publicPath]) {
    if (existsSync(path)) throw new ConfigError(`${path} exists; keygen does not overwrite keys (choose another --out)`);
  }
  const passphrase = process.env[PASSPHRASE_ENV];
  const pair = generateSigningKeyPair(passphrase);
  writeFileSync(privatePath, pair.privatePem, { mode: 0o600, flag: 'wx' });
  writeFileSync(publicPath, pair.publicPem, { flag: 'wx' });
  process.stdout.write(
    [
      `private key: ${privatePath}${passphrase !== undefined ? ` (encrypted with $${PASSPHRASE_ENV})` : ''} — keep it secret; sign with: run … --sign ${options.out}.key.pem`,
      `public key:  ${publicPath} — publish it; check with: verify <dir> --pubkey ${options.out}.pub.pem`,
      `key sha256:  ${pair.fingerprint}`,
    ].join('\n') + '\n',
  );
  return EXIT_CODES.CONFORMANT;
}
