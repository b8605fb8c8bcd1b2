/**
 * Gateways (facts 4.3): an application representing field devices publishes their MAM, Health and Profile
 * under its own AppId, with each asset's Oi4Identifier as Source, for all sources at once and for each alone.
 * These checks exist only when the profile under test is a gateway's.
 */
import { check, type CheckContext } from '../../harness/engine/index.js';
import { mamIdentityOf, oi4IdentifierFromMam, payloadOf, sameIdentifier, sourceOf, type Oi4Session } from '../../harness/protocols/oi4/index.js';
import { assetsOfMamAnswer, describeGet, fetchAnswer, get, judgeAnswer, withSession } from './lib/exchange.js';
import { MANDATORY } from './lib/resources.js';
import { entriesOf } from './lib/rules.js';
import { shape } from './lib/shape.js';

const gateway = shape() === 'gateway';

interface Asset {
  readonly source: string;
  readonly hardwareRevision: unknown;
}

/** The represented assets, under the identifiers their MAMs describe (the gateway itself excluded). */
async function assetsOf(ctx: CheckContext, session: Oi4Session): Promise<Asset[]> {
  const answer = await fetchAnswer(ctx, session, { resource: 'MAM' });
  const assets = assetsOfMamAnswer(answer, ctx.mqtt.oi4.appId);
  if (assets.length === 0) ctx.notExecuted('the Get MAM answer lists no represented asset, so there is nothing to check per asset (see OI4-GW-001)');
  return assets;
}

/** Every Source a summarised answer of the resource names. */
async function sourcesIn(ctx: CheckContext, session: Oi4Session, resource: 'MAM' | 'Health' | 'PublicationList'): Promise<string[]> {
  const answer = await fetchAnswer(ctx, session, { resource });
  if (resource === 'PublicationList') {
    return entriesOf(answer.message).resources.map((dsm) => (payloadOf(dsm) as { Source?: unknown } | undefined)?.Source).filter((s): s is string => typeof s === 'string');
  }
  return entriesOf(answer.message).resources.map(sourceOf).filter((s): s is string => typeof s === 'string');
}

if (gateway) check(
  {
    id: 'oi4.gateway.assets-listed',
    title: 'Gateway: a Get MAM without Source lists every represented asset, each under the identifier its MAM describes',
    requirements: ['OI4-GW-001'],
  },
  (ctx) =>
    withSession(ctx, async (session) => {
      const answer = await fetchAnswer(ctx, session, { resource: 'MAM' });
      const entries = entriesOf(answer.message).resources;
      const listed = entries.map(sourceOf).filter((s): s is string => typeof s === 'string');
      const problems: string[] = [];
      for (const dsm of entries) {
        const identity = mamIdentityOf(payloadOf(dsm));
        const source = sourceOf(dsm);
        if (identity && source !== undefined && !sameIdentifier(oi4IdentifierFromMam(identity), source)) {
          problems.push(`the MAM entry with Source ${source} describes ${oi4IdentifierFromMam(identity)}`);
        }
      }
      // assets the gateway names elsewhere must be in its MAM answer too
      const elsewhere = [...(await sourcesIn(ctx, session, 'Health')), ...(await sourcesIn(ctx, session, 'PublicationList'))];
      for (const source of new Set(elsewhere)) {
        if (!listed.includes(source)) problems.push(`asset ${source} appears in the Health or PublicationList answers but not in the Get MAM answer on ${answer.received.topic}`);
      }
      if (!listed.some((s) => s !== ctx.mqtt.oi4.appId)) problems.push(`the Get MAM answer on ${answer.received.topic} lists no asset besides the gateway itself`);
      ctx.verify('OI4-GW-001', problems);
    }),
);

if (gateway) check(
  {
    id: 'oi4.gateway.assets-health',
    title: 'Gateway: a Get Health without Source answers for every asset the MAM lists',
    requirements: ['OI4-GW-002'],
  },
  (ctx) =>
    withSession(ctx, async (session) => {
      const assets = await assetsOf(ctx, session);
      const health = await sourcesIn(ctx, session, 'Health');
      ctx.verify('OI4-GW-002', assets.filter((a) => !health.includes(a.source)).map((a) => `the Get Health answer has no entry for asset ${a.source}`));
    }),
);

if (gateway) check(
  {
    id: 'oi4.gateway.per-asset',
    title: "Gateway: a Get MAM, Health or Profile with an asset's Source is answered with that asset alone, and its Profile lists its mandatory resources",
    requirements: ['OI4-GW-003', 'OI4-GW-004', 'OI4-ENV-006'],
  },
  (ctx) =>
    withSession(ctx, async (session) => {
      for (const asset of await assetsOf(ctx, session)) {
        for (const resource of ['MAM', 'Health', 'Profile'] as const) {
          const exchange = await get(ctx, session, { resource, source: asset.source });
          if (!exchange.answer) {
            ctx.fail('OI4-GW-003', `no answer to ${describeGet(exchange)} within ${ctx.parameter('responseTimeoutMs')} ms`);
            continue;
          }
          judgeAnswer(ctx, exchange.answer, resource, ['OI4-ENV-006']);
          const sources = entriesOf(exchange.answer.message).resources.map(sourceOf);
          ctx.verify('OI4-GW-003', sources.length > 0 && sources.every((s) => s === asset.source) ? [] : [`${describeGet(exchange)} was answered with entries for ${JSON.stringify(sources)}`]);
          if (resource !== 'Profile') continue;
          const own = entriesOf(exchange.answer.message).resources.find((dsm) => sourceOf(dsm) === asset.source);
          const listed = (payloadOf(own ?? {}) as { Resources?: unknown } | undefined)?.Resources;
          const assetType = asset.hardwareRevision === '' ? 'application' : 'device';
          const missing = MANDATORY[assetType].filter((r) => !(Array.isArray(listed) && listed.includes(r)));
          ctx.verify('OI4-GW-004', missing.length ? [`the Profile of ${assetType} ${asset.source} lacks ${missing.join(', ')}`] : []);
        }
      }
      // without any answered Profile there was nothing to judge the asset Profiles on
      ctx.notExecuted('no asset answered a Get Profile with its Source (see OI4-GW-003)', ['OI4-GW-004', 'OI4-ENV-006']);
    }),
);
