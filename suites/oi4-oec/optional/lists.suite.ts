/** Optional groups "subscription-list" and "rt-license" (facts 5.3, 5.8): plain Gets with fixed payload forms. */
import { check, type CheckContext } from '../../../harness/engine/index.js';
import { envelopeNotYetJudged, getBothForms, GROUP_ANSWER_REQUIREMENTS } from '../lib/group-answers.js';
import { withSession } from '../lib/exchange.js';

check(
  {
    id: 'oi4.subscription-list.get',
    group: 'subscription-list',
    title: 'SubscriptionList: Gets without and with Source are answered with one valid entry per subscription',
    requirements: ['OI4-SUB-001', ...GROUP_ANSWER_REQUIREMENTS],
  },
  (ctx: CheckContext) =>
    withSession(ctx, async (session) => {
      envelopeNotYetJudged(ctx);
      // the payload schema holds the topic path grammar of facts 2.6, so a bad TopicPath fails OI4-SUB-001
      await getBothForms(ctx, session, 'SubscriptionList', { answered: 'OI4-SUB-001', payload: 'OI4-SUB-001' });
    }),
);

check(
  {
    id: 'oi4.rt-license.get',
    group: 'rt-license',
    title: 'RtLicense: Gets without and with Source are answered with an empty object',
    requirements: ['OI4-RTL-001', ...GROUP_ANSWER_REQUIREMENTS],
  },
  (ctx: CheckContext) =>
    withSession(ctx, async (session) => {
      envelopeNotYetJudged(ctx);
      await getBothForms(ctx, session, 'RtLicense', { answered: 'OI4-RTL-001', payload: 'OI4-RTL-001' });
    }),
);
