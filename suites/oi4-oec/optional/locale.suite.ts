/**
 * Optional group "locale" (facts 5.11): a Get may carry a Locale request (DataSetWriterId 3). The MAM is
 * the resource every target has with LocalizedText, so it is asked for in the locale the target already
 * uses and in one it cannot offer.
 */
import { check, type CheckContext } from '../../../harness/engine/index.js';
import { HARNESS_APP_ID, localeRequestEntry, payloadOf, validateWith, type Answer, type GetExchange } from '../../../harness/protocols/oi4/index.js';
import { describeGet, fetchAnswer, get, withSession } from '../lib/exchange.js';
import { entriesOf } from '../lib/rules.js';

/** Well-formed (two letters, dash, two letters) and assigned to no language or country. */
const UNOFFERED_LOCALE = 'zz-ZZ';
const LOCALIZED_FIELDS = ['Manufacturer', 'Model', 'Description'] as const;

/** The Locale of every LocalizedText of the MAM entries in an answer, with where it sits. */
function localesOf(answer: Answer): { field: string; locale: unknown; valid: boolean }[] {
  return entriesOf(answer.message).resources.flatMap((dsm, index) => {
    const payload = (payloadOf(dsm) ?? {}) as Record<string, unknown>;
    return LOCALIZED_FIELDS.filter((field) => payload[field] !== undefined).map((field) => ({
      field: `Messages[${index}].Payload.${field}`,
      locale: (payload[field] as { Locale?: unknown } | null)?.Locale,
      valid: validateWith('LocalizedText', payload[field]).valid,
    }));
  });
}

/** An answer without our CorrelationId cannot be told from other MAM publications; OI4-GET-003 has the reason. */
function uncorrelatedEnds(ctx: CheckContext, exchange: GetExchange): void {
  if (!exchange.answer && (exchange.uncorrelated || exchange.ambiguous)) {
    ctx.notExecuted(`after ${describeGet(exchange)} only messages without its MessageId as CorrelationId came (see OI4-GET-003)`);
  }
}

check(
  {
    id: 'oi4.locale.requests',
    group: 'locale',
    title: 'Locale: a Get MAM asking for the locale in use is answered in it, and one asking for an unoffered locale is still answered',
    requirements: ['OI4-LOC-001', 'OI4-LOC-002'],
  },
  (ctx: CheckContext) =>
    withSession(ctx, async (session) => {
      const source = ctx.mqtt.oi4.appId;
      // without a Locale request the MAM must answer first: otherwise the Get->Pub checks have the reason
      const plain = await fetchAnswer(ctx, session, { resource: 'MAM', source });
      const unoffered = await get(ctx, session, { resource: 'MAM', source, messages: [localeRequestEntry(HARNESS_APP_ID, UNOFFERED_LOCALE)] });
      uncorrelatedEnds(ctx, unoffered);
      if (!unoffered.answer) ctx.fail('OI4-LOC-002', `no answer to ${describeGet(unoffered)} carrying Locale "${UNOFFERED_LOCALE}" within ${ctx.parameter('responseTimeoutMs')} ms; a locale the application lacks must fall back to one it has`);
      else {
        // whether the fallback's LocalizedText is well-formed is OI4-MAM-003's business
        const texts = localesOf(unoffered.answer);
        ctx.verify('OI4-LOC-002', [
          ...(texts.length === 0 ? [`the answer to Locale "${UNOFFERED_LOCALE}" has no LocalizedText`] : []),
          ...texts.filter((l) => l.locale === UNOFFERED_LOCALE).map((l) => `asked for the unoffered "${UNOFFERED_LOCALE}", ${l.field} came in it; expected a locale the application offers`),
        ]);
      }

      const inUse = localesOf(plain).find((l) => l.valid && typeof l.locale === 'string')?.locale as string | undefined;
      if (!inUse) ctx.notExecuted(`the MAM on ${plain.received.topic} has no well-formed LocalizedText whose Locale could be asked for (see OI4-MAM-003)`);

      const asked = await get(ctx, session, { resource: 'MAM', source, messages: [localeRequestEntry(HARNESS_APP_ID, inUse)] });
      uncorrelatedEnds(ctx, asked);
      if (!asked.answer) ctx.fail('OI4-LOC-001', `no answer to ${describeGet(asked)} carrying Locale "${inUse}" within ${ctx.parameter('responseTimeoutMs')} ms; without the Locale request it is answered`);
      else {
        // a malformed LocalizedText is OI4-MAM-003's business
        const other = localesOf(asked.answer).filter((l) => l.valid && l.locale !== inUse);
        ctx.verify('OI4-LOC-001', other.map((l) => `asked for "${inUse}", ${l.field} came in ${JSON.stringify(l.locale ?? null)}`));
      }
    }),
);
