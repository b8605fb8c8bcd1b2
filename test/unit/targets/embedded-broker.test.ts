import mqtt from 'mqtt';
import { describe, expect, it } from 'vitest';
import { startEmbeddedBroker } from '../../../harness/targets/index.js';

describe('startEmbeddedBroker', () => {
  it('listens on loopback; a client can connect, subscribe and receive its own message; close() resolves', async () => {
    const broker = await startEmbeddedBroker();
    try {
      expect(broker.url).toBe(`mqtt://127.0.0.1:${broker.port}`);
      expect(broker.port).toBeGreaterThan(0);
      const client = await mqtt.connectAsync(broker.url, { reconnectPeriod: 0 });
      try {
        await client.subscribeAsync('unit/#');
        const received = new Promise<[string, string]>((resolve) => client.once('message', (topic, payload) => resolve([topic, payload.toString()])));
        await client.publishAsync('unit/hello', 'world', { qos: 1 });
        expect(await received).toEqual(['unit/hello', 'world']);
      } finally {
        await client.endAsync();
      }
    } finally {
      await broker.close();
    }
  });

  it('close() resolves while a client is still connected, and the client sees the connection end', async () => {
    const broker = await startEmbeddedBroker();
    const client = await mqtt.connectAsync(broker.url, { reconnectPeriod: 0 });
    const closed = new Promise<void>((resolve) => client.once('close', () => resolve()));
    await broker.close();
    await closed;
    expect(client.connected).toBe(false);
    await client.endAsync(true);
  });

  it('gives each broker its own port', async () => {
    const a = await startEmbeddedBroker();
    const b = await startEmbeddedBroker();
    try {
      expect(a.port).not.toBe(b.port);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });
});
