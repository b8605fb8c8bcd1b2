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
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ECONNREFUSED') return 'connection refused (is the server running and the port right?)';
  if (code === 'ECONNRESET') return 'the server reset the connection';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'the host name does not resolve';
  const first = error.message.split('\n').map((l) => l.trim()).find((l) => l.length > 0) ?? error.name;
  return first.length > 300 ? `${first.slice(0, 300)}…` : first;
}

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
