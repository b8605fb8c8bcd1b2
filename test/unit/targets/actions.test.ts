import { describe, expect, it } from 'vitest';
import { openActionChannel, requestAction } from '../../../harness/engine/action-channel.js';
import { createRedactor } from '../../../harness/evidence/index.js';
import { createActionPerformer, type ActionPerformerOptions } from '../../../harness/targets/actions.js';

const base: ActionPerformerOptions = {
  targetName: 'lab-app',
  commands: {},
  timeoutMs: 5000,
  interactive: false,
  redact: createRedactor(['s3cret-token']),
  say: () => undefined,
};

describe('createActionPerformer', () => {
  it("prefers the embedded target's own action", async () => {
    let restarted = 0;
    const perform = createActionPerformer({ ...base, commands: { restart: 'exit 1' }, builtIn: { restart: async () => void restarted++ } });
    expect(await perform('restart')).toEqual({ performed: true, how: 'embedded restart' });
    expect(restarted).toBe(1);
  });

  it("runs the target file's command and reports a non-zero exit as a failure with its last line, redacted", async () => {
    const perform = createActionPerformer({ ...base, commands: { stop: 'true', start: 'echo "no such container s3cret-token" >&2; exit 3' } });
    expect(await perform('stop')).toEqual({ performed: true, how: `the target file's "stop" command` });
    expect(await perform('start')).toEqual({ performed: false, kind: 'failed', reason: 'the "start" action exited with 3: no such container ***' });
  });

  it('gives up on a command that does not finish in time', async () => {
    const perform = createActionPerformer({ ...base, timeoutMs: 200, commands: { restart: 'node -e "setInterval(() => {}, 1000)"' } });
    expect(await perform('restart')).toEqual({ performed: false, kind: 'failed', reason: 'the "restart" action did not finish within 200 ms' });
  });

  it('without a command and without an operator (CI) the action is unavailable, never silently done', async () => {
    const outcome = await createActionPerformer(base)('disconnect');
    expect(outcome).toMatchObject({ performed: false, kind: 'unavailable' });
    expect(outcome.performed ? '' : outcome.reason).toMatch(/no "disconnect" action .* no operator to ask/);
  });

  it('an embedded action that throws is a failure, not an exception', async () => {
    const perform = createActionPerformer({ ...base, builtIn: { disconnect: () => Promise.reject(new Error('the device was not connected')) } });
    expect(await perform('disconnect')).toEqual({ performed: false, kind: 'failed', reason: 'embedded disconnect failed: the device was not connected' });
  });
});

describe('action channel', () => {
  it('carries a request from the check worker to the performer and the outcome back', async () => {
    const asked: string[] = [];
    const channel = await openActionChannel(async (name) => {
      asked.push(name);
      return { performed: true, how: 'test' };
    });
    try {
      expect(channel.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(await requestAction(channel, 'restart', AbortSignal.timeout(5000))).toEqual({ performed: true, how: 'test' });
      expect(asked).toEqual(['restart']);
    } finally {
      await channel.close();
    }
  });

  it('refuses a request without the token and an unknown action', async () => {
    const channel = await openActionChannel(async () => ({ performed: true, how: 'test' }));
    try {
      expect(await requestAction({ url: channel.url, token: 'guess' }, 'restart', AbortSignal.timeout(5000))).toEqual({
        performed: false,
        kind: 'failed',
        reason: 'the action channel answered 403',
      });
      const unknown = await fetch(`${channel.url}/action/reboot`, { method: 'POST', headers: { authorization: `Bearer ${channel.token}` } });
      expect(unknown.status).toBe(404);
    } finally {
      await channel.close();
    }
  });

  it('a run without a channel has no actions', async () => {
    expect(await requestAction(null, 'stop', AbortSignal.timeout(1000))).toMatchObject({ performed: false, kind: 'unavailable' });
  });
});
