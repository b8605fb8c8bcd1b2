import type { AasAccess, OpcUaAccess } from './target.js';

/**
 * The contract between the harness and a reference device (fixtures/devices/<name>/).
 * Reference devices are our own conformant implementations of a target kind; each can be started with
 * named faults, and every fault declares the requirement ids it must break (DESIGN.md section 8).
 */

export interface FaultDefinition {
  /** kebab-case name given to `--fault` */
  readonly name: string;
  /** one line: what the device does wrong */
  readonly description: string;
  /** requirement ids this fault must turn to FAIL (MUST) or WARN (SHOULD); no other id may FAIL */
  readonly breaks: readonly string[];
  /**
   * The profiles the fault shows in, for a device with many profiles whose requirements are shared (an AAS
   * server): the self-test matrix runs the fault in these. Absent: every profile of the device holding one of
   * the broken ids.
   */
  readonly profiles?: readonly string[];
  /**
   * Optional groups the fault only shows in: an embedded target started with it claims them (a broker
   * fault needs the security group's TLS broker, for instance).
   */
  readonly claims?: readonly string[];
  /**
   * A broker fault: what the embedded broker does wrong. The embedded target applies it to its broker and
   * starts the device without it, so the device itself stays conformant.
   */
  readonly broker?: BrokerDeviation;
}

/** The deliberate deviations the embedded broker can be started with (OI4-SEC-*). */
export interface BrokerDeviation {
  /** lets in a client with neither username/password nor a client certificate */
  readonly allowAnonymous?: boolean;
  /** lets in the known username with any password */
  readonly acceptAnyPassword?: boolean;
  /** refuses a client that authenticates with a client certificate alone (password logins still work) */
  readonly refuseClientCertificates?: boolean;
  /** listens without TLS (mqtt://) although the target claims security */
  readonly plainListener?: boolean;
}

export interface ReferenceDeviceStartOptions {
  /** mqtt://127.0.0.1:<port> or mqtts://… */
  readonly brokerUrl: string;
  readonly faults: readonly string[];
  readonly username?: string;
  readonly password?: string;
  /** TLS material as PEM text, when the broker needs it */
  readonly ca?: string;
  readonly cert?: string;
  readonly key?: string;
  /** Health heartbeat interval; the guideline's 60 s unless a self-test shortens it */
  readonly healthIntervalMs?: number;
  /** distinguishes several instances of the same device on one broker */
  readonly serialNumber?: string;
  /** one line per notable event; silent when absent */
  readonly log?: (line: string) => void;
  /**
   * A folder of this run the device may write to; only a device that is also an OPC UA server needs one (its
   * PKI), and it refuses to start without it.
   */
  readonly workDir?: string;
  /** the optional groups the target claims, so a device starts what they need (an OPC UA backend, say) */
  readonly claims?: readonly string[];
}

export interface RunningDevice {
  /** the device's Oi4Identifier as it appears in topics (DNP-encoded) */
  readonly appId: string;
  readonly serviceType: string;
  /** graceful stop: disconnect cleanly and release every timer */
  stop(): Promise<void>;
  /** closes its socket without DISCONNECT (the `disconnect` action on a broker the harness does not run) */
  dropConnection?(): Promise<void>;
  /** publishes Events on request (the `event` action); absent when the device publishes none */
  publishEvents?(): Promise<void>;
  /** set when the device is also an OPC UA server (oi4-opcua-consistency): how the harness reaches it */
  readonly opcua?: OpcUaAccess;
}

interface DeviceDefinitionBase {
  readonly name: string;
  readonly description: string;
  /** the profile a clean instance must pass; used by `npm start` and the self-test matrix */
  readonly defaultProfile: string;
  /** further profiles a clean instance must pass in the self-test matrix (their faults are matched by id) */
  readonly alsoProfiles?: readonly string[];
  /** the optional groups a clean instance implements: an embedded target claims them */
  readonly claims?: readonly string[];
  readonly faults: readonly FaultDefinition[];
}

/** A device that speaks OI4 over MQTT: the embedded target gives it a broker. */
export interface MqttReferenceDevice extends DeviceDefinitionBase {
  readonly targetKind: 'oi4-mqtt';
  start(options: ReferenceDeviceStartOptions): Promise<RunningDevice>;
}

export interface OpcUaDeviceStartOptions {
  readonly faults: readonly string[];
  /**
   * A folder of this run that the device may write to (its PKI: own, trusted, rejected). The device never
   * writes anywhere else, in particular not below the user's home.
   */
  readonly workDir: string;
  /** 0 or absent: a free port on 127.0.0.1 */
  readonly port?: number;
  /** one line per notable event; silent when absent */
  readonly log?: (line: string) => void;
}

/** An OPC UA server the device runs itself; access says how the harness reaches it and who it lets in. */
export interface RunningOpcUaDevice {
  readonly access: OpcUaAccess;
  /** graceful stop: shut the server down and release every timer and socket */
  stop(): Promise<void>;
}

/** A device that is an OPC UA server (opcua-device-nameplate, opcua-security). */
export interface OpcUaReferenceDevice extends DeviceDefinitionBase {
  readonly targetKind: 'opcua';
  start(options: OpcUaDeviceStartOptions): Promise<RunningOpcUaDevice>;
}

export interface AasDeviceStartOptions {
  readonly faults: readonly string[];
  /** 0 or absent: a free port on 127.0.0.1 */
  readonly port?: number;
  /** one line per notable event; silent when absent */
  readonly log?: (line: string) => void;
}

/** An AAS server the device runs itself, in-process; access says how the harness reaches it. */
export interface RunningAasDevice {
  readonly access: AasAccess;
  /** graceful stop: close the server and every connection */
  stop(): Promise<void>;
}

/** A device that is an AAS server over HTTP (profiles/aas-api). */
export interface AasReferenceDevice extends DeviceDefinitionBase {
  readonly targetKind: 'aas';
  start(options: AasDeviceStartOptions): Promise<RunningAasDevice>;
}

export type ReferenceDeviceDefinition = MqttReferenceDevice | OpcUaReferenceDevice | AasReferenceDevice;
