import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { readYamlFile } from '../catalog/index.js';
import { compileValidator, ConfigError, ENV_REFERENCE, targetFileSchema, type AasAccess, type OpcUaAccess, type ResolvedTarget, type TargetFile } from '../model/index.js';
import { interpolateEnv } from './interpolate.js';

const validateTargetFile = compileValidator<TargetFile>(targetFileSchema);

/** A path as messages show it: relative to the working directory when it lies below it. */
export function shownPath(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
}

/** Loads, validates and resolves a target file. Paths in it are relative to the file. */
export function loadTargetFile(file: string, env: NodeJS.ProcessEnv = process.env): ResolvedTarget {
  const shown = relative(process.cwd(), file) || file;
  const raw = readYamlFile(file);
  const checked = validateTargetFile(raw);
  if (!checked.ok) {
    const [first, ...rest] = checked.problems.map((p) =>
      p.includes(ENV_REFERENCE) ? p.replace(/must match pattern .*$/, 'must be an environment reference such as ${MY_SECRET}: secrets are never written in target files') : p,
    );
    throw new ConfigError(`${shown}: ${first}${rest.length ? ` (and ${rest.length} more: ${rest.join('; ')})` : ''}`);
  }
  const spec = interpolateEnv(checked.value, env, shown);
  const base = dirname(resolve(file));
  const readPem = (field: string, path: string): string => {
    try {
      return readFileSync(resolve(base, path), 'utf8');
    } catch (error) {
      throw new ConfigError(`${shown}: ${field}: cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
    }
  };
  const common = {
    name: spec.name,
    origin: 'file' as const,
    reference: file,
    parameters: spec.parameters ?? {},
    claims: spec.claims ?? [],
    actions: spec.actions ?? {},
    faults: [],
  };
  if (spec.kind === 'aas') {
    if (spec.broker || spec.oi4 || spec.opcua) throw new ConfigError(`${shown}: a target of kind aas takes no broker, oi4 or opcua section`);
    if (!spec.aas || !checked.value.aas) throw new ConfigError(`${shown}: a target of kind aas needs an aas section with baseUrl`);
    return { ...common, kind: 'aas', aas: aasAccess(spec.aas, checked.value.aas, (path) => readPem('aas.tls.ca', path)) };
  }
  if (spec.aas) throw new ConfigError(`${shown}: an aas section belongs to a target of kind aas, not ${spec.kind}`);
  const opcua = spec.opcua && opcuaAccess(spec.opcua, (field, path) => readPem(`opcua.${field}`, path));
  if (spec.kind === 'opcua') {
    if (spec.broker || spec.oi4) throw new ConfigError(`${shown}: a target of kind opcua takes no broker or oi4 section (an OI4 asset with an OPC UA server is kind oi4-mqtt with an opcua section)`);
    if (!opcua) throw new ConfigError(`${shown}: a target of kind opcua needs an opcua section with endpointUrl`);
    return { ...common, kind: 'opcua', opcua };
  }
  if (!spec.broker) throw new ConfigError(`${shown}: a target of kind oi4-mqtt needs a broker section with url`);
  if (!spec.oi4) throw new ConfigError(`${shown}: a target of kind oi4-mqtt needs an oi4 section with appId (or appId: discover)`);
  const tls = spec.broker.tls;
  if (spec.broker.url.startsWith('mqtt://') && tls) {
    throw new ConfigError(`${shown}: broker.tls is set but broker.url uses mqtt:// (use mqtts:// for TLS)`);
  }
  if (spec.broker.mutualTlsUrl !== undefined && !tls?.cert) {
    throw new ConfigError(`${shown}: broker.mutualTlsUrl is set but broker.tls names no cert and key to log in with`);
  }
  return {
    ...common,
    kind: 'oi4-mqtt',
    broker: {
      url: spec.broker.url,
      ...(spec.broker.mutualTlsUrl !== undefined && { mutualTlsUrl: spec.broker.mutualTlsUrl }),
      ...(spec.broker.username !== undefined && { username: spec.broker.username }),
      ...(spec.broker.password !== undefined && { password: spec.broker.password }),
      clientIdPrefix: spec.broker.clientIdPrefix ?? 'oi4-conformance',
      ...(tls && {
        tls: {
          ...(tls.ca && { ca: readPem('broker.tls.ca', tls.ca), caFile: shownPath(resolve(base, tls.ca)) }),
          ...(tls.cert && { cert: readPem('broker.tls.cert', tls.cert) }),
          ...(tls.key && { key: readPem('broker.tls.key', tls.key) }),
          ...(tls.passphrase && { passphrase: tls.passphrase }),
          rejectUnauthorized: tls.rejectUnauthorized ?? true,
          ...(tls.servername && { servername: tls.servername }),
        },
      }),
    },
    oi4: { appId: spec.oi4.appId, ...(spec.oi4.serviceType && { serviceType: spec.oi4.serviceType }) },
    ...(opcua && { opcua }),
  };
}

type OpcUaSection = NonNullable<TargetFile['opcua']>;
type AasSection = NonNullable<TargetFile['aas']>;

/**
 * The AAS section after interpolation. A header whose value came from the environment (an API key) is a
 * secret like the credentials: `raw` is the section as written, which tells which ones did.
 */
function aasAccess(section: AasSection, raw: AasSection, readPem: (path: string) => string): AasAccess {
  const auth = section.auth;
  const secretHeaders = Object.entries(raw.headers ?? {}).filter(([, value]) => value.includes('${')).map(([name]) => name);
  return {
    baseUrl: section.baseUrl,
    ...(section.headers && { headers: { ...section.headers } }),
    ...(secretHeaders.length && { secretHeaders }),
    ...(auth?.bearer !== undefined && { auth: { kind: 'bearer' as const, token: auth.bearer } }),
    ...(auth?.oauth2 !== undefined && {
      auth: {
        kind: 'oauth2' as const,
        tokenUrl: auth.oauth2.tokenUrl,
        clientId: auth.oauth2.clientId,
        clientSecret: auth.oauth2.clientSecret,
        ...(auth.oauth2.scope !== undefined && { scope: auth.oauth2.scope }),
      },
    }),
    ...(section.tls && {
      tls: {
        ...(section.tls.ca !== undefined && { ca: readPem(section.tls.ca) }),
        ...(section.tls.rejectUnauthorized !== undefined && { rejectUnauthorized: section.tls.rejectUnauthorized }),
      },
    }),
  };
}

function opcuaAccess(section: OpcUaSection, readPem: (field: string, path: string) => string): OpcUaAccess {
  const pair = (field: 'userCertificate' | 'clientCertificate') => {
    const files = section[field];
    return files && { [field]: { cert: readPem(`${field}.cert`, files.cert), key: readPem(`${field}.key`, files.key) } };
  };
  return {
    endpointUrl: section.endpointUrl,
    ...(section.securityMode && { securityMode: section.securityMode }),
    ...(section.securityPolicy && { securityPolicy: section.securityPolicy }),
    ...(section.user && { user: { username: section.user.username, password: section.user.password } }),
    ...pair('userCertificate'),
    ...pair('clientCertificate'),
  };
}
