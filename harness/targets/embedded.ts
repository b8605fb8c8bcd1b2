import { ConfigError, didYouMean, type ReferenceDeviceDefinition, type ResolvedTarget, type RunningDevice } from '../model/index.js';
import { startEmbeddedBroker, type EmbeddedBroker } from './embedded-broker.js';

export const EMBEDDED_PREFIX = 'embedded:';

export interface EmbeddedTarget {
  readonly target: ResolvedTarget;
  readonly device: RunningDevice;
  readonly broker: EmbeddedBroker;
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
  options: { healthIntervalMs?: number; parameters?: Readonly<Record<string, number>> } = {},
): Promise<EmbeddedTarget> {
  checkFaults(device, faults);
  const broker = await startEmbeddedBroker();
  let running: RunningDevice;
  try {
    running = await device.start({ brokerUrl: broker.url, faults, ...(options.healthIntervalMs && { healthIntervalMs: options.healthIntervalMs }) });
  } catch (error) {
    await broker.close();
    throw error;
  }
  const target: ResolvedTarget = {
    name: faults.length ? `${device.name}+${faults.join('+')}` : device.name,
    kind: device.targetKind,
    origin: 'embedded',
    reference: `${EMBEDDED_PREFIX}${device.name}`,
    broker: { url: broker.url, clientIdPrefix: 'oi4-conformance' },
    oi4: { appId: running.appId, serviceType: running.serviceType },
    parameters: options.parameters ?? {},
    claims: [],
    actions: {},
    faults: [...faults],
  };
  return {
    target,
    device: running,
    broker,
    async stop() {
      try {
        await running.stop();
      } finally {
        await broker.close();
      }
    },
  };
}
