/** An embedded target that claims security: TLS broker, per-run PKI and password, broker faults kept from the device. */
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { brokerFaults } from '../../../fixtures/devices/common/broker-faults.js';
import { generateRunPki, type RunPki } from '../../../fixtures/pki/generate.js';
import { mqttTargetOf, secretsOf, type MqttReferenceDevice, type ReferenceDeviceStartOptions } from '../../../harness/model/index.js';
import { attemptLogin } from '../../../harness/protocols/mqtt/login.js';
import { EMBEDDED_PASSWORD_PATTERN, startEmbeddedTarget } from '../../../harness/targets/index.js';

/** A device that only records how it was started. */
function fakeDevice(fail = false): { device: MqttReferenceDevice; starts: ReferenceDeviceStartOptions[] } {
  const starts: ReferenceDeviceStartOptions[] = [];
  const device: MqttReferenceDevice = {
    name: 'fake',
    description: 'records its start options',
    targetKind: 'oi4-mqtt',
    defaultProfile: 'oi4-oec-device',
    faults: [{ name: 'own-fault', description: 'a device fault', breaks: ['OI4-GET-001'] }, ...brokerFaults],
    async start(options) {
      starts.push(options);
      if (fail) throw new Error('device failed to start');
      return { appId: 'a.com/B/C/D', serviceType: 'Utility', stop: async () => {} };
    },
  };
  return { device, starts };
}

/** The real PKI generator, remembering what it made. */
function trackedPki(): { pki: () => Promise<RunPki>; made: RunPki[] } {
  const made: RunPki[] = [];
  return {
    made,
    pki: async () => {
      const pki = await generateRunPki();
      made.push(pki);
      return pki;
    },
  };
}

describe('startEmbeddedTarget with the security group', () => {
  it('runs a TLS broker with a per-run password, hands the device and the checks what they need, and cleans up', async () => {
    const { device, starts } = fakeDevice();
    const { pki, made } = trackedPki();
    const [first, second] = [
      await startEmbeddedTarget(device, [], { claims: ['security'], pki }),
      await startEmbeddedTarget(device, [], { claims: ['security'], pki }),
    ];
    try {
      const broker = mqttTargetOf(first.target).broker;
      expect(broker.url).toMatch(/^mqtts:\/\/127\.0\.0\.1:\d+$/);
      expect(broker.password).toMatch(EMBEDDED_PASSWORD_PATTERN);
      expect(mqttTargetOf(second.target).broker.password).not.toBe(broker.password);
      expect(broker.tls).toMatchObject({ ca: made[0]!.ca, cert: made[0]!.clientCert, key: made[0]!.clientKey, rejectUnauthorized: true });
      expect(secretsOf(first.target)).toEqual(expect.arrayContaining([broker.password, made[0]!.clientKey]));
      expect(starts[0]).toMatchObject({ brokerUrl: broker.url, username: broker.username, password: broker.password, ca: made[0]!.ca });
      expect(first.target.claims).toContain('security');
      const login = await attemptLogin({
        url: broker.url,
        tls: broker.tls,
        credentials: { username: broker.username!, password: broker.password! },
        clientIdPrefix: 'unit',
        purpose: 'login',
        connectTimeoutMs: 5000,
      });
      expect(login.kind).toBe('accepted');
    } finally {
      await first.stop();
      await second.stop();
    }
    expect(made.map((p) => existsSync(p.dir))).toEqual([false, false]);
  });

  it('gives broker faults to the broker and only its own faults to the device; a broker fault claims security', async () => {
    const { device, starts } = fakeDevice();
    const { pki } = trackedPki();
    const embedded = await startEmbeddedTarget(device, ['own-fault', 'broker-plain-listener'], { pki });
    try {
      expect(starts[0]!.faults).toEqual(['own-fault']);
      expect(embedded.target.faults).toEqual(['own-fault', 'broker-plain-listener']);
      expect(embedded.target.claims).toEqual(['security']);
      // no TLS, but still a password
      expect(mqttTargetOf(embedded.target).broker.url).toMatch(/^mqtt:\/\//);
      expect(mqttTargetOf(embedded.target).broker.tls).toBeUndefined();
      expect(mqttTargetOf(embedded.target).broker.password).toMatch(EMBEDDED_PASSWORD_PATTERN);
    } finally {
      await embedded.stop();
    }
  });

  it('without the security group: a plain broker without an account, and no PKI made', async () => {
    const { device } = fakeDevice();
    const { pki, made } = trackedPki();
    const embedded = await startEmbeddedTarget(device, [], { pki });
    try {
      expect(mqttTargetOf(embedded.target).broker).toEqual({ url: expect.stringMatching(/^mqtt:\/\//), clientIdPrefix: 'oi4-conformance' });
      expect(made).toEqual([]);
    } finally {
      await embedded.stop();
    }
  });

  it('removes the PKI when the device fails to start', async () => {
    const { device } = fakeDevice(true);
    const { pki, made } = trackedPki();
    await expect(startEmbeddedTarget(device, [], { claims: ['security'], pki })).rejects.toThrow(/device failed to start/);
    expect(existsSync(made[0]!.dir)).toBe(false);
  });

  it('refuses to claim security without a PKI generator', async () => {
    await expect(startEmbeddedTarget(fakeDevice().device, [], { claims: ['security'] })).rejects.toThrow(/needs a test PKI/);
  });
});
