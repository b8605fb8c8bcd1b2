import { describe, expect, it } from 'vitest';
import { describeOpcUaError, withDeadline } from '../../../harness/protocols/opcua/errors.js';

const wrapped = (cause: string) => new Error(`The connection may have been rejected by server,\n Err = (${cause})`);

describe('describeOpcUaError', () => {
  it('gives the cause node-opcua wraps into a connect error, not its guess', () => {
    expect(describeOpcUaError(wrapped('ACK: ERR received BadTcpServerTooBusy (0x807d0000) : too busy'))).toBe('ACK: ERR received BadTcpServerTooBusy (0x807d0000) : too busy');
  });

  it('says refused, reset and unresolvable in plain words, from the code or the text', () => {
    expect(describeOpcUaError(Object.assign(new Error('x'), { code: 'ECONNREFUSED' }))).toMatch(/^connection refused/);
    expect(describeOpcUaError(wrapped('connect ECONNREFUSED 127.0.0.1:1'))).toMatch(/^connection refused/);
    expect(describeOpcUaError(wrapped('read ECONNRESET'))).toBe('the server reset the connection');
    expect(describeOpcUaError(wrapped('getaddrinfo ENOTFOUND plc.invalid'))).toBe('the host name does not resolve');
  });

  it('turns node-opcua transport words into what the server did', () => {
    expect(describeOpcUaError(wrapped('Timeout(A) in waiting for data on socket(timeout was = 2000 ms)'))).toBe('no answer to Hello within 2000 ms');
    expect(describeOpcUaError(wrapped('Connection Break'))).toMatch(/secure channel was being opened/);
    expect(describeOpcUaError(wrapped('Connection aborted - ended by server: socket closed'))).toBe('the server closed the connection during the handshake');
  });

  it('keeps one line, cut at 300 characters', () => {
    const text = describeOpcUaError(new Error(`${'x'.repeat(400)}\n    at somewhere (file.js:1:1)`));
    expect(text).not.toContain('\n');
    expect(text).toHaveLength(301);
  });
});

describe('withDeadline', () => {
  it('rejects with the step and the deadline, and gives up on the work', async () => {
    let gaveUp = false;
    const never = new Promise<never>(() => undefined);
    await expect(withDeadline(never, 20, 'Browse', undefined, () => (gaveUp = true))).rejects.toThrow('Browse: no answer within 20 ms');
    expect(gaveUp).toBe(true);
  });

  it('rejects at once when the check is aborted', async () => {
    const controller = new AbortController();
    controller.abort(new Error('check ended'));
    await expect(withDeadline(new Promise<never>(() => undefined), 10_000, 'Read', controller.signal, () => undefined)).rejects.toThrow('check ended');
  });

  it('passes the result through when the work wins', async () => {
    await expect(withDeadline(Promise.resolve(7), 1000, 'Read', undefined, () => undefined)).resolves.toBe(7);
  });
});
