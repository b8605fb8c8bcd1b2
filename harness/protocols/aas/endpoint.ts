/**
 * How to reach an AAS server over HTTP. The values arrive already interpolated from the environment by the
 * caller (the target loader): this module never reads the environment and never logs a value.
 */

export type AasAuth =
  | { readonly kind: 'none' }
  | { readonly kind: 'bearer'; readonly token: string }
  | {
      readonly kind: 'oauth2';
      /** the token endpoint of the client-credentials grant (RFC 6749 §4.4) */
      readonly tokenUrl: string;
      readonly clientId: string;
      readonly clientSecret: string;
      /** space-separated scopes, sent only when given */
      readonly scope?: string;
    };

export interface AasTls {
  /** PEM text of the CA(s) that issued the server certificate; without it the system roots are used */
  readonly ca?: string;
  /** false only for a lab that knowingly accepts any certificate; default true */
  readonly rejectUnauthorized?: boolean;
}

export interface AasEndpoint {
  /**
   * Where the API lives, with whatever path prefix the server uses (`https://host/api/v3.0`): the prefix is kept
   * as given, since servers differ and none of them is assumed.
   */
  readonly baseUrl: string;
  /** sent with every request (e.g. `Edc-Bpn` of a Tractus-X registry) */
  readonly headers?: Readonly<Record<string, string>>;
  readonly auth?: AasAuth;
  readonly tls?: AasTls;
}

/** The values of an endpoint that must never reach evidence, logs or error messages. */
export function endpointSecrets(endpoint: AasEndpoint): string[] {
  const auth = endpoint.auth;
  if (!auth || auth.kind === 'none') return [];
  if (auth.kind === 'bearer') return [auth.token];
  return [auth.clientSecret];
}
