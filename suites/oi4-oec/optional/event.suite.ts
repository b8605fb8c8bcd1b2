/**
 * Optional group "event" (facts 2.7, 5.6). Events are published unasked, so the check has the target
 * publish some through its `event` action (embedded devices do it themselves, a target file names a shell
 * command, an operator can be asked) and judges every Event that follows.
 */
import { check, type CheckContext } from '../../../harness/engine/index.js';
import { parseTopic, type ReceivedMessage } from '../../../harness/protocols/oi4/index.js';
import { judgeAnswer, withSession } from '../lib/exchange.js';
import { judgeEvent } from '../lib/events.js';
import { envelopeNotYetJudged, GROUP_ENVELOPE_REQUIREMENTS } from '../lib/group-answers.js';
import { entriesOf } from '../lib/rules.js';

check(
  {
    id: 'oi4.event.publications',
    group: 'event',
    title: 'Event: events are published on Pub/Event/<Source>/<Category>/<Level> with a payload of that category and a Level that fits the Number',
    requirements: ['OI4-EVT-001', 'OI4-EVT-002', 'OI4-EVT-003', ...GROUP_ENVELOPE_REQUIREMENTS],
    waits: ['actionTimeoutMs'],
  },
  (ctx: CheckContext) =>
    withSession(ctx, async (session) => {
      const { appId, serviceType } = ctx.mqtt.oi4;
      const prefix = `Oi4/${serviceType}/${appId}/Pub/Event/`;
      const isEvent = (m: ReceivedMessage) => m.topic.startsWith(prefix);
      envelopeNotYetJudged(ctx);
      const after = session.mark();
      await ctx.action('event');
      const first = await session.waitFor(isEvent, { after, timeoutMs: ctx.parameter('responseTimeoutMs') });
      if (!first) {
        ctx.fail('OI4-EVT-001', `after the event action no message came on ${prefix}… within ${ctx.parameter('responseTimeoutMs')} ms`);
        ctx.notExecuted('no Event was published to judge', ['OI4-EVT-002', 'OI4-EVT-003']);
      }
      // the rest of the burst: everything the broker queued for us before the barrier returns has arrived
      await session.barrier(ctx.parameter('responseTimeoutMs'));
      let judged = 0;
      for (const received of session.since(after).filter(isEvent)) {
        const parsed = session.parse(received);
        if (!parsed.ok) {
          ctx.fail('OI4-ENV-001', `the message on ${received.topic} is not a JSON NetworkMessage: ${parsed.detail}`);
          continue;
        }
        judgeAnswer(ctx, { received, message: parsed.message, raw: parsed.raw }, 'Event', GROUP_ENVELOPE_REQUIREMENTS);
        const topic = parseTopic(received.topic);
        if (!topic.ok) continue; // the topic rules above reported it
        for (const dsm of entriesOf(parsed.message).resources) {
          judged += 1;
          const verdict = judgeEvent(received.topic, topic.topic, dsm);
          ctx.verify('OI4-EVT-001', verdict.form);
          ctx.verify('OI4-EVT-002', verdict.payload);
          ctx.verify('OI4-EVT-003', verdict.level);
        }
      }
      if (judged === 0) {
        ctx.fail('OI4-EVT-001', `the messages on ${prefix}… carried no Event DataSetMessage`);
        ctx.notExecuted('no Event DataSetMessage to judge', ['OI4-EVT-002', 'OI4-EVT-003']);
      }
    }),
);
