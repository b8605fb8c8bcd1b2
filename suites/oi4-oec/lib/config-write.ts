/**
 * Which Config parameter the Set round trip may write, and to what. Claiming the config group lets the
 * suite write one parameter and write it back; it still picks the least risky one it can prove valid:
 * a listed alternative of a String, a Number inside its Min/Max, then a Boolean. Sensitive parameters,
 * free text, DateTime and ByteString are never touched. Free of vitest so it can be unit-tested.
 */

export interface ConfigWrite {
  /** the configuration's Filter (the Set topic's last level) */
  readonly filter: string;
  readonly group: string;
  readonly parameter: string;
  readonly from: string;
  readonly to: string;
}

interface Parameter {
  readonly Type?: unknown;
  readonly Value?: unknown;
  readonly Sensitive?: unknown;
  readonly Validation?: { readonly Min?: unknown; readonly Max?: unknown; readonly Values?: unknown };
}

const RESERVED_GROUP_KEYS = new Set(['Name', 'Description']);
const PREFERENCE = ['String', 'Number', 'Boolean'] as const;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A different valid value for one parameter, or undefined when none can be proven valid. */
export function alternativeValue(parameter: Parameter): string | undefined {
  const { Type: type, Value: value, Sensitive: sensitive, Validation: validation } = parameter;
  if (typeof value !== 'string' || sensitive === true) return undefined;
  const listed = Array.isArray(validation?.Values) ? validation.Values.map(String) : undefined;
  if (type === 'String') return listed?.find((v) => v !== value);
  if (type === 'Boolean') {
    if (!/^(true|false)$/i.test(value)) return undefined;
    return value.toLowerCase() === 'true' ? 'false' : 'true';
  }
  if (type !== 'Number') return undefined;
  const current = Number(value);
  if (value.trim() === '' || !Number.isFinite(current)) return undefined;
  if (listed) return listed.find((v) => v !== value && Number.isFinite(Number(v)));
  const min = typeof validation?.Min === 'number' ? validation.Min : -Infinity;
  const max = typeof validation?.Max === 'number' ? validation.Max : Infinity;
  const step = Number.isInteger(current) ? 1 : 0.5;
  const candidates = [current + step, current - step, min, max];
  const chosen = candidates.find((c) => Number.isFinite(c) && c !== current && c >= min && c <= max);
  return chosen === undefined ? undefined : String(chosen);
}

/** The parameter to write, from Config DataSetMessages (Filter + Payload), or undefined when none is safe. */
export function chooseConfigWrite(configurations: readonly { readonly filter: unknown; readonly payload: unknown }[]): ConfigWrite | undefined {
  const options: (ConfigWrite & { rank: number })[] = [];
  for (const { filter, payload } of configurations) {
    if (typeof filter !== 'string' || filter === '' || !isObject(payload)) continue;
    for (const [group, members] of Object.entries(payload)) {
      if (group === 'Context' || !isObject(members)) continue;
      for (const [parameter, spec] of Object.entries(members)) {
        if (RESERVED_GROUP_KEYS.has(parameter) || !isObject(spec)) continue;
        const to = alternativeValue(spec as Parameter);
        const rank = PREFERENCE.indexOf(spec['Type'] as (typeof PREFERENCE)[number]);
        if (to !== undefined && rank >= 0) options.push({ filter, group, parameter, from: spec['Value'] as string, to, rank });
      }
    }
  }
  const best = options.sort((a, b) => a.rank - b.rank)[0];
  if (!best) return undefined;
  const { rank: _rank, ...write } = best;
  return write;
}

/** The Value a Config payload shows for a parameter, if any. */
export function configValue(payload: unknown, group: string, parameter: string): unknown {
  if (!isObject(payload)) return undefined;
  const members = payload[group];
  if (!isObject(members)) return undefined;
  const spec = members[parameter];
  return isObject(spec) ? spec['Value'] : undefined;
}
