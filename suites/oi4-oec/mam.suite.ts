/** The MAM of the application itself (facts 4.1, 5.1). */
import { check } from '../../harness/engine/index.js';
import { mamIdentityOf, oi4IdentifierFromMam, payloadOf, sameIdentifier, sourceOf, validatePayload } from '../../harness/protocols/oi4/index.js';
import { fetchAnswer, withSession } from './lib/exchange.js';
import { mamRequirementOf } from './lib/payloads.js';
import { entriesOf, routeSchemaErrors, type Problems } from './lib/rules.js';
import { shape } from './lib/shape.js';

// an application's HardwareRevision is empty, a device's is not: the registry classifies by it
const assetTypeRequirement = shape() === 'device' ? 'OI4-DEV-001' : 'OI4-MAM-006';

check(
  {
    id: 'oi4.mam.identity',
    title: `MAM: the target's own MAM names it consistently and classifies it as ${shape() === 'device' ? 'a device' : 'an application'}`,
    requirements: ['OI4-MAM-002', 'OI4-MAM-003', 'OI4-MAM-004', 'OI4-MAM-005', assetTypeRequirement, 'OI4-MAM-007'],
  },
  (ctx) =>
    withSession(ctx, async (session) => {
      const { appId, serviceType } = ctx.mqtt.oi4;
      const answer = await fetchAnswer(ctx, session, { resource: 'MAM', source: appId });
      const entry = entriesOf(answer.message).resources.find((dsm) => sourceOf(dsm) === appId) ?? entriesOf(answer.message).resources[0];
      if (!entry) return ctx.notExecuted(`the MAM answer on ${answer.received.topic} has no entry`);
      const mam = payloadOf(entry);
      const problems: Problems = new Map();
      const schema = validatePayload('MAM', mam);
      if (!schema.valid) routeSchemaErrors(problems, schema.errors, (e) => { const r = mamRequirementOf(e); return r === 'OI4-MAM-001' ? undefined : r; }, 'MAM');
      for (const id of ['OI4-MAM-002', 'OI4-MAM-003', 'OI4-MAM-004']) ctx.verify(id, problems.get(id) ?? []);

      const identity = mamIdentityOf(mam);
      const source = sourceOf(entry);
      if (!identity) ctx.fail('OI4-MAM-005', 'the MAM lacks ManufacturerUri, Model.Text, ProductCode or SerialNumber as text, so no Oi4Identifier can be built from it');
      else {
        const built = oi4IdentifierFromMam(identity);
        ctx.verify('OI4-MAM-005', source !== undefined && sameIdentifier(built, source) ? [] : [`the MAM describes ${built} (DNP-encoded), but the entry's Source is ${JSON.stringify(source ?? null)}`]);
      }

      const record = (mam ?? {}) as Record<string, unknown>;
      const hardwareRevision = record['HardwareRevision'];
      if (assetTypeRequirement === 'OI4-MAM-006') {
        ctx.verify('OI4-MAM-006', hardwareRevision === '' ? [] : [`HardwareRevision is ${JSON.stringify(hardwareRevision ?? null)}; an application has "" (registries classify anything else as a device)`]);
      } else {
        ctx.verify('OI4-DEV-001', typeof hardwareRevision === 'string' && hardwareRevision !== '' ? [] : [`HardwareRevision is ${JSON.stringify(hardwareRevision ?? null)}; a device needs a non-empty one (an empty one marks an application)`]);
      }

      const deviceClass = record['DeviceClass'];
      const named = typeof deviceClass === 'string' ? deviceClass.replace(/^Oi4\./, '') : undefined;
      ctx.verify('OI4-MAM-007', named === serviceType ? [] : [`DeviceClass is ${JSON.stringify(deviceClass ?? null)}; the topics use ServiceType "${serviceType}"`]);
    }),
);
