import { copyFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { ConfigError, mqttTargetOf, secretsOf } from '../harness/model/index.js';
import { loadTargetFile } from '../harness/targets/index.js';
import { ROOT, tempDir } from './support/cli.js';

const dir = join(ROOT, 'fixtures', 'targets');
const isAas = (name: string) => name.startsWith('aas-');

test.each(readdirSync(dir).filter((f) => f.endsWith('.yaml') && !isAas(f)))('example target file %s is valid and takes its secrets from the environment', (name) => {
  const target = mqttTargetOf(loadTargetFile(join(dir, name), { OI4_MQTT_USERNAME: 'lab-user', OI4_MQTT_PASSWORD: 'lab-secret' }));
  expect(target.kind).toBe('oi4-mqtt');
  expect(target.broker.url).toMatch(/^mqtts?:\/\/127\.0\.0\.1:/);
  if (target.broker.password !== undefined) expect(target.broker.password).toBe('lab-secret');
});

describe('the AAS example target files', () => {
  const ENV = { AAS_TOKEN: 'example-token-value', AAS_CLIENT_SECRET: 'example-client-secret' };
  const copies: string[] = [];
  afterAll(() => {
    for (const copy of copies) rmSync(copy, { recursive: true, force: true });
  });

  /** aas-oauth2.yaml names a CA file that is not shipped: it is loaded from a copy with a CA file beside it. */
  function exampleFile(name: string): string {
    if (name !== 'aas-oauth2.yaml') return join(dir, name);
    const copy = tempDir('aas-example');
    copies.push(copy);
    copyFileSync(join(dir, name), join(copy, name));
    writeFileSync(join(copy, 'aas-oauth2-ca.pem'), '-----BEGIN CERTIFICATE-----\nexample\n-----END CERTIFICATE-----\n');
    return join(copy, name);
  }

  test('there are the two documented examples', () => {
    expect(readdirSync(dir).filter(isAas).sort()).toEqual(['aas-oauth2.yaml', 'aas-repository.yaml']);
  });

  test('aas-repository.yaml: base URL with its prefix, a static header, the bearer token from AAS_TOKEN', () => {
    const target = loadTargetFile(exampleFile('aas-repository.yaml'), ENV);
    if (target.kind !== 'aas') throw new Error(`kind ${target.kind}`);
    expect(target.aas.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/acme\/aas\/api\/v3\.0$/);
    expect(target.aas.headers).toEqual({ 'Edc-Bpn': 'BPNL000000000ACME' });
    expect(target.aas.auth).toEqual({ kind: 'bearer', token: 'example-token-value' });
    expect(secretsOf(target)).toEqual(['example-token-value']);
  });

  test('aas-oauth2.yaml: client credentials with the secret from AAS_CLIENT_SECRET, the CA read beside the file', () => {
    const target = loadTargetFile(exampleFile('aas-oauth2.yaml'), ENV);
    if (target.kind !== 'aas') throw new Error(`kind ${target.kind}`);
    expect(target.aas.baseUrl).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/registry\/api\/v3$/);
    expect(target.aas.auth).toMatchObject({ kind: 'oauth2', clientId: 'oi4-conformance', clientSecret: 'example-client-secret', scope: 'aas-read' });
    expect(target.aas.tls?.ca).toContain('BEGIN CERTIFICATE');
    expect(secretsOf(target)).toEqual(['example-client-secret']);
  });

  test.each([
    ['aas-repository.yaml', 'AAS_TOKEN', 'aas.auth.bearer'],
    ['aas-oauth2.yaml', 'AAS_CLIENT_SECRET', 'aas.auth.oauth2.clientSecret'],
  ])('%s without %s set: one line naming the field and the variable', (name, variable, field) => {
    const file = exampleFile(name);
    let message = '';
    try {
      loadTargetFile(file, {});
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      message = (error as Error).message;
    }
    expect(message).toContain(field);
    expect(message).toContain(`environment variable ${variable}, which is not set`);
    expect(message).not.toContain('\n');
  });

  test('aas-oauth2.yaml where its CA file is missing: one line naming aas.tls.ca and the file', () => {
    let message = '';
    try {
      loadTargetFile(join(dir, 'aas-oauth2.yaml'), ENV);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/aas\.tls\.ca: cannot read aas-oauth2-ca\.pem \(ENOENT\)$/);
    expect(message).not.toContain('\n');
  });
});
