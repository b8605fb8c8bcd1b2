import { createServer, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer, TLSSocket } from 'node:tls';
import { Aedes, type AuthenticateError, type Client } from 'aedes';
import type { BrokerDeviation } from '../model/index.js';

export interface EmbeddedBroker {
  /** mqtt://127.0.0.1:<port>, or mqtts:// with TLS */
  readonly url: string;
  readonly port: number;
  /** closes the matching clients' connections from the broker's side, as a network failure would (no DISCONNECT) */
  dropClients(match: (clientId: string) => boolean): number;
  close(): Promise<void>;
}

export interface EmbeddedBrokerOptions {
  /**
   * Listen with TLS (PEM text): the broker presents cert, asks every client for a certificate and verifies it
   * against ca, yet lets clients without one finish the handshake (they may log in with a password).
   */
  readonly tls?: { readonly ca: string; readonly cert: string; readonly key: string };
  /**
   * Authenticate: a client gets in with this username and password, or with a client certificate the
   * broker verified; anyone else is refused. Absent: every client gets in.
   */
  readonly account?: { readonly username: string; readonly password: string };
  /** what the broker does wrong (a broker fault) */
  readonly deviation?: BrokerDeviation;
}

// CONNACK return codes of MQTT 3.1.1 (aedes types them as a const enum, which isolated modules cannot read)
const BAD_USERNAME_OR_PASSWORD = 4 as AuthenticateError['returnCode'];
const NOT_AUTHORIZED = 5 as AuthenticateError['returnCode'];

/**
 * An in-process MQTT broker on a free loopback port. Only loopback: an embedded target is never reachable
 * from the network.
 */
export async function startEmbeddedBroker(options: EmbeddedBrokerOptions = {}): Promise<EmbeddedBroker> {
  const broker = await Aedes.createBroker();
  const { account, deviation = {} } = options;
  const tls = deviation.plainListener ? undefined : options.tls;
  if (account) {
    broker.authenticate = (client, username, password, done) => {
      const refuse = (returnCode: AuthenticateError['returnCode'], message: string) => done(Object.assign(new Error(message), { returnCode }), false);
      if (username !== undefined || password !== undefined) {
        // a password login is judged as one, whatever certificate came with it
        if (username !== account.username) return refuse(BAD_USERNAME_OR_PASSWORD, 'bad user name or password');
        if (!deviation.acceptAnyPassword && password?.toString('utf8') !== account.password) return refuse(BAD_USERNAME_OR_PASSWORD, 'bad user name or password');
        return done(null, true);
      }
      const certified = client.conn instanceof TLSSocket && client.conn.authorized;
      if (certified && !deviation.refuseClientCertificates) return done(null, true);
      if (!certified && deviation.allowAnonymous) return done(null, true);
      return refuse(NOT_AUTHORIZED, 'not authorized');
    };
  }
  const clients = new Map<string, Client>();
  broker.on('client', (client) => clients.set(client.id, client));
  broker.on('clientDisconnect', (client) => {
    if (clients.get(client.id) === client) clients.delete(client.id);
  });
  const sockets = new Set<Socket>();
  const onSocket = (socket: Socket) => {
    // MQTT packets are small: without noDelay, Nagle and delayed ACKs add ~40 ms to every exchange
    socket.setNoDelay(true);
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    broker.handle(socket);
  };
  const server: Server = tls
    ? createTlsServer({ ca: tls.ca, cert: tls.cert, key: tls.key, requestCert: true, rejectUnauthorized: false }, onSocket)
    : createServer(onSocket);
  if (tls) {
    // a client that fails the handshake (it does not trust us) is its own business, not the broker's
    server.on('tlsClientError', () => {});
    // the raw sockets too, so close() can end connections still in their handshake
    server.on('connection', (socket: Socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
  }
  await new Promise<void>((resolveListen, rejectListen) => {
    server.once('error', rejectListen);
    server.listen(0, '127.0.0.1', () => resolveListen());
  });
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('embedded broker: no TCP address');
  return {
    url: `${tls ? 'mqtts' : 'mqtt'}://127.0.0.1:${address.port}`,
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
