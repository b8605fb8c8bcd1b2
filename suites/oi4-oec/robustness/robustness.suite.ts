/**
 * Robustness (facts 6.1): hostile input is dropped, not fatal. The profile runs these checks last, so a
 * target that a hostile message wedges fails here and nowhere else.
 */
import { randomUUID } from 'node:crypto';
import { check, type CheckContext } from '../../../harness/engine/index.js';
import {
  buildGetRequest,
  dataSetMessagesOf,
  encodeNetworkMessage,
  expectedDataSetClassId,
  HARNESS_PUBLISHER_ID,
  messageIdOf,
  messageTypeOf,
  publisherIdOf,
  type Oi4Session,
} from '../../../harness/protocols/oi4/index.js';
import { describeGet, get, withSession } from '../lib/exchange.js';
import { pubTopic, unsolicited } from '../lib/unsolicited.js';

/** Sends each kind of hostile input the guideline says a target drops; returns what was sent, for messages. */
async function sendHostileInput(ctx: CheckContext, session: Oi4Session): Promise<string[]> {
  const { serviceType, appId } = ctx.mqtt.oi4;
  const preamble = `Oi4/${serviceType}/${appId}`;
  const valid = () => encodeNetworkMessage(buildGetRequest({ publisherId: HARNESS_PUBLISHER_ID, resource: 'MAM' }));
  const inputs: [string, string, Buffer][] = [
    ['a topic of 7 levels', `${preamble}/Get`, valid()],
    ['a topic of 9 levels', `${preamble}/Get/MAM/extra`, valid()],
    ['invalid JSON', `${preamble}/Get/MAM`, Buffer.from('{"MessageId": "1-broken')],
    [
      'a wrong DataSetClassId',
      `${preamble}/Get/MAM`,
      encodeNetworkMessage(buildGetRequest({ publisherId: HARNESS_PUBLISHER_ID, resource: 'MAM', dataSetClassId: expectedDataSetClassId('Health')! })),
    ],
    ['an unknown resource', `${preamble}/Get/Telemetry`, valid()],
    ['a Get for another AppId', `Oi4/${serviceType}/nobody.oi4-conformance.test/Nobody/NOBODY/${randomUUID().slice(0, 8)}/Get/MAM`, valid()],
    // above the 256 KiB maximum packet size of the guideline's broker configuration
    ['an oversize message', `${preamble}/Get/MAM`, Buffer.from(JSON.stringify({ Padding: 'x'.repeat(300 * 1024) }))],
  ];
  for (const [, topic, payload] of inputs) await session.send(topic, payload);
  return inputs.map(([what]) => what);
}

/**
 * The bare shape of a NetworkMessage: what any message of an OI4 application has, faulty or not. Metadata
 * travels in a ua-metadata message, which carries MetaData instead of Messages (facts 3.3).
 */
function notANetworkMessage(session: Oi4Session, message: Parameters<Oi4Session['parse']>[0]): string | undefined {
  const parsed = session.parse(message);
  if (!parsed.ok) return parsed.detail;
  const m = parsed.message;
  if (messageTypeOf(m) === 'ua-metadata' && messageIdOf(m) && publisherIdOf(m) && typeof m['MetaData'] === 'object' && m['MetaData'] !== null) return undefined;
  if (!messageIdOf(m) || messageTypeOf(m) !== 'ua-data' || !publisherIdOf(m) || !dataSetMessagesOf(m).isArray) {
    return `not a ua-data NetworkMessage with MessageId, PublisherId and Messages: ${parsed.raw.slice(0, 120)}`;
  }
  return undefined;
}

check(
  {
    id: 'oi4.robustness.hostile-input',
    title: 'Robustness: after hostile input the application still answers and heartbeats, and never answers the input with an invalid message',
    requirements: ['OI4-ROB-001', 'OI4-ROB-002', 'OI4-ROB-003'],
    // full mode waits for one heartbeat before the hostile input and one after
    waits: ['healthIntervalMs', 'healthToleranceMs', 'healthIntervalMs', 'healthToleranceMs'],
  },
  (ctx) =>
    withSession(ctx, async (session) => {
      const { appId } = ctx.mqtt.oi4;
      const healthTopic = pubTopic(ctx, 'Health', appId);
      const limit = ctx.parameter('healthIntervalMs') + ctx.parameter('healthToleranceMs');
      const heartbeat = (after: number) =>
        session.waitFor((m) => m.topic === healthTopic && unsolicited(session, m), { after, timeoutMs: limit });

      // "still" presupposes a before: a target that never answers or heartbeats is judged by other requirements
      const heartbeatBefore = ctx.mode === 'full' ? await heartbeat(session.mark()) : undefined;
      const baseline = await get(ctx, session, { resource: 'MAM', source: appId });

      const start = session.mark();
      const sent = await sendHostileInput(ctx, session);
      const sentinel = await get(ctx, session, { resource: 'MAM', source: appId });
      if (!baseline.answer) ctx.notApplicableTo('OI4-ROB-001', `${describeGet(baseline)} had no answer even before any hostile input (see OI4-GET-002, OI4-GET-003)`);
      else ctx.verify('OI4-ROB-001', sentinel.answer ? [] : [`after ${sent.join(', ')}, ${describeGet(sentinel)} had no answer within ${ctx.parameter('responseTimeoutMs')} ms`]);

      // everything is in once the broker has passed on what it had
      await session.barrier(ctx.parameter('responseTimeoutMs'));
      const invalid = session
        .since(start)
        // a retained message handed over on subscription is history, not an answer to the hostile input
        .filter((m) => m.topic.includes(`/${appId}/`) && !m.retain && m !== sentinel.answer?.received)
        .flatMap((m) => {
          const problem = notANetworkMessage(session, m);
          return problem ? [`on ${m.topic}: ${problem}`] : [];
        });
      ctx.verify('OI4-ROB-003', invalid.slice(0, 5));

      if (ctx.mode === 'quick') ctx.defer('OI4-ROB-002');
      else if (!heartbeatBefore) ctx.notApplicableTo('OI4-ROB-002', `no unsolicited Health on ${healthTopic} within ${limit} ms even before any hostile input (see OI4-LIF-002)`);
      else {
        const beat = await heartbeat(session.mark());
        ctx.verify('OI4-ROB-002', beat ? [] : [`no unsolicited Health on ${healthTopic} within ${limit} ms after ${sent.join(', ')}`]);
      }
    }),
);
