/** The OPC UA server could not be reached or did not complete a step in time: an ERROR of the run, not a FAIL of the target. */
export class OpcUaUnreachableError extends Error {
  override readonly name = 'OpcUaUnreachableError';
}

/** A service call did not complete within its deadline. */
export class OpcUaTimeoutError extends Error {
  override readonly name = 'OpcUaTimeoutError';
}

/**
 * One line for an error from node-opcua or the network: the first line of its message, without the stack
 * traces and multi-line dumps node-opcua sometimes puts into messages.
 */
export function describeOpcUaError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  // node-opcua wraps the cause of a failed connect in a new Error whose first line is a guess ("The connection
  // may have been rejected by server,") and whose last line is "Err = (<cause>)": the cause is what counts
  const message = /\n\s*Err = \(([\s\S]*)\)\s*$/.exec(error.message)?.[1] ?? error.message;
  const code = (error as NodeJS.ErrnoException).code ?? /\b(ECONNREFUSED|ECONNRESET|ENOTFOUND|EAI_AGAIN)\b/.exec(message)?.[1];
  if (code === 'ECONNREFUSED') return 'connection refused (is the server running and the port right?)';
  if (code === 'ECONNRESET') return 'the server reset the connection';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'the host name does not resolve';
  const first = message.split('\n').map((l) => l.trim()).find((l) => l.length > 0) ?? error.name;
  const plain = PLAIN_WORDS.find(([pattern]) => pattern.test(first));
  if (plain) return plain[1](first);
  return first.length > 300 ? `${first.slice(0, 300)}…` : first;
}

/**
 * node-opcua's words for what a server did at the transport level (OPC 10000-6 §7.1), in plain ones: the
 * hostile-server tests pin each of them.
 */
const PLAIN_WORDS: readonly (readonly [RegExp, (text: string) => string])[] = [
  [/^Timeout\(A\) in waiting for data on socket\(timeout was = (\d+) ms\)/, (t) => `no answer to Hello within ${/= (\d+) ms/.exec(t)?.[1]} ms`],
  [/^ERROR in waiting for data on socket/, () => 'the answer to Hello was not an OPC UA Acknowledge (is this an OPC UA endpoint?); the connection was closed'],
  [/^Connection aborted - ended by server/, () => 'the server closed the connection during the handshake'],
  [/^Connection Break$/, () => 'the connection broke while the secure channel was being opened (no valid answer to OpenSecureChannel)'],
];

/**
 * Races work against a deadline and the check's signal. On either, `onGiveUp` runs (it tears the connection
 * down, so node-opcua's own retries cannot keep the process busy) and the promise rejects with the reason.
 */
export async function withDeadline<T>(work: Promise<T>, ms: number, what: string, signal: AbortSignal | undefined, onGiveUp: () => void): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  const stop = new Promise<never>((_, reject) => {
    const giveUp = (error: Error) => {
      onGiveUp();
      reject(error);
    };
    timer = setTimeout(() => giveUp(new OpcUaTimeoutError(`${what}: no answer within ${ms} ms`)), ms);
    if (signal) {
      onAbort = () => giveUp(signal.reason instanceof Error ? signal.reason : new Error(`${what}: aborted`));
      if (signal.aborted) onAbort();
      else signal.addEventListener('abort', onAbort, { once: true });
    }
  });
  try {
    return await Promise.race([work, stop]);
  } finally {
    clearTimeout(timer);
    if (onAbort) signal?.removeEventListener('abort', onAbort);
    // the loser must not surface as an unhandled rejection
    work.catch(() => undefined);
  }
}
