import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { ActionName, ActionOutcome, ActionPerformer } from '../targets/actions.js';
import { ACTION_NAMES } from '../targets/actions.js';

/** Where the check worker asks the main process to act on the target. */
export interface ActionChannel {
  readonly url: string;
  readonly token: string;
}

/**
 * Checks run in a worker, but the target (an embedded device, a shell command, the operator's terminal)
 * belongs to the main process. This loopback endpoint carries the request across; the token keeps other
 * local processes from triggering actions.
 */
export async function openActionChannel(perform: ActionPerformer): Promise<ActionChannel & { close(): Promise<void> }> {
  const token = randomBytes(24).toString('hex');
  const expected = Buffer.from(`Bearer ${token}`);
  const server: Server = createServer((request, response) => {
    const auth = Buffer.from(request.headers.authorization ?? '');
    const name = /^\/action\/([a-z]+)$/.exec(request.url ?? '')?.[1];
    const reply = (status: number, body: unknown) => {
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(body));
    };
    if (request.method !== 'POST' || auth.length !== expected.length || !timingSafeEqual(auth, expected)) return reply(403, { error: 'forbidden' });
    if (!name || !(ACTION_NAMES as readonly string[]).includes(name)) return reply(404, { error: `unknown action ${name ?? ''}` });
    perform(name as ActionName).then(
      (outcome) => reply(200, outcome),
      (error: unknown) => reply(200, { performed: false, kind: 'failed', reason: String((error as Error)?.message ?? error) } satisfies ActionOutcome),
    );
  });
  // an action may legitimately wait for the operator for a long time
  server.requestTimeout = 0;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    token,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Worker side: asks for an action and waits for its outcome. */
export async function requestAction(channel: ActionChannel | null, name: ActionName, signal: AbortSignal): Promise<ActionOutcome> {
  if (!channel) return { performed: false, kind: 'unavailable', reason: 'this run has no action channel' };
  const response = await fetch(`${channel.url}/action/${name}`, { method: 'POST', headers: { authorization: `Bearer ${channel.token}` }, signal });
  if (!response.ok) return { performed: false, kind: 'failed', reason: `the action channel answered ${response.status}` };
  return (await response.json()) as ActionOutcome;
}
