/** Who answers what (facts 6.1, 6.5): only Gets for the application's own AppId, never retained. */
import { randomUUID } from 'node:crypto';
import { check } from '../../harness/engine/index.js';
import { correlationIdOf, publisherIdOf, type ReceivedMessage } from '../../harness/protocols/oi4/index.js';
import { fetchAnswer, get, withSession, describeGet } from './lib/exchange.js';

check(
  {
    id: 'oi4.addressing.foreign-app-id',
    title: 'Addressing: a Get for another AppId is not answered',
    requirements: ['OI4-GET-005'],
  },
  (ctx) =>
    withSession(ctx, async (session) => {
      const foreignAppId = `nobody.oi4-conformance.test/Nobody/NOBODY/${randomUUID().slice(0, 8)}`;
      const after = session.mark();
      // the foreign Get needs no answer; only its MessageId matters
      const foreign = await session.get({ resource: 'MAM', appId: foreignAppId, timeoutMs: 0 });
      // The target handles its messages in order, so once it has answered a later Get of its own,
      // an answer to the foreign one would already be on its way; the silence window covers the rest.
      await fetchAnswer(ctx, session, { resource: 'MAM', source: ctx.mqtt.oi4.appId });
      // only the target's own answer counts: on a shared broker another application may be the one that meddles
      const ownPublisherId = `${session.serviceType}/${session.appId}`;
      const answered = (m: ReceivedMessage) => {
        const parsed = session.parse(m);
        return parsed.ok && correlationIdOf(parsed.message) === foreign.request.MessageId && publisherIdOf(parsed.message) === ownPublisherId;
      };
      const stray = await session.waitFor(answered, { after, timeoutMs: ctx.parameter('silenceWindowMs') });
      ctx.verify('OI4-GET-005', stray ? [`${describeGet(foreign)} (another application) was answered on ${stray.topic}`] : []);
    }),
);

check(
  {
    id: 'oi4.addressing.not-retained',
    title: 'Addressing: the answer to a Get is not retained by the broker',
    requirements: ['OI4-GET-006'],
  },
  (ctx) =>
    withSession(ctx, async (session) => {
      const exchange = await get(ctx, session, { resource: 'MAM', source: ctx.mqtt.oi4.appId });
      if (!exchange.answer) return ctx.notExecuted(`no answer to ${describeGet(exchange)} (the Get->Pub checks report why)`);
      const topic = exchange.answer.received.topic;
      const retained = await session.retainedOn(
        topic,
        { broker: ctx.mqtt.broker, connectTimeoutMs: ctx.parameter('connectTimeoutMs'), signal: ctx.signal, log: ctx.mqttLog },
        ctx.parameter('responseTimeoutMs'),
      );
      // Pub/MAM/<AppId> also carries the birth MAM; only a retained message with a CorrelationId is an answer
      const parsed = retained ? session.parse(retained) : undefined;
      if (retained && parsed?.ok && correlationIdOf(parsed.message)) {
        ctx.fail('OI4-GET-006', `a new subscriber to ${topic} receives a retained answer (CorrelationId ${correlationIdOf(parsed.message)}); answers must be published with retain false`);
        // leave the broker as we found it, so later checks and other users do not see it
        await session.clearRetained(topic);
      } else ctx.pass('OI4-GET-006');
    }),
);
