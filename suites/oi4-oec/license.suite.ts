/** License and LicenseText (facts 5.3, 7.2: one LicenseText per License Source and Filter). */
import { check, type CheckContext } from '../../harness/engine/index.js';
import { filterOf, payloadOf, type Oi4Session } from '../../harness/protocols/oi4/index.js';
import { fetchAnswer, get, judgeAnswer, withSession, describeGet } from './lib/exchange.js';
import { entriesOf } from './lib/rules.js';

/** The license ids the application lists (the Filter of each License entry). */
async function licenseIds(ctx: CheckContext, session: Oi4Session): Promise<string[]> {
  const answer = await fetchAnswer(ctx, session, { resource: 'License', source: ctx.mqtt.oi4.appId });
  const ids = entriesOf(answer.message).resources.map(filterOf).filter((f): f is string => typeof f === 'string' && f !== '');
  if (ids.length === 0) ctx.notExecuted(`the License answer on ${answer.received.topic} names no license id in a Filter (see OI4-LIC-002)`);
  return [...new Set(ids)];
}

check(
  { id: 'oi4.license.ids', title: 'License: each license is a separate entry whose Filter is the license id', requirements: ['OI4-LIC-002'] },
  (ctx) =>
    withSession(ctx, async (session) => {
      const answer = await fetchAnswer(ctx, session, { resource: 'License', source: ctx.mqtt.oi4.appId });
      const entries = entriesOf(answer.message).resources;
      if (entries.length === 0) ctx.notApplicable('the application lists no license');
      ctx.verify(
        'OI4-LIC-002',
        entries.flatMap((dsm, i) => (typeof filterOf(dsm) === 'string' && filterOf(dsm) !== '' ? [] : [`License entry ${i} on ${answer.received.topic} has Filter ${JSON.stringify(filterOf(dsm) ?? null)}; expected the license id`])),
      );
    }),
);

check(
  {
    id: 'oi4.license.by-id',
    title: 'License: a Get for one license id (13 levels) is answered with exactly that license',
    requirements: ['OI4-LIC-003', 'OI4-ENV-007'],
  },
  (ctx) =>
    withSession(ctx, async (session) => {
      for (const id of await licenseIds(ctx, session)) {
        const exchange = await get(ctx, session, { resource: 'License', source: ctx.mqtt.oi4.appId, filter: id });
        if (!exchange.answer) {
          ctx.fail('OI4-LIC-003', `no answer to ${describeGet(exchange)} within ${ctx.parameter('responseTimeoutMs')} ms`);
          continue;
        }
        const filters = entriesOf(exchange.answer.message).resources.map(filterOf);
        ctx.verify('OI4-LIC-003', filters.length > 0 && filters.every((f) => f === id) ? [] : [`${describeGet(exchange)} was answered with license entries ${JSON.stringify(filters)}; expected only "${id}"`]);
        judgeAnswer(ctx, exchange.answer, 'License', ['OI4-ENV-007']);
      }
    }),
);

check(
  {
    id: 'oi4.license-text.per-license',
    title: 'LicenseText: every license id has a text that a Get LicenseText/<Source>/<license id> returns',
    requirements: ['OI4-LTX-001', 'OI4-LTX-002', 'OI4-ENV-007'],
  },
  (ctx) =>
    withSession(ctx, async (session) => {
      for (const id of await licenseIds(ctx, session)) {
        const exchange = await get(ctx, session, { resource: 'LicenseText', source: ctx.mqtt.oi4.appId, filter: id });
        if (!exchange.answer) {
          ctx.fail('OI4-LTX-001', `license "${id}" has no LicenseText: no answer to ${describeGet(exchange)} within ${ctx.parameter('responseTimeoutMs')} ms`);
          continue;
        }
        ctx.pass('OI4-LTX-001');
        const texts = entriesOf(exchange.answer.message).resources.map((dsm) => (payloadOf(dsm) as { LicenseText?: unknown } | undefined)?.LicenseText);
        ctx.verify('OI4-LTX-002', texts.length > 0 && texts.every((t) => typeof t === 'string' && t.trim() !== '') ? [] : [`the LicenseText of "${id}" is ${JSON.stringify(texts)}; expected a non-empty text`]);
        judgeAnswer(ctx, exchange.answer, 'LicenseText', ['OI4-ENV-007']);
      }
    }),
);
