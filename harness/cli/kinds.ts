import { referenceDevices } from '../../fixtures/devices/index.js';
import type { Preflight } from '../engine/node.js';
import { ConfigError } from '../model/index.js';
import { oi4Preflight } from '../protocols/oi4/preflight.js';
import type { DeviceRegistry } from '../targets/index.js';

/** The wiring of target kinds: the only place that knows which protocol prepares which kind of target. */
const PREFLIGHTS: Readonly<Record<string, Preflight>> = {
  'oi4-mqtt': oi4Preflight,
};

export function preflightFor(kind: string): Preflight {
  const preflight = PREFLIGHTS[kind];
  if (!preflight) throw new ConfigError(`target kind "${kind}" is not supported; known: ${Object.keys(PREFLIGHTS).join(', ')}`);
  return preflight;
}

export const devices: DeviceRegistry = referenceDevices;
