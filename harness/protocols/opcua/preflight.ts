import type { OpcUaLog } from '../../evidence/index.js';
import type { OpcUaAccess, ResolvedTarget, TargetIdentity } from '../../model/index.js';
import { readDeviceSet, readServerIdentity, textOf, type DeviceReading } from './address-space.js';
import { certificateFacts } from './certificate.js';
import { openReadSession, SessionRefusedError, type OpcUaCallOptions, type OpcUaSession } from './connection.js';
import { makeSelfSignedCertificate } from './pki.js';
import type { ValueSummary } from './summary.js';

export interface OpcUaPreflightOptions {
  readonly target: ResolvedTarget;
  readonly parameters: Readonly<Record<string, number>>;
  readonly opcuaLog: OpcUaLog;
  readonly signal?: AbortSignal;
}

export interface OpcUaPreflightResult {
  /** the access with the run's client certificate in it */
  readonly access: OpcUaAccess;
  readonly identities: readonly TargetIdentity[];
  readonly notes: readonly string[];
}

/**
 * Before any check: make the run's client certificate (one for the whole run, so a server that must trust
 * its clients is told one thumbprint), reach the server, and read BuildInfo and the DI nameplate for the
 * report. An unreachable server throws (the run is inconclusive); a server that refuses our session still
 * lets the security checks run, so that is a note, not an error.
 */
export async function opcuaAccessPreflight(access: OpcUaAccess, options: Omit<OpcUaPreflightOptions, 'target'>): Promise<OpcUaPreflightResult> {
  const notes: string[] = [];
  let withCertificate = access;
  if (!access.clientCertificate) withCertificate = { ...access, clientCertificate: await makeSelfSignedCertificate('application', 'oi4-conformance harness') };
  const thumbprint = certificateFacts(Buffer.from(withCertificate.clientCertificate!.cert.replace(/-----[A-Z ]+-----|\s/g, ''), 'base64')).thumbprint;
  notes.push(`the harness presented the client certificate ${thumbprint} (${access.clientCertificate ? 'from the target file' : 'made for this run'}); a server that checks its clients must trust it`);
  const call: OpcUaCallOptions = {
    log: options.opcuaLog,
    connectTimeoutMs: options.parameters['connectTimeoutMs'] ?? 10_000,
    requestTimeoutMs: options.parameters['requestTimeoutMs'] ?? 5_000,
    ...(options.signal && { signal: options.signal }),
  };
  let session: OpcUaSession;
  try {
    session = await openReadSession(withCertificate, call);
  } catch (error) {
    if (!(error instanceof SessionRefusedError)) throw error;
    notes.push(`the server refused a session ${error.message}; the identity could not be read`);
    return { access: withCertificate, identities: [], notes };
  }
  try {
    const identities: TargetIdentity[] = [];
    const server = await readServerIdentity(session);
    identities.push({ source: `OPC UA BuildInfo of ${access.endpointUrl}`, fields: textFields(server.buildInfo) });
    const deviceSet = await readDeviceSet(session);
    const device = deviceSet.objects.find((o) => o.isDevice);
    if (device) identities.push({ source: `OPC UA DI nameplate of ${device.browseName} (${device.nodeId}) at ${access.endpointUrl}`, fields: nameplateFields(device) });
    else notes.push(`no DI device found on ${access.endpointUrl}${deviceSet.diNamespaceIndex === null ? ' (the DI namespace is missing)' : ''}`);
    return { access: withCertificate, identities, notes };
  } finally {
    await session.close();
  }
}

export async function opcuaPreflight(options: OpcUaPreflightOptions): Promise<{ target: ResolvedTarget; identities: readonly TargetIdentity[]; notes: readonly string[] }> {
  const { target } = options;
  if (!target.opcua) throw new Error(`target ${target.name} names no OPC UA server`);
  const found = await opcuaAccessPreflight(target.opcua, options);
  return { target: { ...target, opcua: found.access } as ResolvedTarget, identities: found.identities, notes: found.notes };
}

function textFields(values: Readonly<Record<string, ValueSummary>>): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const [name, value] of Object.entries(values)) {
    const text = textOf(value) ?? (value.value === null || typeof value.value === 'object' ? undefined : String(value.value));
    if (text !== undefined) fields[name] = text;
  }
  return fields;
}

function nameplateFields(device: DeviceReading): Record<string, string> {
  return textFields(Object.fromEntries(Object.entries(device.properties).map(([name, p]) => [name, p.value])));
}
