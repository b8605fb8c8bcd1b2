/**
 * OPC UA servers that misbehave at the transport level (OPC 10000-6 §7.1, UA Connection Protocol), written
 * with raw sockets so the bytes are exactly what the case says, not what an OPC UA stack would allow.
 *
 * Every message starts with an 8-byte header: a 3-byte type (HEL, ACK, ERR, OPN, MSG, CLO), a 1-byte chunk
 * type ('F' final), and the UInt32 little-endian size of the whole message, header included.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type Server, type Socket } from 'node:net';

export const HOSTILE_OPCUA_BEHAVIOURS = [
  /** accepts the TCP connection, reads everything, never writes */
  'silent',
  /** destroys the socket as soon as HEL arrives */
  'hangs-up-on-hello',
  /** answers HEL with an HTTP error, not OPC UA */
  'garbage',
  /** a valid ACK, then OPN is answered with an 'OPNF' header claiming 0x7fffffff bytes, followed by junk */
  'ack-then-garbage',
  /** answers HEL with a well-formed ERR: BadTcpServerTooBusy, "too busy" */
  'error-message',
  /** a valid ACK, then never answers OPN */
  'stalls-after-ack',
  /** answers HEL with an endless stream of random bytes (its first header: type '???', size 0x7fffffff), until the client goes away */
  'floods',
  /** a valid ACK, then OPN is answered with an endless stream of well-framed intermediate chunks ('MSGC', 8 KiB each) */
  'floods-chunks',
] as const;

export type HostileOpcUaBehaviour = (typeof HOSTILE_OPCUA_BEHAVIOURS)[number];

export const BAD_TCP_SERVER_TOO_BUSY = 0x807d0000;
export const TOO_BUSY_REASON = 'too busy';
export const HTTP_GARBAGE = 'HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n';

/** What the server saw and did; for assertions and for the report of a case. */
export interface HostileOpcUaStats {
  connections: number;
  /** message types received, in order ("HEL", "OPN", ...; "???" for bytes that do not frame) */
  readonly received: string[];
  bytesWritten: number;
}

export interface HostileOpcUaServer {
  readonly behaviour: HostileOpcUaBehaviour;
  readonly port: number;
  readonly endpointUrl: string;
  readonly stats: HostileOpcUaStats;
  /** connections not yet closed (a flood stops writing when its connection closes) */
  openConnections(): number;
  /** destroys every open connection and stops listening */
  close(): Promise<void>;
}

/** The 8-byte header of a final chunk. */
export function messageHeader(type: string, size: number): Buffer {
  const header = Buffer.alloc(8);
  header.write(type.slice(0, 3), 0, 'latin1');
  header.write('F', 3, 'latin1');
  header.writeUInt32LE(size >>> 0, 4);
  return header;
}

/** ACK: ProtocolVersion, ReceiveBufferSize, SendBufferSize, MaxMessageSize, MaxChunkCount (all UInt32 LE). */
export function ackMessage(): Buffer {
  const body = Buffer.alloc(20);
  body.writeUInt32LE(0, 0); // ProtocolVersion
  body.writeUInt32LE(65_536, 4); // ReceiveBufferSize
  body.writeUInt32LE(65_536, 8); // SendBufferSize
  body.writeUInt32LE(16 * 1024 * 1024, 12); // MaxMessageSize
  body.writeUInt32LE(0, 16); // MaxChunkCount: no limit
  return Buffer.concat([messageHeader('ACK', 8 + body.length), body]);
}

/** ERR: UInt32 StatusCode, then the reason as a String (Int32 length + UTF-8). */
export function errMessage(statusCode: number, reason: string): Buffer {
  const text = Buffer.from(reason, 'utf8');
  const body = Buffer.alloc(8 + text.length);
  body.writeUInt32LE(statusCode >>> 0, 0);
  body.writeInt32LE(text.length, 4);
  text.copy(body, 8);
  return Buffer.concat([messageHeader('ERR', 8 + body.length), body]);
}

/**
 * Splits the incoming byte stream into OPC UA messages by their headers and reports each one's type. Bytes
 * that do not frame (a size below 8 or beyond 16 MiB) are reported once as "???" and the rest is dropped.
 */
function framer(onMessage: (type: string) => void): (chunk: Buffer) => void {
  let pending: Buffer = Buffer.alloc(0);
  let lost = false;
  return (chunk) => {
    if (lost) return;
    pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
    while (pending.length >= 8) {
      const size = pending.readUInt32LE(4);
      if (size < 8 || size > 16 * 1024 * 1024) {
        lost = true;
        pending = Buffer.alloc(0);
        onMessage('???');
        return;
      }
      if (pending.length < size) return;
      const type = pending.toString('latin1', 0, 3);
      pending = pending.subarray(size);
      onMessage(type);
    }
  };
}

/** 64 KiB of random bytes: the first 8 are no valid header a client could wait on (type "???", size 0x7fffffff). */
function junkBlock(): Buffer {
  const block = randomBytes(64 * 1024);
  messageHeader('???', 0x7fffffff).copy(block, 0);
  return block;
}

/** 64 KiB of intermediate chunks ('C'), each a well-framed 8 KiB 'MSGC' whose message never ends. */
function chunkBlock(): Buffer {
  const chunk = Buffer.alloc(8192, 0x41);
  messageHeader('MSG', chunk.length).copy(chunk, 0);
  chunk.write('C', 3, 'latin1');
  return Buffer.concat(Array.from({ length: 8 }, () => chunk));
}

/** Writes the block over and over, as fast as the client reads (backpressure), until the socket closes. */
function flood(socket: Socket, stats: HostileOpcUaStats, block: Buffer): void {
  const pump = () => {
    while (!socket.destroyed && socket.writable) {
      stats.bytesWritten += block.length;
      if (!socket.write(block)) {
        socket.once('drain', pump);
        return;
      }
    }
  };
  pump();
}

function send(socket: Socket, stats: HostileOpcUaStats, bytes: Buffer | string): void {
  if (socket.destroyed || !socket.writable) return;
  stats.bytesWritten += Buffer.byteLength(bytes);
  socket.write(bytes);
}

function onMessage(behaviour: HostileOpcUaBehaviour, socket: Socket, stats: HostileOpcUaStats, type: string): void {
  if (type === 'HEL') {
    switch (behaviour) {
      case 'silent':
        return;
      case 'hangs-up-on-hello':
        socket.destroy();
        return;
      case 'garbage':
        send(socket, stats, HTTP_GARBAGE);
        return;
      case 'error-message':
        // a server sends ERR and then closes the connection (OPC 10000-6 §7.1.2.5)
        send(socket, stats, errMessage(BAD_TCP_SERVER_TOO_BUSY, TOO_BUSY_REASON));
        socket.end();
        return;
      case 'floods':
        flood(socket, stats, junkBlock());
        return;
      case 'ack-then-garbage':
      case 'floods-chunks':
      case 'stalls-after-ack':
        send(socket, stats, ackMessage());
        return;
    }
  }
  if (type === 'OPN') {
    const junk = randomBytes(256);
    if (behaviour === 'ack-then-garbage') send(socket, stats, Buffer.concat([messageHeader('OPN', 0x7fffffff), junk]));
    if (behaviour === 'floods-chunks') flood(socket, stats, chunkBlock());
    // stalls-after-ack: no answer, ever
  }
}

/** Starts one hostile server on a free loopback port. */
export async function startHostileOpcUaServer(behaviour: HostileOpcUaBehaviour): Promise<HostileOpcUaServer> {
  const stats: HostileOpcUaStats = { connections: 0, received: [], bytesWritten: 0 };
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    stats.connections += 1;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    // a client that resets the connection is expected here, not a failure of the test process
    socket.on('error', () => undefined);
    const feed = framer((type) => {
      stats.received.push(type);
      onMessage(behaviour, socket, stats, type);
    });
    socket.on('data', (chunk: Buffer) => {
      if (!socket.destroyed) feed(chunk);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as { port: number }).port;
  return {
    behaviour,
    port,
    endpointUrl: `opc.tcp://127.0.0.1:${port}`,
    stats,
    openConnections: () => sockets.size,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
