import { ConfigError } from '../model/index.js';

const REFERENCE = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

/**
 * Replaces ${NAME} in every string of a parsed target file with the environment's value.
 * A missing variable names the field and the variable, never a value.
 */
export function interpolateEnv<T>(value: T, env: NodeJS.ProcessEnv, where: string, path = ''): T {
  if (typeof value === 'string') {
    return value.replace(REFERENCE, (_, name: string) => {
      const resolved = env[name];
      if (resolved === undefined || resolved === '') {
        throw new ConfigError(`${where}: ${path || '(value)'} refers to environment variable ${name}, which is not set`);
      }
      return resolved;
    }) as T;
  }
  if (Array.isArray(value)) return value.map((item, i) => interpolateEnv(item, env, where, `${path}[${i}]`)) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, interpolateEnv(item, env, where, path ? `${path}.${key}` : key)]),
    ) as T;
  }
  return value;
}
