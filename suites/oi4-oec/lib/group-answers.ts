/**
 * Gets of the optional groups' resources. A claimed group's resource must answer; its answers obey the same
 * envelope, identifier and topic rules as the mandatory resources' answers, so they are judged by them too.
 */
import type { CheckContext } from '../../../harness/engine/index.js';
import type { Answer, GetOptions, Oi4Session, Resource } from '../../../harness/protocols/oi4/index.js';
import { describeGet, ENVELOPE_REQUIREMENTS, get, judgeAnswer } from './exchange.js';
import { entriesOf, payloadRules } from './rules.js';

/** What the group checks decide about the envelope of every message they receive. */
export const GROUP_ENVELOPE_REQUIREMENTS = [...ENVELOPE_REQUIREMENTS, 'OI4-ENV-006', 'OI4-ENV-007'] as const;
/** ... and, for answers to their Gets, the CorrelationId rule too. */
export const GROUP_ANSWER_REQUIREMENTS = [...GROUP_ENVELOPE_REQUIREMENTS, 'OI4-GET-003'] as const;

/**
 * Sends one Get of a group resource. No answer fails `answered`; an answer without our CorrelationId fails
 * OI4-GET-003 (when the check declares it) and is judged all the same; an answer is judged (envelope rules,
 * and the payload schema under `payload`) and returned.
 */
export async function getGroupResource(
  ctx: CheckContext,
  session: Oi4Session,
  options: Omit<GetOptions, 'timeoutMs'>,
  requirements: { readonly answered: string; readonly payload: string },
): Promise<Answer | undefined> {
  const exchange = await get(ctx, session, options);
  const uncorrelated = exchange.uncorrelated ?? exchange.ambiguous;
  if (!exchange.answer && uncorrelated && ctx.declares('OI4-GET-003')) {
    ctx.fail('OI4-GET-003', `after ${describeGet(exchange)} no message carried CorrelationId ${exchange.request.MessageId}; the mirrored topic got one with CorrelationId ${JSON.stringify(uncorrelated.message['CorrelationId'] ?? null)}`);
  } else if (exchange.answer && ctx.declares('OI4-GET-003')) ctx.pass('OI4-GET-003');
  const answer = exchange.answer ?? (ctx.declares('OI4-GET-003') ? uncorrelated : undefined);
  if (!answer) {
    const seen = uncorrelated ? `; the mirrored topic got a message with CorrelationId ${JSON.stringify(uncorrelated.message['CorrelationId'] ?? null)}` : '';
    ctx.fail(requirements.answered, `no answer to ${describeGet(exchange)} within ${ctx.parameter('responseTimeoutMs')} ms (expected on ${exchange.expectedTopic})${seen}`);
    return undefined;
  }
  judgeAnswer(ctx, answer, options.resource, [...GROUP_ENVELOPE_REQUIREMENTS, requirements.payload], (problems) =>
    payloadRules(options.resource, entriesOf(answer.message).resources, problems, (error) =>
      error.path === '/Source' && error.keyword === 'pattern' ? 'OI4-ID-005' : requirements.payload,
    ),
  );
  return answer;
}

/** The 8-level and the 12-level Get of a resource, both of which a claimed group must answer (facts 2.2). */
export async function getBothForms(
  ctx: CheckContext,
  session: Oi4Session,
  resource: Resource,
  requirements: { readonly answered: string; readonly payload: string },
): Promise<{ summarised?: Answer; withSource?: Answer }> {
  const summarised = await getGroupResource(ctx, session, { resource }, requirements);
  const withSource = await getGroupResource(ctx, session, { resource, source: ctx.mqtt.oi4.appId }, requirements);
  return { ...(summarised && { summarised }), ...(withSource && { withSource }) };
}

/**
 * Called first in a group check: its envelope requirements stay NA until an answer is judged (NA is the
 * mildest outcome, so a judged answer overrides it). A group check that ends early, because its resource
 * does not answer, then leaves the mandatory envelope requirements as other checks decided them instead of
 * turning them NOT_EXECUTED.
 */
export function envelopeNotYetJudged(ctx: CheckContext): void {
  for (const requirement of GROUP_ANSWER_REQUIREMENTS) {
    if (ctx.declares(requirement)) ctx.notApplicableTo(requirement, 'no message of this optional group was received to judge');
  }
}
