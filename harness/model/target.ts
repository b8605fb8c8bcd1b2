import type { FromSchema } from 'json-schema-to-ts';

/** A reference to an environment variable: secrets never sit in a target file. */
export const ENV_REFERENCE = '^\\$\\{[A-Za-z_][A-Za-z0-9_]*\\}$';

/** A target file (YAML) as written by a vendor or a lab; validated before interpolation. */
export const targetFileSchema = {
  $id: 'oi4-conformance/target',
  type: 'object',
  additionalProperties: false,
  required: ['name', 'kind', 'broker', 'oi4'],
  properties: {
    name: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$' },
    description: { type: 'string' },
    kind: { const: 'oi4-mqtt' },
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

/**
 * What the checks get to reach the target: the target file after interpolation and path resolution,
 * or what an embedded target produced. Holds secrets: it travels to the check worker, never into a report.
 */
export interface ResolvedTarget {
  readonly name: string;
  readonly kind: 'oi4-mqtt';
  /** 'file' for a target file, 'embedded' for embedded:<device> */
  readonly origin: 'file' | 'embedded';
  /** the file path or the embedded:<device> string, as given on the command line */
  readonly reference: string;
  readonly broker: {
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
  };
  readonly oi4: {
    /** a DNP-encoded Oi4Identifier, or 'discover' until discovery ran */
    readonly appId: string;
    readonly serviceType?: string;
  };
  readonly parameters: Readonly<Record<string, number>>;
  readonly claims: readonly string[];
  readonly actions: Readonly<Record<string, string>>;
  /** faults an embedded reference device was started with */
  readonly faults: readonly string[];
}

/** Values that must be redacted wherever they could appear. */
export function secretsOf(target: ResolvedTarget): string[] {
  const tls = target.broker.tls;
  return [target.broker.password, tls?.passphrase, tls?.key].filter((s): s is string => typeof s === 'string');
}
