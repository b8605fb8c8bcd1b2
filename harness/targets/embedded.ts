import { randomBytes } from 'node:crypto';
import {
  ConfigError,
  didYouMean,
  type BrokerDeviation,
  type ReferenceDeviceDefinition,
  type ReferenceDeviceStartOptions,
  type ResolvedTarget,
  type RunningDevice,
} from '../model/index.js';
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

/** The test PKI of one run (PEM text); dispose() removes whatever it left on disk. */
export interface EmbeddedPki {
  readonly ca: string;
  readonly serverCert: string;
  readonly serverKey: string;
  readonly clientCert: string;
  readonly clientKey: string;
  dispose(): void;
}

export interface EmbeddedTargetOptions {
  readonly healthIntervalMs?: number;
  readonly parameters?: Readonly<Record<string, number>>;
  readonly claims?: readonly string[];
  /**
   * Makes a fresh PKI for a target that claims security (fixtures/pki/generate.ts, wired in by the CLI: the
   * harness does not import fixtures).
   */
  readonly pki?: () => Promise<EmbeddedPki>;
}

/** The optional group that makes the embedded broker a secured one. */
export const SECURITY_GROUP = 'security';
/** The one account of a secured embedded broker; its password is made per run. */
export const EMBEDDED_USERNAME = 'oi4-conformance';
/** The shape of a per-run password: distinctive, so that a test can prove none ever leaks into a report. */
export const EMBEDDED_PASSWORD_PATTERN = /oi4c-pw-[0-9a-f]{32}/;

/**
 * Starts an in-process broker and the reference device on it; stop() tears both down. A target that claims
 * security gets a TLS broker with a per-run PKI and password. Broker faults (FaultDefinition.broker) go to the
 * broker; the device is started with its own faults only.
 */
export async function startEmbeddedTarget(device: ReferenceDeviceDefinition, faults: readonly string[], options: EmbeddedTargetOptions = {}): Promise<EmbeddedTarget> {
  checkFaults(device, faults);
  const claims = embeddedClaims(device, faults, options.claims ?? []);
  const brokerFaults = device.faults.filter((f) => f.broker && faults.includes(f.name));
  const deviceFaults = faults.filter((name) => !brokerFaults.some((f) => f.name === name));
  const deviation = brokerFaults.reduce<BrokerDeviation>((all, f) => ({ ...all, ...f.broker }), {});
  const secured = claims.includes(SECURITY_GROUP);
  let pki: EmbeddedPki | undefined;
  let account: { username: string; password: string } | undefined;
  if (secured) {
    if (!options.pki) throw new Error(`embedded target ${device.name}: claiming "${SECURITY_GROUP}" needs a test PKI, and none was given`);
    account = { username: EMBEDDED_USERNAME, password: `oi4c-pw-${randomBytes(16).toString('hex')}` };
    if (!deviation.plainListener) pki = await options.pki();
  }
  let broker: EmbeddedBroker;
  try {
    broker = await startEmbeddedBroker({
      ...(pki && { tls: { ca: pki.ca, cert: pki.serverCert, key: pki.serverKey } }),
      ...(account && { account }),
      deviation,
    });
  } catch (error) {
    pki?.dispose();
    throw error;
  }
  const startOptions: ReferenceDeviceStartOptions = {
    brokerUrl: broker.url,
    faults: deviceFaults,
    ...(account && { username: account.username, password: account.password }),
    ...(pki && { ca: pki.ca }),
    ...(options.healthIntervalMs && { healthIntervalMs: options.healthIntervalMs }),
  };
  let running: RunningDevice | undefined;
  try {
    running = await device.start(startOptions);
  } catch (error) {
    await broker.close();
    pki?.dispose();
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
    broker: {
      url: broker.url,
      clientIdPrefix: 'oi4-conformance',
      ...(account && { username: account.username, password: account.password }),
      ...(pki && { tls: { ca: pki.ca, cert: pki.clientCert, key: pki.clientKey, rejectUnauthorized: true } }),
    },
    oi4: { appId: first.appId, serviceType: first.serviceType },
    parameters: options.parameters ?? {},
    claims,
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
        try {
          await broker.close();
        } finally {
          pki?.dispose();
        }
      }
    },
  };
}

/** What an embedded target claims: the device's own groups, those its faults need, and any asked for on the command line. */
function embeddedClaims(device: ReferenceDeviceDefinition, faults: readonly string[], asked: readonly string[]): string[] {
  const fromFaults = device.faults.filter((f) => faults.includes(f.name)).flatMap((f) => f.claims ?? []);
  return [...new Set([...(device.claims ?? []), ...fromFaults, ...asked])];
}
