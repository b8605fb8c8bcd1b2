/**
 * Get -> Pub (facts 6.1, 6.2): every mandatory resource of an application answers a Get, with and without
 * Source, on the mirrored Pub topic, with the request's MessageId as CorrelationId, in a valid envelope
 * with a valid payload.
 */
import { check } from '../../harness/engine/index.js';
import { sourceOf } from '../../harness/protocols/oi4/index.js';
import { ENVELOPE_REQUIREMENTS, get, judgeAnswer, requireAnswer, withSession, describeGet } from './lib/exchange.js';
import { isOwnResource, PAYLOAD_REQUIREMENT, payloadRoute } from './lib/payloads.js';
import { ownResources } from './lib/shape.js';
import { entriesOf, payloadRules } from './lib/rules.js';

// judged: further rules applied to the answer message; own: decided by this suite from the answer's entries
const FORMS = [
  { form: 'summarised', levels: 8, answered: 'OI4-GET-001', judged: [], own: ['OI4-GET-004'] },
  { form: 'with-source', levels: 12, answered: 'OI4-GET-002', judged: ['OI4-ENV-006'], own: [] },
] as const;

for (const resource of ownResources().filter(isOwnResource)) {
  for (const { form, levels, answered, judged: judgedToo, own } of FORMS) {
    const payloadRequirement = PAYLOAD_REQUIREMENT[resource];
    check(
      {
        id: `oi4.get-pub.${resource.toLowerCase()}.${form}`,
        title: `${resource}: a Get ${form === 'summarised' ? 'without Source' : 'with Source'} (${levels} levels) is answered on the mirrored Pub topic with a valid message`,
        requirements: [answered, 'OI4-GET-003', ...own, ...judgedToo, ...ENVELOPE_REQUIREMENTS, payloadRequirement],
      },
      (ctx) =>
        withSession(ctx, async (session) => {
          const appId = ctx.mqtt.oi4.appId;
          const exchange = await get(ctx, session, { resource, ...(form === 'with-source' && { source: appId }) });
          const judged = exchange.answer ?? exchange.uncorrelated ?? exchange.ambiguous;
          const judgePayload = (problems: Map<string, string[]>) => {
            if (judged) payloadRules(resource, entriesOf(judged.message).resources, problems, payloadRoute(resource));
          };
          const decide = [...ENVELOPE_REQUIREMENTS, payloadRequirement, ...judgedToo];
          if (exchange.ambiguous) {
            judgeAnswer(ctx, exchange.ambiguous, resource, decide, judgePayload);
            ctx.notExecuted(
              `after ${describeGet(exchange)} only a message without CorrelationId came on ${exchange.expectedTopic}: an unsolicited publication and an answer lacking its CorrelationId look the same there`,
            );
          }
          if (exchange.uncorrelated) {
            const seen = exchange.uncorrelated.message['CorrelationId'];
            ctx.fail(
              'OI4-GET-003',
              `after ${describeGet(exchange)} no message carried CorrelationId ${exchange.request.MessageId}; the mirrored topic got one with CorrelationId ${JSON.stringify(seen ?? null)}`,
            );
            judgeAnswer(ctx, exchange.uncorrelated, resource, decide, judgePayload);
            ctx.notExecuted('the answer could not be told apart from other publications without a matching CorrelationId');
          }
          const answer = requireAnswer(ctx, exchange, answered);
          if (answer.received.topic === exchange.expectedTopic) ctx.pass(answered);
          else ctx.fail(answered, `the answer to ${describeGet(exchange)} came on ${answer.received.topic}; expected the mirrored topic ${exchange.expectedTopic}`);
          ctx.pass('OI4-GET-003');
          judgeAnswer(ctx, answer, resource, decide, judgePayload);
          if (form === 'summarised') {
            const sources = entriesOf(answer.message).resources.map(sourceOf);
            ctx.verify('OI4-GET-004', sources.includes(appId) ? [] : [`no ${resource} entry has Source ${appId}; sources seen: ${sources.map((s) => JSON.stringify(s ?? null)).join(', ') || 'none'}`]);
          }
        }),
    );
  }
}
