/**
 * Optional group "pagination" (facts 5.11): a Get may ask for one page (PaginationRequest, DataSetWriterId 1);
 * walking the pages must give back the unpaged answer, each entry exactly once.
 */
import { check, type CheckContext } from '../../../harness/engine/index.js';
import {
  dataSetWriterIdOf,
  filterOf,
  HARNESS_APP_ID,
  paginationRequestEntry,
  payloadOf,
  sourceOf,
  type Answer,
  type DataSetMessage,
  type Oi4Session,
  type Resource,
} from '../../../harness/protocols/oi4/index.js';
import { describeGet, get, withSession } from '../lib/exchange.js';
import { entriesOf } from '../lib/rules.js';

/** Resources that often have several entries; the first with the most entries is paged. */
const CANDIDATES: readonly Resource[] = ['License', 'PublicationList', 'Data', 'Config', 'SubscriptionList', 'MAM'];
const PER_PAGE = 1;

interface PageInfo {
  readonly TotalCount?: unknown;
  readonly PerPage?: unknown;
  readonly Page?: unknown;
  readonly HasNext?: unknown;
}

/** An entry's identity across pages: who wrote it, about what, and what it says. */
const entryKey = (dsm: DataSetMessage): string => JSON.stringify([sourceOf(dsm), filterOf(dsm), dataSetWriterIdOf(dsm), payloadOf(dsm)]);

function pageInfo(answer: Answer): PageInfo | undefined {
  const last = entriesOf(answer.message).pagination.at(-1);
  return last ? ((payloadOf(last.dsm) ?? {}) as PageInfo) : undefined;
}

/** The resource to page through and its unpaged entries. */
async function chooseResource(ctx: CheckContext, session: Oi4Session): Promise<{ resource: Resource; entries: DataSetMessage[] }> {
  let best: { resource: Resource; entries: DataSetMessage[] } | undefined;
  for (const resource of CANDIDATES) {
    const exchange = await get(ctx, session, { resource, source: ctx.mqtt.oi4.appId });
    const entries = exchange.answer ? entriesOf(exchange.answer.message).resources : [];
    if (entries.length > (best?.entries.length ?? 0)) best = { resource, entries };
    if ((best?.entries.length ?? 0) > PER_PAGE) break;
  }
  if (!best) ctx.notExecuted(`none of ${CANDIDATES.join(', ')} answered a Get with Source, so there is nothing to page`);
  return best;
}

check(
  {
    id: 'oi4.pagination.requests',
    group: 'pagination',
    title: 'Paged requests: a Get for one page gets at most PerPage entries, and walking the pages returns the unpaged answer exactly once',
    requirements: ['OI4-PGR-001', 'OI4-PGR-002'],
  },
  (ctx: CheckContext) =>
    withSession(ctx, async (session) => {
      const appId = ctx.mqtt.oi4.appId;
      const { resource, entries: unpaged } = await chooseResource(ctx, session);
      const seen = new Map<string, number>();
      const totals = new Set<unknown>();
      // the walk ends at HasNext false; a target that never says so is cut off after every entry had its page
      const lastPage = unpaged.length + 1;
      let page = 1;
      for (; page <= lastPage; page += 1) {
        const exchange = await get(ctx, session, { resource, source: appId, messages: [paginationRequestEntry(HARNESS_APP_ID, { PerPage: PER_PAGE, Page: page })] });
        if (!exchange.answer) {
          ctx.fail('OI4-PGR-001', `no answer to ${describeGet(exchange)} asking for page ${page} of ${PER_PAGE} within ${ctx.parameter('responseTimeoutMs')} ms`);
          ctx.notExecuted('a page was not answered, so the walk cannot go on', ['OI4-PGR-002']);
        }
        const answer = exchange.answer;
        const entries = entriesOf(answer.message).resources;
        const info = pageInfo(answer);
        const problems: string[] = [];
        if (entries.length > PER_PAGE) problems.push(`page ${page} of ${resource} has ${entries.length} entries; PerPage ${PER_PAGE} was asked for`);
        if (!info) problems.push(`the answer to page ${page} of ${resource} has no pagination entry (DataSetWriterId 2)`);
        else if (info.PerPage !== PER_PAGE || info.Page !== page) {
          problems.push(`the pagination entry of page ${page} says PerPage ${JSON.stringify(info.PerPage ?? null)}, Page ${JSON.stringify(info.Page ?? null)}; the request asked for PerPage ${PER_PAGE}, Page ${page}`);
        }
        ctx.verify('OI4-PGR-001', problems);
        if (!info) ctx.notExecuted('without a pagination entry the walk cannot tell whether more pages follow', ['OI4-PGR-002']);
        totals.add(info.TotalCount);
        for (const dsm of entries) seen.set(entryKey(dsm), (seen.get(entryKey(dsm)) ?? 0) + 1);
        if (info.HasNext !== true) break;
      }
      const expected = new Set(unpaged.map(entryKey));
      const missing = [...expected].filter((key) => !seen.has(key));
      const repeated = [...seen].filter(([, count]) => count > 1);
      const foreign = [...seen.keys()].filter((key) => !expected.has(key));
      ctx.verify('OI4-PGR-002', [
        ...(page > lastPage ? [`HasNext was still true on page ${lastPage}, though the unpaged answer has only ${unpaged.length} entries`] : []),
        ...(totals.size > 1 ? [`TotalCount changed from page to page: ${[...totals].map((t) => JSON.stringify(t)).join(', ')}`] : []),
        ...(totals.size === 1 && [...totals][0] !== unpaged.length ? [`TotalCount is ${JSON.stringify([...totals][0])}; the unpaged answer has ${unpaged.length} entries`] : []),
        ...(missing.length ? [`${missing.length} of the ${unpaged.length} ${resource} entries never came on any page, e.g. ${missing[0]}`] : []),
        ...(repeated.length ? [`${repeated.length} ${resource} entr${repeated.length === 1 ? 'y came' : 'ies came'} on several pages, e.g. ${repeated[0]![0]} (${repeated[0]![1]} times)`] : []),
        ...(foreign.length ? [`${foreign.length} paged entr${foreign.length === 1 ? 'y is' : 'ies are'} not in the unpaged answer, e.g. ${foreign[0]}`] : []),
      ]);
    }),
);
