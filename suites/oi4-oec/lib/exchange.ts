import type { CheckContext } from '../../../harness/engine/index.js';
import {
  mamIdentityOf,
  Oi4Session,
  oi4IdentifierFromMam,
  parseTopic,
  payloadOf,
  sourceOf,
  type Answer,
  type GetExchange,
  type GetOptions,
  type Resource,
} from '../../../harness/protocols/oi4/index.js';
import { add, dataSetMessageRules, entriesOf, networkMessageRules, topicRules, type Problems } from './rules.js';
import { ownResources } from './shape.js';


/** The requirements the envelope rules decide on any answer. */
export const ENVELOPE_REQUIREMENTS = [
  'OI4-ENV-001',
  'OI4-ENV-002',
  'OI4-ENV-003',
  'OI4-ENV-004',
  'OI4-ENV-005',
  'OI4-ENV-008',
  'OI4-ENV-009',
  'OI4-ID-001',
  'OI4-ID-002',
  'OI4-ID-003',
  'OI4-ID-005',
  'OI4-ID-006',
  'OI4-TOP-001',
  'OI4-TOP-002',
  'OI4-TOP-003',
  'OI4-TOP-004',
  'OI4-TOP-005',
] as const;

/** Runs a body with an OI4 session bound to the check's evidence and deadline; always closes it. */
export async function withSession<T>(ctx: CheckContext, body: (session: Oi4Session) => Promise<T>, options: { subscriptionQos?: 0 | 1 } = {}): Promise<T> {
  const { appId, serviceType } = ctx.mqtt.oi4;
  if (!serviceType || appId === 'discover') throw new Error('the target was not resolved by the preflight');
  const session = await Oi4Session.open({
    broker: ctx.mqtt.broker,
    connectTimeoutMs: ctx.parameter('connectTimeoutMs'),
    signal: ctx.signal,
    log: ctx.mqttLog,
    purpose: ctx.checkId,
    appId,
    serviceType,
    ...options,
  });
  try {
    return await body(session);
  } finally {
    await session.close();
  }
}

/** Sends a Get to the target with the profile's response timeout. */
export function get(ctx: CheckContext, session: Oi4Session, options: Omit<GetOptions, 'timeoutMs'>): Promise<GetExchange> {
  return session.get({ ...options, timeoutMs: ctx.parameter('responseTimeoutMs'), graceMs: ctx.parameter('silenceWindowMs') });
}

/** One sentence naming a Get, for messages. */
export function describeGet(exchange: GetExchange): string {
  return `Get ${exchange.resource} on ${exchange.requestTopic}`;
}

/**
 * Applies every envelope, identifier and topic rule to an answer. Requirements in `decide` are decided
 * (PASS when no rule found a problem); problems of other requirements are returned for the caller.
 */
export function judgeAnswer(
  ctx: CheckContext,
  answer: Answer,
  resource: Resource,
  decide: readonly string[],
  extra?: (problems: Problems) => void,
): Problems {
  const problems: Problems = new Map();
  const { topic } = answer.received;
  topicRules(topic, { appId: ctx.mqtt.oi4.appId, serviceType: ctx.mqtt.oi4.serviceType ?? '' }, problems);
  networkMessageRules(answer.message, topic, resource, problems);
  const parsed = parseTopic(topic);
  const entries = entriesOf(answer.message);
  if (entries.nonObjects > 0) add(problems, 'OI4-ENV-004', `Messages has ${entries.nonObjects} entr${entries.nonObjects === 1 ? 'y' : 'ies'} that are not objects`);
  dataSetMessageRules(
    entries.all,
    {
      resource,
      ...(parsed.ok && parsed.topic.source !== undefined && { topicSource: parsed.topic.source }),
      ...(parsed.ok && parsed.topic.filter !== undefined && { topicFilter: parsed.topic.filter }),
    },
    problems,
  );
  extra?.(problems);
  for (const requirement of decide) ctx.verify(requirement, problems.get(requirement) ?? []);
  return problems;
}

/**
 * The answer of an exchange, or the check ends: no answer is a violation of `answeredRequirement`
 * (when given), an unreadable message on the mirrored topic a violation of OI4-ENV-001.
 */
export function requireAnswer(ctx: CheckContext, exchange: GetExchange, answeredRequirement?: string): Answer {
  if (exchange.answer) return exchange.answer;
  if (exchange.unreadable) {
    if (ctx.declares('OI4-ENV-001')) {
      ctx.fail('OI4-ENV-001', `the message on ${exchange.unreadable.received.topic} after ${describeGet(exchange)} is not a JSON NetworkMessage: ${exchange.unreadable.problem}`);
    }
    ctx.notExecuted(`the answer to ${describeGet(exchange)} could not be read`);
  }
  if (exchange.uncorrelated || exchange.ambiguous) {
    ctx.notExecuted(`no message carried CorrelationId ${exchange.request.MessageId} after ${describeGet(exchange)}`);
  }
  if (answeredRequirement) {
    ctx.fail(answeredRequirement, `no answer to ${describeGet(exchange)} within ${ctx.parameter('responseTimeoutMs')} ms (expected on ${exchange.expectedTopic})`);
  }
  ctx.notExecuted(`no answer to ${describeGet(exchange)}`);
}

/**
 * The answer to a Get whose answer this check needs as input, not as the thing it judges: without one the
 * check ends NOT_EXECUTED, and the Get->Pub checks report the missing answer.
 */
export async function fetchAnswer(ctx: CheckContext, session: Oi4Session, options: Omit<GetOptions, 'timeoutMs'>): Promise<Answer> {
  const exchange = await get(ctx, session, options);
  if (exchange.answer) return exchange.answer;
  ctx.notExecuted(`no usable answer to ${describeGet(exchange)} (the Get->Pub checks report why)`);
}

/**
 * Gets for every mandatory resource, with and without Source, sent together and awaited together: one
 * response timeout for all, so a silent target costs one deadline rather than twelve.
 */
export function getAllResources(ctx: CheckContext, session: Oi4Session): Promise<GetExchange[]> {
  const appId = ctx.mqtt.oi4.appId;
  return Promise.all(
    ownResources().flatMap((resource) => [get(ctx, session, { resource }), get(ctx, session, { resource, source: appId })]),
  );
}

/**
 * The assets an answer to Get MAM without Source names besides the target itself, under the identifiers
 * their MAMs describe: a gateway that files an asset under a wrong Source still has the asset asked for
 * under its own identifier. The target's own entry is the one with its AppId as Source.
 */
export function assetsOfMamAnswer(answer: Answer, appId: string): { source: string; hardwareRevision: unknown }[] {
  return entriesOf(answer.message).resources.flatMap((dsm) => {
    if (sourceOf(dsm) === appId) return [];
    const payload = payloadOf(dsm);
    const identity = mamIdentityOf(payload);
    const source = identity ? oi4IdentifierFromMam(identity) : sourceOf(dsm);
    const hardwareRevision = (payload as { HardwareRevision?: unknown } | undefined)?.HardwareRevision;
    return typeof source === 'string' && source !== appId ? [{ source, hardwareRevision }] : [];
  });
}
