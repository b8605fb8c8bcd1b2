import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, mqttTargetOf, secretsOf } from '../../../harness/model/index.js';
import { loadTargetFile } from '../../../harness/targets/index.js';
import { useTempDirs } from '../support/temp.js';

const temp = useTempDirs();

const VALID = `
name: lab-device-1
kind: oi4-mqtt
broker:
  url: mqtt://127.0.0.1:1883
  username: \${OI4_MQTT_USER}
  password: \${OI4_MQTT_PASSWORD}
oi4:
  appId: discover
parameters:
  responseTimeoutMs: 5000
claims: [data]
actions:
  restart: systemctl restart my-app
`;

const ENV = { OI4_MQTT_USER: 'lab', OI4_MQTT_PASSWORD: 'S3cret-value' };

function writeTarget(text: string, dir = temp.make()): string {
  return temp.write(dir, 'target.yaml', text);
}

/** The ConfigError message of loading a target file; fails the test if it loads. */
function loadError(file: string, env: NodeJS.ProcessEnv = ENV): string {
  try {
    loadTargetFile(file, env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error(`${file} loaded, but it should have been rejected`);
}

describe('loadTargetFile: a valid file', () => {
  it('resolves ${ENV} references and fills the defaults', () => {
    const file = writeTarget(VALID);
    const target = loadTargetFile(file, ENV);
    expect(target).toEqual({
      name: 'lab-device-1',
      kind: 'oi4-mqtt',
      origin: 'file',
      reference: file,
      broker: { url: 'mqtt://127.0.0.1:1883', username: 'lab', password: 'S3cret-value', clientIdPrefix: 'oi4-conformance' },
      oi4: { appId: 'discover' },
      parameters: { responseTimeoutMs: 5000 },
      claims: ['data'],
      actions: { restart: 'systemctl restart my-app' },
      faults: [],
    });
  });

  it('reads TLS files relative to the target file, not to the working directory', () => {
    const dir = temp.make();
    temp.write(dir, 'pki/ca.pem', 'CA-PEM');
    temp.write(dir, 'pki/client.pem', 'CERT-PEM');
    temp.write(dir, 'pki/client.key', 'KEY-PEM');
    const file = temp.write(
      dir,
      'targets/lab.yaml',
      `name: tls-device
kind: oi4-mqtt
broker:
  url: mqtts://127.0.0.1:8883
  tls:
    ca: ../pki/ca.pem
    cert: ../pki/client.pem
    key: ../pki/client.key
    passphrase: \${KEY_PASS}
    servername: broker.local
oi4:
  appId: discover
`,
    );
    const target = loadTargetFile(file, { KEY_PASS: 'key-pass-value' });
    expect(mqttTargetOf(target).broker.tls).toEqual({
      ca: 'CA-PEM',
      // shown in TLS messages ("not trusted by the CA in …"); absolute here, since the temp dir is not below the working directory
      caFile: join(dir, 'pki', 'ca.pem'),
      cert: 'CERT-PEM',
      key: 'KEY-PEM',
      passphrase: 'key-pass-value',
      rejectUnauthorized: true,
      servername: 'broker.local',
    });
  });

  it('keeps a separate mutual-TLS listener for the client-certificate login', () => {
    const dir = temp.make();
    temp.write(dir, 'client.pem', 'CERT-PEM');
    temp.write(dir, 'client.key', 'KEY-PEM');
    const file = writeTarget(
      `name: x\nkind: oi4-mqtt\nbroker:\n  url: mqtts://127.0.0.1:8883\n  mutualTlsUrl: mqtts://127.0.0.1:8884\n  tls:\n    cert: client.pem\n    key: client.key\noi4:\n  appId: discover\n`,
      dir,
    );
    expect(mqttTargetOf(loadTargetFile(file, {})).broker.mutualTlsUrl).toBe('mqtts://127.0.0.1:8884');
  });
});

describe('loadTargetFile: OPC UA', () => {
  it('an opcua target: endpoint, security, the user from the environment and PEM files read relative to the file', () => {
    const dir = temp.make();
    writeFileSync(join(dir, 'user.pem'), 'USER-CERT');
    writeFileSync(join(dir, 'user.key'), 'USER-KEY');
    const file = writeTarget(
      'name: plc\nkind: opcua\nopcua:\n  endpointUrl: opc.tcp://127.0.0.1:4840\n  securityMode: SignAndEncrypt\n  securityPolicy: Basic256Sha256\n' +
        '  user:\n    username: operator\n    password: ${UA_PASS}\n  userCertificate:\n    cert: user.pem\n    key: user.key\nclaims: [user-password]\n',
      dir,
    );
    const target = loadTargetFile(file, { UA_PASS: 'ua-secret-value' });
    expect(target).toMatchObject({
      kind: 'opcua',
      claims: ['user-password'],
      opcua: {
        endpointUrl: 'opc.tcp://127.0.0.1:4840',
        securityMode: 'SignAndEncrypt',
        securityPolicy: 'Basic256Sha256',
        user: { username: 'operator', password: 'ua-secret-value' },
        userCertificate: { cert: 'USER-CERT', key: 'USER-KEY' },
      },
    });
    expect(secretsOf(target)).toEqual(expect.arrayContaining(['ua-secret-value', 'USER-KEY']));
  });

  it('an OI4 target may name the same asset\'s OPC UA server', () => {
    const file = writeTarget(VALID + 'opcua:\n  endpointUrl: opc.tcp://127.0.0.1:4840\n');
    expect(mqttTargetOf(loadTargetFile(file, ENV)).opcua).toEqual({ endpointUrl: 'opc.tcp://127.0.0.1:4840' });
  });
});

describe('loadTargetFile: rejected files', () => {
  it('rejects a mutual-TLS listener without a client certificate, or one without TLS', () => {
    expect(loadError(writeTarget(`name: x\nkind: oi4-mqtt\nbroker:\n  url: mqtts://127.0.0.1:8883\n  mutualTlsUrl: mqtts://127.0.0.1:8884\noi4:\n  appId: discover\n`))).toMatch(
      /broker\.mutualTlsUrl .*cert and key/,
    );
    expect(loadError(writeTarget(`name: x\nkind: oi4-mqtt\nbroker:\n  url: mqtts://127.0.0.1:8883\n  mutualTlsUrl: mqtt://127.0.0.1:1884\noi4:\n  appId: discover\n`))).toContain('broker.mutualTlsUrl');
  });


  it('rejects a literal password and names broker.password, without echoing the value', () => {
    const message = loadError(writeTarget(VALID.replace('${OI4_MQTT_PASSWORD}', 'literal-pw-123')));
    expect(message).toContain('broker.password');
    expect(message).not.toContain('literal-pw-123');
  });

  it('suggests the right name for a misspelt field', () => {
    const message = loadError(writeTarget(VALID.replace('broker:', 'brokr:')));
    expect(message).toContain('did you mean "broker"');
  });

  it('names a missing required field', () => {
    const message = loadError(writeTarget(VALID.replace(/oi4:\n {2}appId: discover\n/, '')));
    expect(message).toContain('a target of kind oi4-mqtt needs an oi4 section with appId (or appId: discover)');
  });

  it('names a missing nested field with its parent', () => {
    const message = loadError(writeTarget(VALID.replace('  url: mqtt://127.0.0.1:1883\n', '')));
    expect(message).toMatch(/broker: missing required field "url"/);
  });

  it('names the field and the variable of a missing environment variable, never a value', () => {
    const message = loadError(writeTarget(VALID), { OI4_MQTT_USER: 'lab-user-value' });
    expect(message).toContain('broker.password');
    expect(message).toContain('OI4_MQTT_PASSWORD');
    expect(message).not.toContain('lab-user-value');
  });

  it('treats an empty environment variable as missing', () => {
    expect(loadError(writeTarget(VALID), { ...ENV, OI4_MQTT_PASSWORD: '' })).toContain('OI4_MQTT_PASSWORD');
  });

  it('rejects TLS files with an mqtt:// URL', () => {
    const dir = temp.make();
    temp.write(dir, 'ca.pem', 'CA');
    const message = loadError(
      writeTarget(`name: x\nkind: oi4-mqtt\nbroker:\n  url: mqtt://127.0.0.1:1883\n  tls:\n    ca: ca.pem\noi4:\n  appId: discover\n`, dir),
    );
    expect(message).toContain('mqtts://');
    expect(message).toContain('broker.tls');
  });

  it('rejects a client certificate without its key', () => {
    const message = loadError(
      writeTarget(`name: x\nkind: oi4-mqtt\nbroker:\n  url: mqtts://127.0.0.1:8883\n  tls:\n    cert: client.pem\noi4:\n  appId: discover\n`),
    );
    expect(message).toContain('broker.tls');
    expect(message).toContain('key');
  });

  it('names the TLS field whose file cannot be read', () => {
    const message = loadError(
      writeTarget(`name: x\nkind: oi4-mqtt\nbroker:\n  url: mqtts://127.0.0.1:8883\n  tls:\n    ca: missing-ca.pem\noi4:\n  appId: discover\n`),
    );
    expect(message).toContain('broker.tls.ca');
    expect(message).toContain('missing-ca.pem');
    expect(message).toContain('ENOENT');
  });

  it('names the line of invalid YAML', () => {
    const message = loadError(writeTarget('name: x\nkind: oi4-mqtt\nbroker: [unclosed\n  url: y\noi4:\n  appId: z\n'));
    expect(message).toMatch(/target\.yaml:\d+: invalid YAML/);
  });

  it('rejects an unknown kind, saying which ones are allowed', () => {
    expect(loadError(writeTarget(VALID.replace('kind: oi4-mqtt', 'kind: amqp')))).toContain('kind: must be one of "oi4-mqtt", "opcua"');
  });

  it('an opcua target needs its opcua section and takes no broker', () => {
    expect(loadError(writeTarget(VALID.replace('kind: oi4-mqtt', 'kind: opcua')))).toContain('a target of kind opcua takes no broker or oi4 section');
    expect(loadError(writeTarget('name: plc\nkind: opcua\n'))).toContain('a target of kind opcua needs an opcua section with endpointUrl');
    expect(loadError(writeTarget('name: plc\nkind: opcua\nopcua:\n  endpointUrl: http://127.0.0.1:4840\n'))).toMatch(/opcua.endpointUrl: must match pattern/);
    expect(loadError(writeTarget('name: plc\nkind: opcua\nopcua:\n  endpointUrl: opc.tcp://127.0.0.1:4840\n  user:\n    username: op\n    password: literal\n'))).toContain(
      'must be an environment reference',
    );
  });

  it('says when the file does not exist', () => {
    expect(loadError(join(temp.make(), 'absent.yaml'))).toContain('file not found');
  });
});
