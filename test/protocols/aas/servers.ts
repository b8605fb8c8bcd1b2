/**
 * Local HTTP(S) servers for the AAS client tests, on 127.0.0.1 and a free port, that count their open
 * connections, so a test can wait (with a deadline) until the client has let go of every socket.
 */
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { Socket } from 'node:net';

export interface SeenRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
}

export interface TestServer {
  /** http(s)://127.0.0.1:<port> */
  readonly origin: string;
  readonly requests: SeenRequest[];
  openConnections(): number;
  /** resolves when no connection is open; rejects after `ms` saying how many still are */
  waitForNoConnections(ms?: number): Promise<void>;
  close(): Promise<void>;
}

export type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void;

export async function startServer(handler: Handler, tls?: { readonly cert: string; readonly key: string }): Promise<TestServer> {
  const server: Server = tls ? createHttpsServer({ cert: tls.cert, key: tls.key }) : createHttpServer();
  const sockets = new Set<Socket>();
  const waiters = new Set<() => void>();
  const requests: SeenRequest[] = [];
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    // a hostile handler's writes after the client left must not crash the test process
    socket.on('error', () => undefined);
    socket.on('close', () => {
      sockets.delete(socket);
      if (sockets.size === 0) for (const w of [...waiters]) w();
    });
  });
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    res.on('error', () => undefined);
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      handler(req, res, body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    origin: `${tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    requests,
    openConnections: () => sockets.size,
    waitForNoConnections: (ms = 5000) =>
      new Promise<void>((resolve, reject) => {
        if (sockets.size === 0) return resolve();
        const done = () => {
          clearTimeout(timer);
          waiters.delete(done);
          resolve();
        };
        const timer = setTimeout(() => {
          waiters.delete(done);
          reject(new Error(`${sockets.size} connection(s) still open after ${ms} ms`));
        }, ms);
        waiters.add(done);
      }),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export function sendJson(res: ServerResponse, status: number, value: unknown): void {
  const text = JSON.stringify(value);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
