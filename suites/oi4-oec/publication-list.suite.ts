/** The PublicationList (facts 5.7): what the application publishes, with which writer ids. */
import { check } from '../../harness/engine/index.js';
import { dataSetWriterIdOf, payloadOf, sourceOf } from '../../harness/protocols/oi4/index.js';
import { fetchAnswer, withSession } from './lib/exchange.js';
import { entriesOf } from './lib/rules.js';

const PUBLISHED = ['MAM', 'Health'] as const;

check(
  {
    id: 'oi4.publication-list.entries',
    title: 'PublicationList: it lists the MAM and Health publications with the writer ids the application uses',
    requirements: ['OI4-PBL-002', 'OI4-PBL-003'],
  },
  (ctx) =>
    withSession(ctx, async (session) => {
      const appId = ctx.mqtt.oi4.appId;
      const list = await fetchAnswer(ctx, session, { resource: 'PublicationList', source: appId });
      const entries = entriesOf(list.message).resources.map((dsm) => (payloadOf(dsm) ?? {}) as Record<string, unknown>);
      ctx.verify(
        'OI4-PBL-002',
        PUBLISHED.filter((resource) => !entries.some((e) => e['Resource'] === resource && e['Source'] === appId)).map(
          (resource) => `the PublicationList on ${list.received.topic} has no entry for ${resource} of Source ${appId}`,
        ),
      );
      const problems: string[] = [];
      for (const resource of PUBLISHED) {
        const answer = await fetchAnswer(ctx, session, { resource, source: appId });
        const used = entriesOf(answer.message).resources.filter((dsm) => sourceOf(dsm) === appId).map(dataSetWriterIdOf);
        for (const entry of entries.filter((e) => e['Resource'] === resource && e['Source'] === appId)) {
          if (!used.includes(entry['DataSetWriterId'] as number)) {
            problems.push(`the PublicationList gives ${resource} DataSetWriterId ${JSON.stringify(entry['DataSetWriterId'])}, but ${resource} answers use ${JSON.stringify(used)}`);
          }
        }
      }
      ctx.verify('OI4-PBL-003', problems);
    }),
);
