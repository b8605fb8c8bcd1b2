import type { CheckContext } from '../../../harness/engine/check-context.js';
import type { OpcUaAccess } from '../../../harness/model/index.js';
import {
  getEndpoints,
  openReadSession,
  SessionRefusedError,
  type OpcUaSession,
  type EndpointSummary,
  type OpcUaCallOptions,
} from '../../../harness/protocols/opcua/index.js';

/** The OPC UA server of the target; a target that names none cannot be checked here. */
export function opcuaOf(ctx: CheckContext): OpcUaAccess {
  const access = ctx.target.opcua;
  if (!access) ctx.notExecuted('the target names no OPC UA server: add an opcua section with endpointUrl to the target file');
  return access;
}

/** Deadlines from the profile, evidence into the check's OPC UA log. */
export function callOptions(ctx: CheckContext): OpcUaCallOptions {
  return { log: ctx.opcuaLog, connectTimeoutMs: ctx.parameter('connectTimeoutMs'), requestTimeoutMs: ctx.parameter('requestTimeoutMs'), signal: ctx.signal };
}

export function endpointsOf(ctx: CheckContext): Promise<EndpointSummary[]> {
  return getEndpoints(opcuaOf(ctx), callOptions(ctx));
}

/**
 * Runs a body in a session as the target's reading user, on the most secure endpoint offered (or the
 * target's chosen one). A refused session ends the check NOT_EXECUTED: the server is within its rights,
 * the target file must name a user it knows.
 */
export async function withReadSession<T>(ctx: CheckContext, body: (session: OpcUaSession) => Promise<T>): Promise<T> {
  let session: OpcUaSession;
  try {
    session = await openReadSession(opcuaOf(ctx), callOptions(ctx));
  } catch (error) {
    if (!(error instanceof SessionRefusedError)) throw error;
    ctx.notExecuted(`the server refused a session ${error.message}${error.anonymous ? '; name a user it knows in the target file (opcua.user)' : ''}`);
  }
  try {
    return await body(session);
  } finally {
    await session.close();
  }
}
