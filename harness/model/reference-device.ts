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
}

export interface RunningDevice {
  /** the device's Oi4Identifier as it appears in topics (DNP-encoded) */
  readonly appId: string;
  readonly serviceType: string;
  /** graceful stop: disconnect cleanly and release every timer */
  stop(): Promise<void>;
  /** publishes Events on request (the `event` action); absent when the device publishes none */
  publishEvents?(): Promise<void>;
}

export interface ReferenceDeviceDefinition {
  readonly name: string;
  readonly description: string;
  /** what the device needs from a target: today only an MQTT broker */
  readonly targetKind: 'oi4-mqtt';
  /** the profile a clean instance must pass; used by `npm start` and the self-test matrix */
  readonly defaultProfile: string;
  /** the optional groups a clean instance implements: an embedded target claims them */
  readonly claims?: readonly string[];
  readonly faults: readonly FaultDefinition[];
  start(options: ReferenceDeviceStartOptions): Promise<RunningDevice>;
}
