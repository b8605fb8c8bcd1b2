/**
 * Optional group "config" (facts 5.5, 6.4): Config answers Gets in every form, names each configuration in
 * its Filter, and a Set is applied, confirmed by a Status event and a republished Config that carries the
 * Set's MessageId as CorrelationId.
 */
import { check, type CheckContext } from '../../../harness/engine/index.js';
import {
  buildGetRequest,
  buildTopic,
  correlationIdOf,
  filterOf,
  HARNESS_PUBLISHER_ID,
  parseTopic,
  payloadOf,
  type NetworkMessage,
  type Oi4Session,
  type ReceivedMessage,
  type ServiceType,
} from '../../../harness/protocols/oi4/index.js';
import { describeGet, get, withSession } from '../lib/exchange.js';
import { chooseConfigWrite, configValue, type ConfigWrite } from '../lib/config-write.js';
import { envelopeNotYetJudged, getBothForms, getGroupResource, GROUP_ANSWER_REQUIREMENTS } from '../lib/group-answers.js';
import { entriesOf } from '../lib/rules.js';

const ANSWERED = { answered: 'OI4-CFG-001', payload: 'OI4-CFG-001' } as const;
/** the harness's writer id for the DataSetMessage of its Set (application ids start at 10) */
const SET_WRITER_ID = 10;

check(
  {
    id: 'oi4.config.get',
    group: 'config',
    title: 'Config: Gets without Source, with Source and per configuration are answered with valid configurations named by their Filter',
    requirements: ['OI4-CFG-001', 'OI4-CFG-002', ...GROUP_ANSWER_REQUIREMENTS],
  },
  (ctx: CheckContext) =>
    withSession(ctx, async (session) => {
      const appId = ctx.mqtt.oi4.appId;
      envelopeNotYetJudged(ctx);
      const { withSource } = await getBothForms(ctx, session, 'Config', ANSWERED);
      if (!withSource) ctx.notExecuted('Config with Source was not answered, so its configurations are unknown', ['OI4-CFG-002']);
      const entries = entriesOf(withSource.message).resources;
      const filters = entries.map(filterOf);
      ctx.verify(
        'OI4-CFG-002',
        filters.flatMap((f, i) => (typeof f === 'string' && f !== '' ? [] : [`Config entry ${i} on ${withSource.received.topic} has Filter ${JSON.stringify(f ?? null)}; expected the configuration's name`])),
      );
      for (const filter of new Set(filters.filter((f): f is string => typeof f === 'string' && f !== ''))) {
        const answer = await getGroupResource(ctx, session, { resource: 'Config', source: appId, filter }, { answered: 'OI4-CFG-002', payload: 'OI4-CFG-001' });
        if (!answer) continue;
        const seen = entriesOf(answer.message).resources.map(filterOf);
        ctx.verify('OI4-CFG-002', seen.length > 0 && seen.every((f) => f === filter) ? [] : [`Get Config/${appId}/${filter} was answered with configurations ${JSON.stringify(seen)}; expected only "${filter}"`]);
      }
    }),
);

check(
  {
    id: 'oi4.config.set-round-trip',
    group: 'config',
    title: 'Config: a Set is applied, announced by a Status event and confirmed by a republished Config correlated to the Set',
    requirements: ['OI4-CFG-003', 'OI4-CFG-004'],
  },
  (ctx: CheckContext) =>
    withSession(ctx, async (session) => {
      const appId = ctx.mqtt.oi4.appId;
      const current = await get(ctx, session, { resource: 'Config', source: appId });
      if (!current.answer) ctx.notExecuted(`no answer to ${describeGet(current)}, so there is nothing to write (oi4.config.get reports why)`);
      const configurations = entriesOf(current.answer.message).resources.map((dsm) => ({ filter: filterOf(dsm), payload: payloadOf(dsm) }));
      const write = chooseConfigWrite(configurations);
      if (!write) ctx.notExecuted('no Config parameter the suite can safely change: it writes only a String with listed Values, a Number within Min/Max or a Boolean, never a Sensitive one');

      const result = await setConfig(ctx, session, write, write.to);
      const where = `${write.filter}/${write.group}/${write.parameter}`;
      if (!result.republished) {
        const other = result.uncorrelated ? `; Config was republished with CorrelationId ${JSON.stringify(result.uncorrelated.correlationId ?? null)}` : '';
        ctx.fail('OI4-CFG-003', `after Set Config ${where} = "${write.to}" (MessageId ${result.messageId}) no Config came on ${result.pubTopic} with that CorrelationId within ${ctx.parameter('responseTimeoutMs')} ms${other}`);
      } else {
        const value = configValue(payloadOf(entriesOf(result.republished).resources[0] ?? {}), write.group, write.parameter);
        ctx.verify('OI4-CFG-003', value === write.to ? [] : [`after Set Config ${where} = "${write.to}" the republished Config shows ${JSON.stringify(value ?? null)} (was "${write.from}")`]);
      }
      const event = result.statusEvent;
      if (!event) ctx.fail('OI4-CFG-004', `after Set Config ${where} no Status event came on Oi4/<ST>/${appId}/Pub/Event/${appId}/Status/<Level> within ${ctx.parameter('responseTimeoutMs')} ms`);
      else {
        const category = (payloadOf(entriesOf(event.message).resources[0] ?? {}) as { Category?: unknown } | undefined)?.Category;
        ctx.verify('OI4-CFG-004', category === 'CAT_STATUS_1' ? [] : [`the Status event on ${event.topic} has Category ${JSON.stringify(category ?? null)}; expected CAT_STATUS_1`]);
      }

      // put the old value back; what the target does with it is not judged, only recorded in the evidence
      if (result.republished) await setConfig(ctx, session, write, write.from);
    }),
);

interface SetResult {
  readonly messageId: string;
  readonly pubTopic: string;
  readonly republished?: NetworkMessage;
  readonly uncorrelated?: { readonly correlationId: string | undefined };
  readonly statusEvent?: { readonly topic: string; readonly message: NetworkMessage };
}

/** Sends one Set Config and waits, together, for the correlated republished Config and a Status event. */
async function setConfig(ctx: CheckContext, session: Oi4Session, write: ConfigWrite, value: string): Promise<SetResult> {
  const { appId, serviceType } = ctx.mqtt.oi4;
  const topicOf = (method: 'Set' | 'Pub') =>
    buildTopic({ serviceType: serviceType as ServiceType, appId, method, resource: 'Config', source: appId, filter: write.filter });
  const request = buildGetRequest({
    publisherId: HARNESS_PUBLISHER_ID,
    resource: 'Config',
    messages: [{ DataSetWriterId: SET_WRITER_ID, Source: appId, Filter: write.filter, Payload: { [write.group]: { [write.parameter]: { Value: value } } } }],
  });
  const pubTopic = topicOf('Pub');
  const after = session.mark();
  await session.send(topicOf('Set'), request);
  const timeoutMs = ctx.parameter('responseTimeoutMs');
  const parsedIf = (m: ReceivedMessage) => {
    const parsed = session.parse(m);
    return parsed.ok ? parsed.message : undefined;
  };
  const isStatusEvent = (m: ReceivedMessage) => {
    const topic = parseTopic(m.topic);
    return topic.ok && topic.topic.method === 'Pub' && topic.topic.resource === 'Event' && topic.topic.source === appId && topic.topic.filter?.startsWith('Status/') === true;
  };
  const [republished, statusEvent] = await Promise.all([
    session.waitFor((m) => m.topic === pubTopic && correlationIdOf(parsedIf(m) ?? {}) === request.MessageId, { after, timeoutMs }),
    session.waitFor((m) => isStatusEvent(m) && parsedIf(m) !== undefined, { after, timeoutMs }),
  ]);
  const other = republished ? undefined : session.since(after).find((m) => m.topic === pubTopic && parsedIf(m) !== undefined);
  return {
    messageId: request.MessageId,
    pubTopic,
    ...(republished && { republished: parsedIf(republished)! }),
    ...(other && { uncorrelated: { correlationId: correlationIdOf(parsedIf(other)!) } }),
    ...(statusEvent && { statusEvent: { topic: statusEvent.topic, message: parsedIf(statusEvent)! } }),
  };
}
