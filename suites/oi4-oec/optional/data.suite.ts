/**
 * Optional group "data" (facts 3.3, 5.10, 7.2): Data answers Gets in every form, names each data set in its
 * Filter, and every data set has Metadata, published as a ua-metadata message.
 */
import { check, type CheckContext } from '../../../harness/engine/index.js';
import { filterOf, sourceOf, validateMetaDataMessage, type Answer, type Oi4Session } from '../../../harness/protocols/oi4/index.js';
import { describeGet, fetchAnswer, get, withSession } from '../lib/exchange.js';
import { envelopeNotYetJudged, getBothForms, getGroupResource, GROUP_ANSWER_REQUIREMENTS } from '../lib/group-answers.js';
import { entriesOf, identifierRules, networkMessageRules, type Problems } from '../lib/rules.js';

const DATA = { answered: 'OI4-DAT-001', payload: 'OI4-DAT-001' } as const;

/**
 * A ua-metadata message carries the publisher's identifiers as a NetworkMessage does; a wrong one breaks the
 * identifier rules, not the Metadata rule (one deviation, one requirement).
 */
const METADATA_IDENTITY = ['OI4-ID-001', 'OI4-ID-002', 'OI4-ID-003', 'OI4-ID-005', 'OI4-ID-006'] as const;
/** judged by the identifier rules below, so the schema's identifier patterns are not counted twice */
const IDENTITY_PATHS = new Set(['/PublisherId', '/MessageId', '/Source']);

/** The (Source, Filter) pairs of the data sets a Data answer names. */
function dataSets(answer: Answer): { source: string; filter: string }[] {
  const pairs = entriesOf(answer.message).resources.flatMap((dsm) => {
    const [source, filter] = [sourceOf(dsm), filterOf(dsm)];
    return typeof source === 'string' && typeof filter === 'string' && filter !== '' ? [{ source, filter }] : [];
  });
  return [...new Map(pairs.map((p) => [`${p.source}|${p.filter}`, p])).values()];
}

check(
  {
    id: 'oi4.data.get',
    group: 'data',
    title: 'Data: Gets without Source, with Source and per data set are answered, each data set named by its Filter',
    requirements: ['OI4-DAT-001', ...GROUP_ANSWER_REQUIREMENTS],
  },
  (ctx: CheckContext) =>
    withSession(ctx, async (session) => {
      envelopeNotYetJudged(ctx);
      const appId = ctx.mqtt.oi4.appId;
      const { withSource } = await getBothForms(ctx, session, 'Data', DATA);
      if (!withSource) return;
      const entries = entriesOf(withSource.message).resources;
      ctx.verify(
        'OI4-DAT-001',
        entries.flatMap((dsm, i) => (typeof filterOf(dsm) === 'string' && filterOf(dsm) !== '' ? [] : [`Data entry ${i} on ${withSource.received.topic} has Filter ${JSON.stringify(filterOf(dsm) ?? null)}; expected the data set's name`])),
      );
      for (const { filter } of dataSets(withSource).filter((set) => set.source === appId)) {
        const answer = await getGroupResource(ctx, session, { resource: 'Data', source: appId, filter }, DATA);
        if (!answer) continue;
        const seen = entriesOf(answer.message).resources.map(filterOf);
        ctx.verify('OI4-DAT-001', seen.length > 0 && seen.every((f) => f === filter) ? [] : [`Get Data/${appId}/${filter} was answered with data sets ${JSON.stringify(seen)}; expected only "${filter}"`]);
      }
    }),
);

check(
  {
    id: 'oi4.data.metadata',
    group: 'data',
    title: 'Metadata: every data set has Metadata, answered as a ua-metadata message for its Source and Filter',
    requirements: ['OI4-DAT-002', ...METADATA_IDENTITY],
  },
  (ctx: CheckContext) =>
    withSession(ctx, async (session) => {
      for (const requirement of METADATA_IDENTITY) ctx.notApplicableTo(requirement, 'no Metadata message was received to judge');
      const data = await fetchAnswer(ctx, session, { resource: 'Data', source: ctx.mqtt.oi4.appId });
      const sets = dataSets(data);
      if (sets.length === 0) ctx.notExecuted(`the Data answer on ${data.received.topic} names no data set (see OI4-DAT-001)`);
      for (const set of sets) await judgeMetadata(ctx, session, set);
    }),
);

async function judgeMetadata(ctx: CheckContext, session: Oi4Session, set: { source: string; filter: string }): Promise<void> {
  // an empty ua-data request without DataSetClassId: the TypeScript service drops a ua-metadata Get (facts 6.1)
  const exchange = await get(ctx, session, { resource: 'Metadata', source: set.source, filter: set.filter });
  const answer = exchange.answer;
  if (!answer) {
    const unreadable = exchange.unreadable ? `; the mirrored topic got an unreadable message (${exchange.unreadable.problem})` : '';
    ctx.fail('OI4-DAT-002', `data set "${set.filter}" of ${set.source} has no Metadata: no answer to ${describeGet(exchange)} within ${ctx.parameter('responseTimeoutMs')} ms${unreadable}`);
    return;
  }
  const problems: string[] = [];
  if (answer.received.topic !== exchange.expectedTopic) problems.push(`the Metadata came on ${answer.received.topic}; expected ${exchange.expectedTopic}`);
  const schema = validateMetaDataMessage(answer.message);
  for (const error of schema.valid ? [] : schema.errors) {
    if (!IDENTITY_PATHS.has(error.path)) problems.push(`Metadata of "${set.filter}": ${error.path || '(message)'} ${error.message}`);
  }
  // PublisherId and MessageId against the topic, as for any NetworkMessage; the Source by the identifier rules
  const identity: Problems = new Map();
  networkMessageRules(answer.message, answer.received.topic, 'Metadata', identity);
  if (typeof answer.message['Source'] === 'string') identifierRules(answer.message['Source'], 'Source', identity);
  for (const requirement of METADATA_IDENTITY) ctx.verify(requirement, identity.get(requirement) ?? []);
  const { Source: source, Filter: filter } = answer.message as { Source?: unknown; Filter?: unknown };
  if (source !== set.source) problems.push(`Metadata of "${set.filter}" has Source ${JSON.stringify(source ?? null)}; expected "${set.source}"`);
  if (filter !== set.filter) problems.push(`Metadata of "${set.filter}" has Filter ${JSON.stringify(filter ?? null)}; expected "${set.filter}"`);
  ctx.verify('OI4-DAT-002', problems);
}
