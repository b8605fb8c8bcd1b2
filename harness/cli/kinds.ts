import { referenceDevices } from '../../fixtures/devices/index.js';
import { generateRunPki, OpensslMissingError } from '../../fixtures/pki/generate.js';
import type { Preflight } from '../engine/node.js';
import { ConfigError } from '../model/index.js';
import { aasFilePreflight } from '../protocols/aas/file-preflight.js';
import { aasPreflight } from '../protocols/aas/preflight.js';
import { oi4Preflight } from '../protocols/oi4/preflight.js';
import { opcuaAccessPreflight, opcuaPreflight } from '../protocols/opcua/index.js';
import type { DeviceRegistry, EmbeddedPki } from '../targets/index.js';

/** The wiring of target kinds: the only place that knows which protocol prepares which kind of target. */
const PREFLIGHTS: Readonly<Record<string, Preflight>> = {
  'oi4-mqtt': mqttWithOpcUaPreflight,
  opcua: opcuaPreflight,
  aas: aasPreflight,
  'aas-file': aasFilePreflight,
};

/** An OI4 target that names its OPC UA server too (cross-protocol checks): both sides are reached and read. */
async function mqttWithOpcUaPreflight(options: Parameters<Preflight>[0]): ReturnType<Preflight> {
  const oi4 = await oi4Preflight(options);
  if (!oi4.target.opcua) return oi4;
  const opcua = await opcuaAccessPreflight(oi4.target.opcua, options);
  return { target: { ...oi4.target, opcua: opcua.access }, identities: [...oi4.identities, ...opcua.identities], notes: [...oi4.notes, ...opcua.notes] };
}

export function preflightFor(kind: string): Preflight {
  const preflight = PREFLIGHTS[kind];
  if (!preflight) throw new ConfigError(`target kind "${kind}" is not supported; known: ${Object.keys(PREFLIGHTS).join(', ')}`);
  return preflight;
}

export const devices: DeviceRegistry = referenceDevices;

/** The test PKI of an embedded target that claims security: made per run with openssl, removed at its end. */
export async function embeddedPki(): Promise<EmbeddedPki> {
  try {
    return await generateRunPki();
  } catch (error) {
    // a missing tool is the environment's to fix: one line, exit 2
    if (error instanceof OpensslMissingError) throw new ConfigError(`--claim security: ${error.message}`);
    throw error;
  }
}
