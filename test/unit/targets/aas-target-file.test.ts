import { describe, expect, it } from 'vitest';
import { ConfigError, secretsOf, type AasTarget } from '../../../harness/model/index.js';
import { loadTargetFile } from '../../../harness/targets/index.js';
import { useTempDirs } from '../support/temp.js';

const temp = useTempDirs();

const ENV = { AAS_TOKEN: 'tok-3f9a-secret', AAS_CLIENT_SECRET: 'cs-77b1-secret', AAS_API_KEY: 'key-0c2e-secret' };

function writeTarget(text: string, dir = temp.make(), path = 'target.yaml'): string {
  return temp.write(dir, path, text);
}

function loadAas(file: string, env: NodeJS.ProcessEnv = ENV): AasTarget {
  const target = loadTargetFile(file, env);
  if (target.kind !== 'aas') throw new Error(`expected kind aas, got ${target.kind}`);
  return target;
}

/** The ConfigError message of loading a target file: one line, or the test fails. */
function loadError(file: string, env: NodeJS.ProcessEnv = ENV): string {
  try {
    loadTargetFile(file, env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message).not.toContain('\n');
    return message;
  }
  throw new Error(`${file} loaded, but it should have been rejected`);
}

const BEARER = `name: vendor-repo
kind: aas
aas:
  baseUrl: https://127.0.0.1:8443/vendor/prefix/api/v3.0
  headers:
    Edc-Bpn: BPNL000000000001
    X-Api-Key: \${AAS_API_KEY}
  auth:
    bearer: \${AAS_TOKEN}
parameters:
  requestTimeoutMs: 2500
`;

const OAUTH2 = `name: vendor-registry
kind: aas
aas:
  baseUrl: http://127.0.0.1:8080/registry/api/v3
  auth:
    oauth2:
      tokenUrl: http://127.0.0.1:8081/realms/x/token
      clientId: conformance
      clientSecret: \${AAS_CLIENT_SECRET}
      scope: aas-read
`;

describe('loadTargetFile: kind aas', () => {
  it('keeps the base URL with its path prefix, the headers, the bearer token from the environment and the parameters', () => {
    const file = writeTarget(BEARER);
    expect(loadAas(file)).toEqual({
      name: 'vendor-repo',
      kind: 'aas',
      origin: 'file',
      reference: file,
      aas: {
        baseUrl: 'https://127.0.0.1:8443/vendor/prefix/api/v3.0',
        headers: { 'Edc-Bpn': 'BPNL000000000001', 'X-Api-Key': 'key-0c2e-secret' },
        secretHeaders: ['X-Api-Key'],
        auth: { kind: 'bearer', token: 'tok-3f9a-secret' },
      },
      parameters: { requestTimeoutMs: 2500 },
      claims: [],
      actions: {},
      faults: [],
    });
  });

  it('a base URL without a prefix is kept as written', () => {
    expect(loadAas(writeTarget('name: bare\nkind: aas\naas:\n  baseUrl: http://127.0.0.1:8080\n')).aas).toEqual({ baseUrl: 'http://127.0.0.1:8080' });
  });

  it('OAuth2 client credentials: token URL, client id, the secret from the environment, the scope', () => {
    expect(loadAas(writeTarget(OAUTH2)).aas.auth).toEqual({
      kind: 'oauth2',
      tokenUrl: 'http://127.0.0.1:8081/realms/x/token',
      clientId: 'conformance',
      clientSecret: 'cs-77b1-secret',
      scope: 'aas-read',
    });
  });

  it('reads tls.ca relative to the target file, not to the working directory', () => {
    const dir = temp.make();
    temp.write(dir, 'pki/aas-ca.pem', 'AAS-CA-PEM');
    const file = writeTarget(`${BEARER}`.replace('  auth:', '  tls:\n    ca: ../pki/aas-ca.pem\n    rejectUnauthorized: true\n  auth:'), dir, 'targets/repo.yaml');
    expect(loadAas(file).aas.tls).toEqual({ ca: 'AAS-CA-PEM', rejectUnauthorized: true });
  });

  it('names aas.tls.ca when its file cannot be read', () => {
    const message = loadError(writeTarget(BEARER.replace('  auth:', '  tls:\n    ca: missing-ca.pem\n  auth:')));
    expect(message).toMatch(/aas\.tls\.ca: cannot read missing-ca\.pem \(ENOENT\)/);
  });
});

describe('loadTargetFile: kind aas, refused in one line', () => {
  it('a bearer token written literally, naming the field and never the value', () => {
    const message = loadError(writeTarget(BEARER.replace('${AAS_TOKEN}', 'literal-token-123')));
    expect(message).toContain('aas.auth.bearer');
    expect(message).toContain('environment reference');
    expect(message).not.toContain('literal-token-123');
  });

  it('a client secret written literally, naming the field and never the value', () => {
    const message = loadError(writeTarget(OAUTH2.replace('${AAS_CLIENT_SECRET}', 'literal-secret-456')));
    // the first thing said, not a complaint about the other kind of auth
    expect(message).toMatch(/^[^:]+\.yaml: aas\.auth\.oauth2\.clientSecret: must be an environment reference such as \$\{MY_SECRET\}/);
    expect(message).not.toContain('literal-secret-456');
  });

  it('an unset variable names the field and the variable, never another value', () => {
    const message = loadError(writeTarget(BEARER), { AAS_API_KEY: 'key-0c2e-secret' });
    expect(message).toContain('aas.auth.bearer refers to environment variable AAS_TOKEN, which is not set');
    expect(message).not.toContain('key-0c2e-secret');
  });

  it('an aas section on a target of another kind', () => {
    const withBroker = 'name: x\nkind: oi4-mqtt\nbroker:\n  url: mqtt://127.0.0.1:1883\noi4:\n  appId: discover\naas:\n  baseUrl: http://127.0.0.1:8080\n';
    expect(loadError(writeTarget(withBroker))).toContain('an aas section belongs to a target of kind aas, not oi4-mqtt');
    const opcua = 'name: x\nkind: opcua\nopcua:\n  endpointUrl: opc.tcp://127.0.0.1:4840\naas:\n  baseUrl: http://127.0.0.1:8080\n';
    expect(loadError(writeTarget(opcua))).toContain('an aas section belongs to a target of kind aas, not opcua');
  });

  it('a broker or opcua section on a target of kind aas', () => {
    const file = writeTarget('name: x\nkind: aas\naas:\n  baseUrl: http://127.0.0.1:8080\nbroker:\n  url: mqtt://127.0.0.1:1883\n');
    expect(loadError(file)).toContain('a target of kind aas takes no broker, oi4 or opcua section');
  });

  it('a missing aas section', () => {
    expect(loadError(writeTarget('name: x\nkind: aas\n'))).toContain('a target of kind aas needs an aas section with baseUrl');
  });

  it('a base URL that is not http(s)', () => {
    for (const url of ['ftp://127.0.0.1/api', 'opc.tcp://127.0.0.1:4840', '127.0.0.1:8080/api']) {
      expect(loadError(writeTarget(`name: x\nkind: aas\naas:\n  baseUrl: ${url}\n`))).toMatch(/aas\.baseUrl/);
    }
  });

  it('an OAuth2 section without its token URL', () => {
    expect(loadError(writeTarget(OAUTH2.replace(/ {6}tokenUrl: .*\n/, '')))).toMatch(/aas\.auth/);
  });
});

describe('secretsOf an aas target', () => {
  it('holds the bearer token and the header values that came from the environment, not the plain headers', () => {
    const secrets = secretsOf(loadAas(writeTarget(BEARER)));
    expect(secrets).toEqual(expect.arrayContaining(['tok-3f9a-secret', 'key-0c2e-secret']));
    expect(secrets).not.toContain('BPNL000000000001');
  });

  it('holds the OAuth2 client secret, not the client id', () => {
    const secrets = secretsOf(loadAas(writeTarget(OAUTH2)));
    expect(secrets).toEqual(['cs-77b1-secret']);
  });

  it('a header with a variable inside a longer value is a secret as a whole', () => {
    const file = writeTarget('name: x\nkind: aas\naas:\n  baseUrl: http://127.0.0.1:8080\n  headers:\n    X-Api-Key: key=${AAS_API_KEY}\n');
    expect(secretsOf(loadAas(file))).toEqual(['key=key-0c2e-secret']);
  });
});
