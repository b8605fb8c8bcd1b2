import type { MqttLog } from '../../evidence/index.js';
import { ConfigError, mqttTargetOf, type MqttTarget, type ResolvedTarget, type TargetIdentity } from '../../model/index.js';
import { MqttConnection, type ReceivedMessage } from '../mqtt/connection.js';
import { dataSetMessagesOf, parseNetworkMessage, payloadOf } from './envelope.js';
import { Oi4Session } from './session.js';
import { parseTopic } from './topic.js';

export interface PreflightResult {
  /** the target with appId and serviceType known */
  readonly target: MqttTarget;
  /** the MAM, when it could be read */
  readonly identities: readonly TargetIdentity[];
  /** things the report should say, e.g. why the identity is missing */
  readonly notes: readonly string[];
}

export interface PreflightOptions {
  readonly target: ResolvedTarget;
  readonly parameters: Readonly<Record<string, number>>;
  readonly log: MqttLog;
  readonly signal?: AbortSignal;
}

const DISCOVER = 'discover';

/**
 * Before any check: reach the broker, learn the target's AppId if the target file says "discover", and read
 * its MAM for the report's identity. A broker problem throws BrokerError (the run is inconclusive).
 */
export async function oi4Preflight(options: PreflightOptions): Promise<PreflightResult> {
  const { parameters, log, signal } = options;
  let target = mqttTargetOf(options.target);
  const connectTimeoutMs = parameters['connectTimeoutMs'] ?? 10_000;
  if (target.oi4.appId !== DISCOVER && !target.oi4.serviceType) {
    throw new ConfigError(`target ${target.name}: oi4.serviceType is required when oi4.appId is given (or set oi4.appId: discover)`);
  }
  if (target.oi4.appId === DISCOVER) {
    const found = await discover(target, parameters['discoveryTimeoutMs'] ?? 65_000, connectTimeoutMs, log, signal);
    target = { ...target, oi4: { appId: found.appId, serviceType: found.serviceType } };
  }
  const session = await Oi4Session.open({
    broker: target.broker,
    connectTimeoutMs,
    log,
    purpose: 'preflight',
    appId: target.oi4.appId,
    serviceType: target.oi4.serviceType!,
    ...(signal && { signal }),
  });
  try {
    const exchange = await session.get({ resource: 'MAM', source: target.oi4.appId, timeoutMs: parameters['responseTimeoutMs'] ?? 2000 });
    const payload = exchange.answer ? dataSetMessagesOf(exchange.answer.message).messages.map(payloadOf)[0] : undefined;
    if (payload && typeof payload === 'object' && !Array.isArray(payload)) {
      return { target, identities: [{ source: `OI4 MAM from ${exchange.expectedTopic}`, fields: flattenIdentity(payload as Record<string, unknown>) }], notes: [] };
    }
    return { target, identities: [], notes: [`the target's identity could not be read: no readable answer to Get MAM on ${exchange.requestTopic}`] };
  } finally {
    await session.close();
  }
}

/** The first MAM or Health publication seen names the target (facts 6.3: both are published unasked). */
async function discover(
  target: MqttTarget,
  timeoutMs: number,
  connectTimeoutMs: number,
  log: MqttLog,
  signal: AbortSignal | undefined,
): Promise<{ appId: string; serviceType: string }> {
  const connection = await MqttConnection.open({ broker: target.broker, connectTimeoutMs, log, purpose: 'discovery', ...(signal && { signal }) });
  try {
    const wanted = target.oi4.serviceType;
    const found = await new Promise<{ appId: string; serviceType: string } | undefined>((resolve) => {
      const timer = setTimeout(() => finish(undefined), timeoutMs);
      const stop = connection.onMessage((message: ReceivedMessage) => {
        const parsed = parseTopic(message.topic);
        if (!parsed.ok || parsed.topic.method !== 'Pub' || !['MAM', 'Health'].includes(parsed.topic.resource)) return;
        if (wanted && parsed.topic.serviceType !== wanted) return;
        if (!parseNetworkMessage(message.payload).ok) return;
        connection.record(message);
        finish({ appId: parsed.topic.appId, serviceType: parsed.topic.serviceType });
      });
      const onAbort = () => finish(undefined);
      signal?.addEventListener('abort', onAbort, { once: true });
      function finish(value: { appId: string; serviceType: string } | undefined) {
        clearTimeout(timer);
        stop();
        signal?.removeEventListener('abort', onAbort);
        resolve(value);
      }
      void connection.subscribe(['Oi4/+/+/+/+/+/Pub/MAM/#', 'Oi4/+/+/+/+/+/Pub/Health/#']);
    });
    if (!found) {
      throw new DiscoveryError(
        `no OI4 application announced itself (Pub/MAM or Pub/Health${wanted ? ` with ServiceType ${wanted}` : ''}) within discoveryTimeoutMs (${timeoutMs} ms)`,
      );
    }
    return found;
  } finally {
    await connection.close();
  }
}

/** Nothing to test: no target showed up. The run is inconclusive (ERROR), the target file may name the AppId. */
export class DiscoveryError extends Error {
  override readonly name = 'DiscoveryError';
}

/** MAM fields as flat strings for the report header: LocalizedText becomes its Text. */
function flattenIdentity(mam: Record<string, unknown>): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const [key, value] of Object.entries(mam)) {
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') fields[key] = String(value);
    else if (value && typeof value === 'object' && typeof (value as { Text?: unknown }).Text === 'string') fields[key] = (value as { Text: string }).Text;
  }
  return fields;
}
