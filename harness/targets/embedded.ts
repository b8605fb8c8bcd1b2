import { ConfigError, didYouMean, type ReferenceDeviceDefinition, type ResolvedTarget, type RunningDevice } from '../model/index.js';
import type { BuiltInActions } from './actions.js';
import { startEmbeddedBroker, type EmbeddedBroker } from './embedded-broker.js';

export const EMBEDDED_PREFIX = 'embedded:';

export interface EmbeddedTarget {
  readonly target: ResolvedTarget;
  readonly broker: EmbeddedBroker;
  /** restart, stop, start and an ungraceful disconnect, performed in-process */
  readonly actions: BuiltInActions;
  stop(): Promise<void>;
}

export type DeviceRegistry = Readonly<Record<string, ReferenceDeviceDefinition>>;

export function findDevice(devices: DeviceRegistry, name: string): ReferenceDeviceDefinition {
  const device = devices[name];
  if (device) return device;
  const hint = didYouMean(name, Object.keys(devices));
  throw new ConfigError(`unknown reference device "${name}"${hint ? ` (did you mean "${hint}"?)` : ''}; known: ${Object.keys(devices).join(', ')}`);
}

export function checkFaults(device: ReferenceDeviceDefinition, faults: readonly string[]): void {
  const known = device.faults.map((f) => f.name);
  for (const fault of faults) {
    if (!known.includes(fault)) {
      const hint = didYouMean(fault, known);
      throw new ConfigError(
        `unknown fault "${fault}" for ${device.name}${hint ? ` (did you mean "${hint}"?)` : ''}; list them with "oi4-conformance reference ${device.name} --list-faults"`,
      );
    }
  }
}

/** Starts an in-process broker and the reference device on it; stop() tears both down. */
export async function startEmbeddedTarget(
  device: ReferenceDeviceDefinition,
  faults: readonly string[],
  options: { healthIntervalMs?: number; parameters?: Readonly<Record<string, number>>; claims?: readonly string[] } = {},
): Promise<EmbeddedTarget> {
  checkFaults(device, faults);
  const broker = await startEmbeddedBroker();
  const startOptions = { brokerUrl: broker.url, faults, ...(options.healthIntervalMs && { healthIntervalMs: options.healthIntervalMs }) };
  let running: RunningDevice | undefined;
  try {
    running = await device.start(startOptions);
  } catch (error) {
    await broker.close();
    throw error;
  }
  const first = running;
  const stopDevice = async () => {
    const current = running;
    running = undefined;
    await current?.stop();
  };
  const actions: BuiltInActions = {
    stop: stopDevice,
    start: async () => {
      if (!running) running = await device.start(startOptions);
    },
    restart: async () => {
      await stopDevice();
      running = await device.start(startOptions);
    },
    event: async () => {
      if (!running?.publishEvents) throw new Error(`${device.name} publishes no Events${running ? '' : ' (it is stopped)'}`);
      await running.publishEvents();
    },
    disconnect: async () => {
      // the harness's own clients are named oi4-conformance-*; everything else on this broker is the device
      if (broker.dropClients((id) => !id.startsWith('oi4-conformance')) === 0) throw new Error('the device was not connected');
    },
  };
  const target: ResolvedTarget = {
    name: faults.length ? `${device.name}+${faults.join('+')}` : device.name,
    kind: device.targetKind,
    origin: 'embedded',
    reference: `${EMBEDDED_PREFIX}${device.name}`,
    broker: { url: broker.url, clientIdPrefix: 'oi4-conformance' },
    oi4: { appId: first.appId, serviceType: first.serviceType },
    parameters: options.parameters ?? {},
    claims: embeddedClaims(device, faults, options.claims ?? []),
    actions: {},
    faults: [...faults],
  };
  return {
    target,
    broker,
    actions,
    async stop() {
      try {
        await stopDevice();
      } finally {
        await broker.close();
      }
    },
  };
}

/** What an embedded target claims: the device's own groups, those its faults need, and any asked for on the command line. */
function embeddedClaims(device: ReferenceDeviceDefinition, faults: readonly string[], asked: readonly string[]): string[] {
  const fromFaults = device.faults.filter((f) => faults.includes(f.name)).flatMap((f) => f.claims ?? []);
  return [...new Set([...(device.claims ?? []), ...fromFaults, ...asked])];
}
