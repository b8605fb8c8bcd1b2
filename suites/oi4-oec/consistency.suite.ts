/** Rules that only show across many answers: unique MessageIds, stable writer ids (facts 3.1, 3.2). */
import { check } from '../../harness/engine/index.js';
import { dataSetWriterIdOf, messageIdOf, parseTopic, publisherIdOf, sourceOf } from '../../harness/protocols/oi4/index.js';
import { getAllResources, withSession } from './lib/exchange.js';
import { entriesOf } from './lib/rules.js';

/** Both reference services give these lists one writer id for all sources. */
const ONE_WRITER_FOR_ALL_SOURCES = new Set(['PublicationList', 'SubscriptionList']);

check(
  {
    id: 'oi4.consistency.across-answers',
    title: 'Consistency: across all answers MessageIds are unique and each writer id stands for one resource and source',
    requirements: ['OI4-ID-004', 'OI4-ENV-010'],
  },
  (ctx) =>
    withSession(ctx, async (session) => {
      const appId = ctx.mqtt.oi4.appId;
      const start = session.mark();
      await getAllResources(ctx, session);
      // everything the broker queued for us before this point has arrived once the barrier returns
      if (!(await session.barrier(ctx.parameter('responseTimeoutMs')))) ctx.notExecuted('the broker did not return our barrier message; cannot tell when all answers have arrived');

      const counts = new Map<string, { count: number; topic: string }>();
      const writers = new Map<string, Set<number>>(); // (resource, source) -> writer ids
      const pairs = new Map<number, Set<string>>(); // writer id -> (resource, source)
      for (const received of session.since(start)) {
        const parsed = session.parse(received);
        if (!parsed.ok || !publisherIdOf(parsed.message)?.endsWith(`/${appId}`)) continue;
        const id = messageIdOf(parsed.message);
        if (id !== undefined) counts.set(id, { count: (counts.get(id)?.count ?? 0) + 1, topic: received.topic });
        const topic = parseTopic(received.topic);
        if (!topic.ok) continue;
        for (const dsm of entriesOf(parsed.message).resources) {
          const writer = dataSetWriterIdOf(dsm);
          if (writer === undefined) continue;
          const pair = `${topic.topic.resource} of ${ONE_WRITER_FOR_ALL_SOURCES.has(topic.topic.resource) ? 'every source' : (sourceOf(dsm) ?? '?')}`;
          writers.set(pair, (writers.get(pair) ?? new Set()).add(writer));
          pairs.set(writer, (pairs.get(writer) ?? new Set()).add(pair));
        }
      }
      if (counts.size === 0) ctx.notExecuted('the application answered none of the Gets');
      const duplicates = [...counts].filter(([, v]) => v.count > 1);
      ctx.verify('OI4-ID-004', duplicates.slice(0, 5).map(([id, v]) => `MessageId ${id} was published ${v.count} times (last on ${v.topic})`));
      ctx.verify('OI4-ENV-010', [
        ...[...writers].filter(([, ids]) => ids.size > 1).map(([pair, ids]) => `${pair} uses several DataSetWriterIds: ${[...ids].join(', ')}`),
        ...[...pairs].filter(([, p]) => p.size > 1).map(([id, p]) => `DataSetWriterId ${id} is used for ${[...p].join(' and ')}`),
      ]);
    }),
);

check(
  {
    id: 'oi4.consistency.packet-size',
    title: "Consistency: no message the application publishes exceeds the broker's maximum packet size",
    requirements: ['OI4-LIF-007'],
  },
  (ctx) =>
    withSession(ctx, async (session) => {
      const start = session.mark();
      await getAllResources(ctx, session);
      const limit = ctx.parameter('maxPacketSizeBytes');
      const oversize = session.since(start).filter((m) => m.payload.byteLength > limit && m.topic.includes(`/${ctx.mqtt.oi4.appId}/`));
      ctx.verify('OI4-LIF-007', oversize.slice(0, 5).map((m) => `a ${m.payload.byteLength}-byte message on ${m.topic} exceeds maxPacketSizeBytes (${limit}); larger answers must be paged`));
    }),
);
