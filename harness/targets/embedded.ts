import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ConfigError,
  didYouMean,
  type AasReferenceDevice,
  type BrokerDeviation,
  type MqttReferenceDevice,
  type OpcUaReferenceDevice,
  type ReferenceDeviceDefinition,
  type ReferenceDeviceStartOptions,
  type ResolvedTarget,
  type RunningDevice,
  type RunningOpcUaDevice,
} from '../model/index.js';
import type { BuiltInActions } from './actions.js';
import { startEmbeddedBroker, type EmbeddedBroker } from './embedded-broker.js';

export const EMBEDDED_PREFIX = 'embedded:';

export interface EmbeddedTarget {
  readonly target: ResolvedTarget;
  /** the in-process broker of an MQTT device; an OPC UA device is its own server */
  readonly broker?: EmbeddedBroker;
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
  /**
   * Runs an MQTT device on this broker instead of an in-process one: the shared broker of a plugfest, where
   * several devices meet. Broker faults and the security group need the harness's own broker and are refused.
   */
  readonly brokerUrl?: string;
  /** distinguishes several instances of one device on a shared broker (their AppIds differ) */
  readonly serialNumber?: string;
}

/** The optional group that makes the embedded broker a secured one. */
export const SECURITY_GROUP = 'security';
/** The one account of a secured embedded broker; its password is made per run. */
export const EMBEDDED_USERNAME = 'oi4-conformance';
/** The shape of a per-run password: distinctive, so that a test can prove none ever leaks into a report. */
export const EMBEDDED_PASSWORD_PATTERN = /oi4c-pw-[0-9a-f]{32}/;

/** Starts an embedded target of either kind: the device with what it needs (a broker, a work folder). */
export function startEmbeddedTarget(device: ReferenceDeviceDefinition, faults: readonly string[], options: EmbeddedTargetOptions = {}): Promise<EmbeddedTarget> {
  checkFaults(device, faults);
  if (device.targetKind === 'aas') return startAasTarget(device, faults, options);
  return device.targetKind === 'opcua' ? startOpcUaTarget(device, faults, options) : startMqttTarget(device, faults, options);
}

/** An AAS reference server runs in-process on a free loopback port; restart brings it back on the same one. */
async function startAasTarget(device: AasReferenceDevice, faults: readonly string[], options: EmbeddedTargetOptions): Promise<EmbeddedTarget> {
  const claims = embeddedClaims(device, faults, options.claims ?? []);
  let port = 0;
  const slot = deviceSlot(async () => {
    const running = await device.start({ faults, port });
    port = Number(new URL(running.access.baseUrl).port);
    return running;
  });
  const first = await slot.start();
  return {
    target: {
      name: faults.length ? `${device.name}+${faults.join('+')}` : device.name,
      kind: 'aas',
      origin: 'embedded',
      reference: `${EMBEDDED_PREFIX}${device.name}`,
      aas: first.access,
      parameters: options.parameters ?? {},
      claims,
      actions: {},
      faults: [...faults],
    },
    actions: { stop: slot.stop, start: async () => void (await slot.start()), restart: slot.restart },
    stop: slot.stop,
  };
}

/**
 * An OPC UA reference device runs its own server on a free loopback port. Its PKI lives in a folder made for
 * this run and removed at its end, never below the user's home.
 */
async function startOpcUaTarget(device: OpcUaReferenceDevice, faults: readonly string[], options: EmbeddedTargetOptions): Promise<EmbeddedTarget> {
  const claims = embeddedClaims(device, faults, options.claims ?? []);
  const workDir = mkdtempSync(join(tmpdir(), `oi4c-${device.name}-`));
  const removeWorkDir = () => rmSync(workDir, { recursive: true, force: true });
  // a restarted device comes back on the same port (it remembers it in workDir), so the endpoint stays right
  const slot = deviceSlot(() => device.start({ faults, workDir }));
  let first: RunningOpcUaDevice;
  try {
    first = await slot.start();
  } catch (error) {
    removeWorkDir();
    throw error;
  }
  return {
    target: {
      name: faults.length ? `${device.name}+${faults.join('+')}` : device.name,
      kind: 'opcua',
      origin: 'embedded',
      reference: `${EMBEDDED_PREFIX}${device.name}`,
      opcua: first.access,
      parameters: options.parameters ?? {},
      claims,
      actions: {},
      faults: [...faults],
    },
    actions: { stop: slot.stop, start: async () => void (await slot.start()), restart: slot.restart },
    async stop() {
      try {
        await slot.stop();
      } finally {
        removeWorkDir();
      }
    },
  };
}

/** The one running instance of a device, for the built-in stop, start and restart actions. */
function deviceSlot<Running extends { stop(): Promise<void> }>(start: () => Promise<Running>) {
  let running: Running | undefined;
  const slot = {
    get current(): Running | undefined {
      return running;
    },
    /** starts the device unless it runs; resolves to the running instance */
    async start(): Promise<Running> {
      running ??= await start();
      return running;
    },
    async stop(): Promise<void> {
      const current = running;
      running = undefined;
      await current?.stop();
    },
    async restart(): Promise<void> {
      await slot.stop();
      running = await start();
    },
  };
  return slot;
}

/**
 * Starts an in-process broker and the reference device on it; stop() tears both down. A target that claims
 * security gets a TLS broker with a per-run PKI and password. Broker faults (FaultDefinition.broker) go to the
 * broker; the device is started with its own faults only.
 */
async function startMqttTarget(device: MqttReferenceDevice, faults: readonly string[], options: EmbeddedTargetOptions): Promise<EmbeddedTarget> {
  const claims = embeddedClaims(device, faults, options.claims ?? []);
  const brokerFaults = device.faults.filter((f) => f.broker && faults.includes(f.name));
  const deviceFaults = faults.filter((name) => !brokerFaults.some((f) => f.name === name));
  const deviation = brokerFaults.reduce<BrokerDeviation>((all, f) => ({ ...all, ...f.broker }), {});
  const secured = claims.includes(SECURITY_GROUP);
  if (options.brokerUrl !== undefined) {
    if (brokerFaults.length) throw new ConfigError(`fault(s) ${brokerFaults.map((f) => f.name).join(', ')} change the broker, and need the embedded one: leave out the broker URL`);
    if (secured) throw new ConfigError(`the "${SECURITY_GROUP}" group needs the embedded TLS broker: leave out the broker URL`);
  }
  let pki: EmbeddedPki | undefined;
  let account: { username: string; password: string } | undefined;
  if (secured) {
    if (!options.pki) throw new Error(`embedded target ${device.name}: claiming "${SECURITY_GROUP}" needs a test PKI, and none was given`);
    account = { username: EMBEDDED_USERNAME, password: `oi4c-pw-${randomBytes(16).toString('hex')}` };
    if (!deviation.plainListener) pki = await options.pki();
  }
  let broker: EmbeddedBroker;
  try {
    broker = options.brokerUrl !== undefined ? sharedBroker(options.brokerUrl) : await startEmbeddedBroker({
      ...(pki && { tls: { ca: pki.ca, cert: pki.serverCert, key: pki.serverKey } }),
      ...(account && { account }),
      deviation,
    });
  } catch (error) {
    pki?.dispose();
    throw error;
  }
  // a device that is also an OPC UA server keeps its PKI here, for this run only
  const workDir = mkdtempSync(join(tmpdir(), `oi4c-${device.name}-`));
  const startOptions: ReferenceDeviceStartOptions = {
    workDir,
    brokerUrl: broker.url,
    faults: deviceFaults,
    ...(account && { username: account.username, password: account.password }),
    ...(pki && { ca: pki.ca }),
    ...(options.healthIntervalMs && { healthIntervalMs: options.healthIntervalMs }),
    ...(options.serialNumber !== undefined && { serialNumber: options.serialNumber }),
    claims,
  };
  const slot = deviceSlot(() => device.start(startOptions));
  let first: RunningDevice;
  try {
    first = await slot.start();
  } catch (error) {
    await broker.close();
    pki?.dispose();
    rmSync(workDir, { recursive: true, force: true });
    throw error;
  }
  const actions: BuiltInActions = {
    stop: slot.stop,
    start: async () => void (await slot.start()),
    restart: slot.restart,
    event: async () => {
      const running = slot.current;
      if (!running?.publishEvents) throw new Error(`${device.name} publishes no Events${running ? '' : ' (it is stopped)'}`);
      await running.publishEvents();
    },
    disconnect: async () => {
      if (options.brokerUrl !== undefined) {
        // on a shared broker other devices are connected too: the device drops its own connection
        const running = slot.current;
        if (!running?.dropConnection) throw new Error(`${device.name} cannot drop its connection${running ? '' : ' (it is stopped)'}`);
        await running.dropConnection();
        return;
      }
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
    ...(first.opcua && { opcua: first.opcua }),
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
        await slot.stop();
      } finally {
        try {
          await broker.close();
        } finally {
          pki?.dispose();
          rmSync(workDir, { recursive: true, force: true });
        }
      }
    },
  };
}

/** A broker someone else runs: nothing to close, and its clients are not ours to drop. */
function sharedBroker(url: string): EmbeddedBroker {
  return {
    url,
    port: Number(new URL(url).port),
    dropClients: () => 0,
    close: async () => {},
  };
}

/** What an embedded target claims: the device's own groups, those its faults need, and any asked for on the command line. */
function embeddedClaims(device: ReferenceDeviceDefinition, faults: readonly string[], asked: readonly string[]): string[] {
  const fromFaults = device.faults.filter((f) => faults.includes(f.name)).flatMap((f) => f.claims ?? []);
  return [...new Set([...(device.claims ?? []), ...fromFaults, ...asked])];
}
