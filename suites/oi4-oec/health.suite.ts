/** The Health of the application (facts 5.2, 6.3). */
import { check } from '../../harness/engine/index.js';
import { payloadOf } from '../../harness/protocols/oi4/index.js';
import { fetchAnswer, withSession } from './lib/exchange.js';
import { entriesOf } from './lib/rules.js';

check(
  {
    id: 'oi4.health.state',
    title: 'Health: the answer carries a HealthScore and does not declare the application dead',
    requirements: ['OI4-HEA-002', 'OI4-HEA-003'],
  },
  (ctx) =>
    withSession(ctx, async (session) => {
      const answer = await fetchAnswer(ctx, session, { resource: 'Health', source: ctx.mqtt.oi4.appId });
      const payloads = entriesOf(answer.message).resources.map((dsm) => (payloadOf(dsm) ?? {}) as Record<string, unknown>);
      if (payloads.length === 0) ctx.notExecuted(`the Health answer on ${answer.received.topic} has no entry`);
      ctx.verify('OI4-HEA-002', payloads.filter((p) => !('HealthScore' in p)).map(() => `a Health entry on ${answer.received.topic} has no HealthScore`));
      ctx.verify(
        'OI4-HEA-003',
        payloads
          .filter((p) => p['Health'] === 'FAILURE_1' && p['HealthScore'] === 0)
          .map(() => `Health is FAILURE_1 with HealthScore 0 (the Last Will "kill" message) although the application answers`),
      );
    }),
);
