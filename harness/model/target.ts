import type { FromSchema } from 'json-schema-to-ts';
import { ConfigError } from './errors.js';

/** A reference to an environment variable: secrets never sit in a target file. */
export const ENV_REFERENCE = '^\\$\\{[A-Za-z_][A-Za-z0-9_]*\\}$';

/** A certificate and its private key, as PEM files (paths relative to the target file). */
const certificateFiles = {
  type: 'object',
  additionalProperties: false,
  required: ['cert', 'key'],
  properties: { cert: { type: 'string', minLength: 1 }, key: { type: 'string', minLength: 1 } },
} as const;

/** A target file (YAML) as written by a vendor or a lab; validated before interpolation. */
export const targetFileSchema = {
  $id: 'oi4-conformance/target',
  type: 'object',
  additionalProperties: false,
  // oi4-mqtt needs broker and oi4, opcua needs opcua, aas needs aas: the loader says which is missing in one line
  required: ['name', 'kind'],
  properties: {
    name: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$' },
    description: { type: 'string' },
    kind: { enum: ['oi4-mqtt', 'opcua', 'aas'] },
    broker: {
      type: 'object',
      additionalProperties: false,
      required: ['url'],
      properties: {
        url: { type: 'string', pattern: '^(mqtt|mqtts)://[^\\s]+$' },
        // the listener where a client certificate alone logs in, when it is not url (Mosquitto cannot offer
        // password-only and certificate-only logins on one listener); used by OI4-SEC-004 only
        mutualTlsUrl: { type: 'string', pattern: '^mqtts://[^\\s]+$' },
        username: { type: 'string', pattern: ENV_REFERENCE },
        password: { type: 'string', pattern: ENV_REFERENCE },
        clientIdPrefix: { type: 'string', pattern: '^[A-Za-z0-9._-]{1,32}$' },
        tls: {
          type: 'object',
          additionalProperties: false,
          properties: {
            ca: { type: 'string', minLength: 1 },
            cert: { type: 'string', minLength: 1 },
            key: { type: 'string', minLength: 1 },
            passphrase: { type: 'string', pattern: ENV_REFERENCE },
            rejectUnauthorized: { type: 'boolean' },
            servername: { type: 'string' },
          },
          dependencies: { cert: ['key'], key: ['cert'] },
        },
      },
    },
    oi4: {
      type: 'object',
      additionalProperties: false,
      required: ['appId'],
      properties: {
        appId: { type: 'string', minLength: 1 },
        serviceType: { type: 'string', minLength: 1 },
      },
    },
    // the OPC UA server: the target itself (kind opcua), or the same asset's server beside its OI4 side
    opcua: {
      type: 'object',
      additionalProperties: false,
      required: ['endpointUrl'],
      properties: {
        endpointUrl: { type: 'string', pattern: '^opc\\.tcp://[^\\s]+$' },
        securityMode: { enum: ['None', 'Sign', 'SignAndEncrypt'] },
        securityPolicy: { enum: ['None', 'Basic128Rsa15', 'Basic256', 'Basic256Sha256', 'Aes128_Sha256_RsaOaep', 'Aes256_Sha256_RsaPss'] },
        user: {
          type: 'object',
          additionalProperties: false,
          required: ['username', 'password'],
          properties: { username: { type: 'string', minLength: 1 }, password: { type: 'string', pattern: ENV_REFERENCE } },
        },
        userCertificate: certificateFiles,
        clientCertificate: certificateFiles,
      },
      dependencies: { securityPolicy: ['securityMode'] },
    },
    // an AAS server, registry or discovery service over HTTP (AAS Part 2)
    aas: {
      type: 'object',
      additionalProperties: false,
      required: ['baseUrl'],
      properties: {
        // with whatever path prefix the server uses: none is assumed
        baseUrl: { type: 'string', pattern: '^https?://[^\\s]+$' },
        // sent with every request (e.g. Edc-Bpn); a value that is a secret (an API key) comes from ${ENV}
        headers: { type: 'object', additionalProperties: { type: 'string' } },
        // one of the two: an object with exactly one member, so a mistake is reported at its own field
        auth: {
          type: 'object',
          additionalProperties: false,
          minProperties: 1,
          maxProperties: 1,
          properties: {
            bearer: { type: 'string', pattern: ENV_REFERENCE },
            oauth2: {
              type: 'object',
              additionalProperties: false,
              required: ['tokenUrl', 'clientId', 'clientSecret'],
              properties: {
                tokenUrl: { type: 'string', pattern: '^https?://[^\\s]+$' },
                clientId: { type: 'string', minLength: 1 },
                clientSecret: { type: 'string', pattern: ENV_REFERENCE },
                scope: { type: 'string' },
              },
            },
          },
        },
        tls: {
          type: 'object',
          additionalProperties: false,
          properties: { ca: { type: 'string', minLength: 1 }, rejectUnauthorized: { type: 'boolean' } },
        },
      },
    },
    parameters: { type: 'object', additionalProperties: { type: 'number', minimum: 0 } },
    claims: { type: 'array', items: { type: 'string' }, uniqueItems: true },
    actions: {
      type: 'object',
      additionalProperties: false,
      properties: {
        restart: { type: 'string' },
        disconnect: { type: 'string' },
        start: { type: 'string' },
        stop: { type: 'string' },
        event: { type: 'string' },
      },
    },
  },
} as const;

export type TargetFile = FromSchema<typeof targetFileSchema>;

/** How the harness reaches an OPC UA server, and who it logs in as. PEM text, never paths. */
export interface OpcUaAccess {
  /** opc.tcp://host:port[/path], as the target file or the embedded device gives it */
  readonly endpointUrl: string;
  /** how checks that only read connect; absent: the most secure endpoint the server offers, else None */
  readonly securityMode?: OpcUaSecurityMode;
  /** short policy name (Basic256Sha256, ...); only with securityMode */
  readonly securityPolicy?: string;
  /** a user the server knows (group user-password; also used for reading when anonymous is refused) */
  readonly user?: { readonly username: string; readonly password: string };
  /** an X.509 user the server knows (group user-certificate) */
  readonly userCertificate?: { readonly cert: string; readonly key: string };
  /**
   * The harness's own application instance certificate. Absent: a fresh one per run (a lab registers a
   * fixed one on a device that must trust its clients).
   */
  readonly clientCertificate?: { readonly cert: string; readonly key: string };
}

export const OPCUA_SECURITY_MODES = ['None', 'Sign', 'SignAndEncrypt'] as const;
export type OpcUaSecurityMode = (typeof OPCUA_SECURITY_MODES)[number];

interface TargetCommon {
  readonly name: string;
  /** 'file' for a target file, 'embedded' for embedded:<device> */
  readonly origin: 'file' | 'embedded';
  /** the file path or the embedded:<device> string, as given on the command line */
  readonly reference: string;
  readonly parameters: Readonly<Record<string, number>>;
  readonly claims: readonly string[];
  readonly actions: Readonly<Record<string, string>>;
  /** faults an embedded reference device was started with */
  readonly faults: readonly string[];
}

export interface BrokerAccess {
  readonly url: string;
  /** where a client certificate alone logs in, when it is not url (OI4-SEC-004) */
  readonly mutualTlsUrl?: string;
  readonly username?: string;
  readonly password?: string;
  readonly clientIdPrefix: string;
  /** TLS material as PEM text (read from the files the target file names) */
  readonly tls?: {
    readonly ca?: string;
    /** the file the CA was read from, for messages (relative to the working directory when below it) */
    readonly caFile?: string;
    readonly cert?: string;
    readonly key?: string;
    readonly passphrase?: string;
    readonly rejectUnauthorized: boolean;
    readonly servername?: string;
  };
}

/**
 * What the checks get to reach the target: the target file after interpolation and path resolution,
 * or what an embedded target produced. Holds secrets: it travels to the check worker, never into a report.
 */
export interface MqttTarget extends TargetCommon {
  readonly kind: 'oi4-mqtt';
  readonly broker: BrokerAccess;
  readonly oi4: {
    /** a DNP-encoded Oi4Identifier, or 'discover' until discovery ran */
    readonly appId: string;
    readonly serviceType?: string;
  };
  /** the OPC UA server of the same asset (itself, or the device behind a gateway), for the cross-protocol checks */
  readonly opcua?: OpcUaAccess;
}

/** An OPC UA server on its own (opcua-device-nameplate, opcua-security). */
export interface OpcUaTarget extends TargetCommon {
  readonly kind: 'opcua';
  readonly opcua: OpcUaAccess;
}

/**
 * How the harness reaches an AAS server over HTTP (the shape harness/protocols/aas takes as its endpoint):
 * secrets already interpolated, PEM text rather than paths.
 */
export interface AasAccess {
  readonly baseUrl: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly auth?:
    | { readonly kind: 'none' }
    | { readonly kind: 'bearer'; readonly token: string }
    | { readonly kind: 'oauth2'; readonly tokenUrl: string; readonly clientId: string; readonly clientSecret: string; readonly scope?: string };
  readonly tls?: { readonly ca?: string; readonly rejectUnauthorized?: boolean };
  /** header values that came from the environment: secrets, like the credentials */
  readonly secretHeaders?: readonly string[];
}

/** An AAS server, registry or discovery service (profiles/aas-api). */
export interface AasTarget extends TargetCommon {
  readonly kind: 'aas';
  readonly aas: AasAccess;
  /** an AAS server has no OPC UA side; declared so code asking every target for one needs no kind test */
  readonly opcua?: undefined;
}

/**
 * An AAS file on disk (`check-file`): an environment as JSON or XML, or an AASX package. Not a target file
 * kind: check-file makes it from the path it is given.
 */
export interface AasFileTarget extends TargetCommon {
  readonly kind: 'aas-file';
  readonly file: {
    /** absolute path */
    readonly path: string;
    /** as messages and the report show it (relative to the working directory when below it) */
    readonly shown: string;
  };
  readonly opcua?: undefined;
}

export type ResolvedTarget = MqttTarget | OpcUaTarget | AasTarget | AasFileTarget;
export type TargetKind = ResolvedTarget['kind'];

/** The MQTT side of a target, for code that only speaks MQTT (the monitor, the OI4 suites). */
export function mqttTargetOf(target: ResolvedTarget): MqttTarget {
  if (target.kind !== 'oi4-mqtt') throw new ConfigError(`target ${target.name} is an ${target.kind} target; this needs an oi4-mqtt target (a broker)`);
  return target;
}

/** Where the target is reached, for messages and the report (never with credentials). */
export function endpointOf(target: ResolvedTarget): string {
  if (target.kind === 'aas') return target.aas.baseUrl;
  if (target.kind === 'aas-file') return target.file.shown;
  return target.kind === 'opcua' ? target.opcua.endpointUrl : target.broker.url;
}

/** The values of an AAS access that must never be shown. */
export function aasSecrets(access: AasAccess): string[] {
  const auth = access.auth;
  const credentials = !auth || auth.kind === 'none' ? [] : auth.kind === 'bearer' ? [auth.token] : [auth.clientSecret];
  const headers = (access.secretHeaders ?? []).map((name) => access.headers?.[name]);
  return [...credentials, ...headers].filter((s): s is string => typeof s === 'string' && s !== '');
}

/** Values that must be redacted wherever they could appear. */
export function secretsOf(target: ResolvedTarget): string[] {
  if (target.kind === 'aas') return aasSecrets(target.aas);
  if (target.kind === 'aas-file') return [];
  const opcua = target.opcua;
  const ua = [opcua?.user?.password, opcua?.userCertificate?.key, opcua?.clientCertificate?.key];
  if (target.kind === 'opcua') return ua.filter((s): s is string => typeof s === 'string');
  const tls = target.broker.tls;
  return [target.broker.password, tls?.passphrase, tls?.key, ...ua].filter((s): s is string => typeof s === 'string');
}
