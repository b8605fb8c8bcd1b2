/**
 * Lifecycle (facts 6.3, 6.5): heartbeat, birth, Last Will, graceful stop. These checks wait on the clock or
 * drive the target through its actions, so quick mode does not run them, and the profile runs them last.
 * Checks that take the target down bring it back before they end.
 */
import { check, type CheckContext } from '../../../harness/engine/index.js';
import { payloadOf, type Oi4Session, type ReceivedMessage } from '../../../harness/protocols/oi4/index.js';
import { assetsOfMamAnswer, fetchAnswer, withSession } from '../lib/exchange.js';
import { entriesOf } from '../lib/rules.js';
import { pubTopic, uncorrelated, unsolicited } from '../lib/unsolicited.js';

/** The application and every asset it represents, from its answer to a Get MAM without Source. */
async function sourcesOf(ctx: CheckContext, session: Oi4Session): Promise<string[]> {
  const answer = await fetchAnswer(ctx, session, { resource: 'MAM' });
  return [...new Set([ctx.mqtt.oi4.appId, ...assetsOfMamAnswer(answer, ctx.mqtt.oi4.appId).map((a) => a.source)])];
}


function healthOf(session: Oi4Session, message: ReceivedMessage): { Health?: unknown; HealthScore?: unknown } | undefined {
  const parsed = session.parse(message);
  if (!parsed.ok) return undefined;
  const entry = entriesOf(parsed.message).resources[0];
  return entry ? ((payloadOf(entry) ?? {}) as { Health?: unknown; HealthScore?: unknown }) : undefined;
}

/** Waits until every source has published its MAM unasked after `after`; returns those still missing. */
async function awaitBirths(ctx: CheckContext, session: Oi4Session, sources: readonly string[], after: number): Promise<string[]> {
  const deadline = performance.now() + ctx.parameter('birthTimeoutMs');
  const missing: string[] = [];
  for (const source of sources) {
    const topic = pubTopic(ctx, 'MAM', source);
    const seen = await session.waitFor((m) => m.topic === topic && unsolicited(session, m), { after, timeoutMs: Math.max(0, deadline - performance.now()) });
    if (!seen) missing.push(source);
  }
  return missing;
}

check(
  {
    id: 'oi4.lifecycle.heartbeat',
    title: 'Lifecycle: Health is published unasked at the guideline interval for every source, not retained, at QoS 0',
    requirements: ['OI4-LIF-002', 'OI4-LIF-005', 'OI4-LIF-006'],
    slow: true,
    // three heartbeats, each up to an interval plus the tolerance late
    waits: ['healthIntervalMs', 'healthIntervalMs', 'healthIntervalMs', 'healthToleranceMs', 'healthToleranceMs', 'healthToleranceMs'],
  },
  (ctx) =>
    withSession(
      ctx,
      async (session) => {
        const sources = await sourcesOf(ctx, session);
        const limit = ctx.parameter('healthIntervalMs') + ctx.parameter('healthToleranceMs');
        const qos: number[] = [];
        const late: string[] = [];
        // two consecutive intervals for every source, watched at the same time
        await Promise.all(
          sources.map(async (source) => {
            const topic = pubTopic(ctx, 'Health', source);
            let after = session.mark();
            for (let beat = 1; beat <= 3; beat++) {
              const seen = await session.waitFor((m) => m.topic === topic && unsolicited(session, m), { after, timeoutMs: limit });
              if (!seen) {
                late.push(`no unsolicited Health of ${source} on ${topic} within ${limit} ms (heartbeat ${beat} of 3)`);
                return;
              }
              qos.push(seen.qos);
              after = seen.seq;
            }
          }),
        );
        ctx.verify('OI4-LIF-002', late);
        ctx.verify('OI4-LIF-006', qos.some((q) => q > 0) ? [`unsolicited Health arrived with QoS ${Math.max(...qos)} on a QoS 1 subscription; the target publishes above QoS 0`] : []);
        const connect = { broker: ctx.mqtt.broker, connectTimeoutMs: ctx.parameter('connectTimeoutMs'), signal: ctx.signal, log: ctx.mqttLog };
        const retained: string[] = [];
        for (const topic of [pubTopic(ctx, 'MAM', ctx.mqtt.oi4.appId), pubTopic(ctx, 'Health', ctx.mqtt.oi4.appId)]) {
          const message = await session.retainedOn(topic, connect, ctx.parameter('responseTimeoutMs'));
          // these topics also carry answers to Gets; a retained answer is OI4-GET-006's business
          if (message && uncorrelated(session, message)) {
            retained.push(`a new subscriber to ${topic} receives a retained message`);
            await session.clearRetained(topic);
          }
        }
        ctx.verify('OI4-LIF-005', retained);
      },
      { subscriptionQos: 1 },
    ),
);

check(
  {
    id: 'oi4.lifecycle.birth',
    title: 'Lifecycle: after a restart the application publishes the MAM of itself and of every represented asset unasked',
    requirements: ['OI4-LIF-001'],
    slow: true,
    waits: ['actionTimeoutMs', 'birthTimeoutMs'],
  },
  (ctx) =>
    withSession(ctx, async (session) => {
      const sources = await sourcesOf(ctx, session);
      const after = session.mark();
      await ctx.action('restart');
      const missing = await awaitBirths(ctx, session, sources, after);
      ctx.verify('OI4-LIF-001', missing.map((source) => `no MAM of ${source} on ${pubTopic(ctx, 'MAM', source)} within ${ctx.parameter('birthTimeoutMs')} ms of the restart`));
    }),
);

check(
  {
    id: 'oi4.lifecycle.last-will',
    title: 'Lifecycle: after an ungraceful disconnect the broker delivers the Last Will, Health FAILURE_1 with HealthScore 0',
    requirements: ['OI4-LIF-003'],
    slow: true,
    waits: ['actionTimeoutMs', 'lastWillTimeoutMs', 'birthTimeoutMs', 'actionTimeoutMs'],
  },
  (ctx) =>
    withSession(ctx, async (session) => {
      const { appId } = ctx.mqtt.oi4;
      const willTopic = pubTopic(ctx, 'Health', appId);
      const birthTopic = pubTopic(ctx, 'MAM', appId);
      const after = session.mark();
      await ctx.action('disconnect');
      // The will comes when the broker notices the loss; a birth without a will before it means none came.
      const first = await session.waitFor(
        (m) => {
          if (m.topic === birthTopic && unsolicited(session, m)) return true;
          const health = m.topic === willTopic ? healthOf(session, m) : undefined;
          return health?.Health === 'FAILURE_1' && health.HealthScore === 0;
        },
        { after, timeoutMs: ctx.parameter('lastWillTimeoutMs') },
      );
      const seenOnWillTopic = session.since(after).filter((m) => m.topic === willTopic).map((m) => JSON.stringify(healthOf(session, m) ?? null));
      if (first && first.topic === willTopic) ctx.pass('OI4-LIF-003');
      else {
        ctx.fail(
          'OI4-LIF-003',
          `${first ? 'the application reconnected' : `nothing arrived within ${ctx.parameter('lastWillTimeoutMs')} ms`} without a Last Will {Health: FAILURE_1, HealthScore: 0} on ${willTopic}${seenOnWillTopic.length ? `; seen there: ${seenOnWillTopic.slice(0, 3).join(', ')}` : ''}`,
        );
      }
      // bring the target back for whatever runs next
      if ((await awaitBirths(ctx, session, [appId], after)).length) await ctx.action('start');
    }),
);

check(
  {
    id: 'oi4.lifecycle.graceful-stop',
    title: 'Lifecycle: a graceful stop is announced with Health NORMAL_0 and HealthScore 0',
    requirements: ['OI4-LIF-004'],
    slow: true,
    waits: ['actionTimeoutMs', 'actionTimeoutMs', 'birthTimeoutMs'],
  },
  (ctx) =>
    withSession(ctx, async (session) => {
      const topic = pubTopic(ctx, 'Health', ctx.mqtt.oi4.appId);
      const after = session.mark();
      await ctx.action('stop');
      // the announcement precedes the disconnect, so it is here once the broker has passed on all it had
      await session.barrier(ctx.parameter('responseTimeoutMs'));
      const announced = session.since(after).some((m) => {
        const health = m.topic === topic && unsolicited(session, m) ? healthOf(session, m) : undefined;
        return health?.Health === 'NORMAL_0' && health.HealthScore === 0;
      });
      ctx.verify('OI4-LIF-004', announced ? [] : [`no Health {NORMAL_0, HealthScore 0} on ${topic} when the application stopped`]);
      const restarted = session.mark();
      await ctx.action('start');
      await awaitBirths(ctx, session, [ctx.mqtt.oi4.appId], restarted);
    }),
);
