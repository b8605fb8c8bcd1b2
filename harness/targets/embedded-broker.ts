import { createServer, type Server, type Socket } from 'node:net';
import { Aedes, type Client } from 'aedes';

export interface EmbeddedBroker {
  /** mqtt://127.0.0.1:<port> */
  readonly url: string;
  readonly port: number;
  /** closes the matching clients' connections from the broker's side, as a network failure would (no DISCONNECT) */
  dropClients(match: (clientId: string) => boolean): number;
  close(): Promise<void>;
}

/**
 * An in-process MQTT broker on a free loopback port. Only loopback: an embedded target is never reachable
 * from the network.
 */
export async function startEmbeddedBroker(): Promise<EmbeddedBroker> {
  const broker = await Aedes.createBroker();
  const clients = new Map<string, Client>();
  broker.on('client', (client) => clients.set(client.id, client));
  broker.on('clientDisconnect', (client) => {
    if (clients.get(client.id) === client) clients.delete(client.id);
  });
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    // MQTT packets are small: without noDelay, Nagle and delayed ACKs add ~40 ms to every exchange
    socket.setNoDelay(true);
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    broker.handle(socket);
  });
  await new Promise<void>((resolveListen, rejectListen) => {
    server.once('error', rejectListen);
    server.listen(0, '127.0.0.1', () => resolveListen());
  });
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('embedded broker: no TCP address');
  return {
    url: `mqtt://127.0.0.1:${address.port}`,
    port: address.port,
    dropClients(match) {
      const dropped = [...clients.values()].filter((client) => match(client.id));
      // an error close is a failure close: aedes publishes the Last Will, as for a dropped network
      for (const client of dropped) client.conn.destroy(new Error('dropped by the harness'));
      return dropped.length;
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((done) => server.close(() => done()));
      await new Promise<void>((done) => broker.close(() => done()));
    },
  };
}
