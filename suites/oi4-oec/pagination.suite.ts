/** A trailing pagination entry in an answer (facts 5.11): accepted when valid, rejected when not. */
import { check } from '../../harness/engine/index.js';
import { dataSetWriterIdOf, messageIdOf, payloadOf, validatePagination } from '../../harness/protocols/oi4/index.js';
import { getAllResources, withSession } from './lib/exchange.js';
import { entriesOf } from './lib/rules.js';

check(
  {
    id: 'oi4.pagination.trailing-entry',
    title: 'Pagination: a pagination entry in an answer is last, well-formed, names the first page and agrees with the page',
    requirements: ['OI4-PAG-001', 'OI4-PAG-002', 'OI4-PAG-003', 'OI4-PAG-004'],
  },
  (ctx) =>
    withSession(ctx, async (session) => {
      let seen = 0;
      let judged = 0;
      for (const exchange of await getAllResources(ctx, session)) {
        const resource = exchange.resource;
        if (!exchange.answer) continue;
        const { resources, pagination, all } = entriesOf(exchange.answer.message);
        const where = `in the ${resource} answer on ${exchange.answer.received.topic}`;
        for (const { dsm, index } of pagination) {
          seen++;
          const payload = payloadOf(dsm) as Record<string, unknown> | undefined;
          const schema = validatePagination(payload);
          const writerId = dataSetWriterIdOf(dsm);
          ctx.verify('OI4-PAG-001', [
            ...(writerId === 2 ? [] : [`pagination entry ${where} has DataSetWriterId ${JSON.stringify(writerId ?? null)}; expected 2`]),
            ...(schema.valid ? [] : schema.errors.map((e) => `pagination payload ${where}: ${e.path || '(payload)'} ${e.message}`)),
          ]);
          ctx.verify('OI4-PAG-002', index === all.length - 1 ? [] : [`pagination entry ${where} is entry ${index} of ${all.length}; it must be the last`]);
          if (!schema.valid || !payload) continue;
          judged++;
          const messageId = messageIdOf(exchange.answer.message);
          // the first answer to a request is its first page, whose PaginationId is its own MessageId
          ctx.verify('OI4-PAG-003', payload['PaginationId'] === messageId ? [] : [`PaginationId ${JSON.stringify(payload['PaginationId'])} ${where} is not the first page's MessageId ${messageId}`]);
          const count = resources.length;
          const { TotalCount: total, PerPage: perPage, HasNext: hasNext } = payload as { TotalCount: number; PerPage: number; HasNext: boolean };
          ctx.verify('OI4-PAG-004', [
            ...(perPage >= count ? [] : [`PerPage ${perPage} ${where} is less than the ${count} entries on the page`]),
            ...(total >= count ? [] : [`TotalCount ${total} ${where} is less than the ${count} entries on the page`]),
            ...(!hasNext && total !== count ? [`${where} the only page (HasNext false) has ${count} entries but TotalCount ${total}`] : []),
          ]);
        }
      }
      if (seen === 0) ctx.notApplicable('no answer carried a pagination entry');
      if (judged === 0) ctx.notExecuted('no well-formed pagination entry to judge further (see OI4-PAG-001)', ['OI4-PAG-003', 'OI4-PAG-004']);
    }),
);
