/** The Profile (facts 5.4, 7.2, 7.3): which resources the application offers. */
import { check, type CheckContext } from '../../harness/engine/index.js';
import { isLevelCountAllowed, isResource, MANDATORY_RESOURCES, payloadOf, type Oi4Session, type Resource } from '../../harness/protocols/oi4/index.js';
import { fetchAnswer, get, withSession, describeGet } from './lib/exchange.js';
import { ownResources } from './lib/shape.js';
import { entriesOf } from './lib/rules.js';

async function profileResources(ctx: CheckContext, session: Oi4Session): Promise<unknown[]> {
  const answer = await fetchAnswer(ctx, session, { resource: 'Profile', source: ctx.mqtt.oi4.appId });
  const resources = (payloadOf(entriesOf(answer.message).resources[0] ?? {}) as { Resources?: unknown } | undefined)?.Resources;
  if (!Array.isArray(resources)) ctx.notExecuted(`the Profile answer on ${answer.received.topic} has no Resources list (see OI4-PRO-001)`);
  return resources;
}

check(
  {
    id: 'oi4.profile.mandatory',
    title: 'Profile: it lists every mandatory resource of the asset type, and Metadata wherever it lists Data',
    requirements: ['OI4-PRO-002', 'OI4-PRO-003'],
  },
  (ctx) =>
    withSession(ctx, async (session) => {
      const appId = ctx.mqtt.oi4.appId;
      const listed = await profileResources(ctx, session);
      const mam = await fetchAnswer(ctx, session, { resource: 'MAM', source: appId });
      const hardwareRevision = (payloadOf(entriesOf(mam.message).resources[0] ?? {}) as { HardwareRevision?: unknown } | undefined)?.HardwareRevision;
      // the registry's rule: an empty HardwareRevision marks an application, anything else a device
      const assetType = hardwareRevision === '' ? 'application' : 'device';
      const missing = MANDATORY_RESOURCES[assetType].filter((r) => !listed.includes(r));
      ctx.verify('OI4-PRO-002', missing.length ? [`the Profile of this ${assetType} (HardwareRevision ${JSON.stringify(hardwareRevision ?? null)}) lacks ${missing.join(', ')}; it lists ${JSON.stringify(listed)}`] : []);
      ctx.verify('OI4-PRO-003', listed.includes('Data') && !listed.includes('Metadata') ? ['the Profile lists Data but not Metadata'] : []);
    }),
);

/** Resources a Get with Source alone can request; Event is published only, Metadata needs a filter. */
const NOT_REQUESTED: readonly Resource[] = ['Event', 'Metadata', 'Interfaces'];

check(
  {
    id: 'oi4.profile.further-resources',
    title: 'Profile: every further resource it lists answers a Get with Source',
    requirements: ['OI4-PRO-004'],
  },
  (ctx) =>
    withSession(ctx, async (session) => {
      const listed = await profileResources(ctx, session);
      const further = listed
        .filter(isResource)
        .filter((r) => !ownResources().includes(r) && !NOT_REQUESTED.includes(r) && isLevelCountAllowed(12, 'Get', r));
      if (further.length === 0) ctx.notApplicable('the Profile lists no resource beyond the mandatory ones that a Get with Source can request');
      for (const resource of [...new Set(further)]) {
        const exchange = await get(ctx, session, { resource, source: ctx.mqtt.oi4.appId });
        ctx.verify('OI4-PRO-004', exchange.answer ? [] : [`the Profile lists ${resource}, but ${describeGet(exchange)} had no answer within ${ctx.parameter('responseTimeoutMs')} ms`]);
      }
    }),
);
