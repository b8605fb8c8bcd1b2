/**
 * One asset, two protocols. The OI4 MAM derives from the OPC UA nameplate (IVendorNameplateType), so an
 * asset that is both an OPC UA device and an OI4 asset - itself, or represented by a gateway - must show
 * the same identity on both: the Oi4Identifier built from the nameplate names its MAM, and the MAM's
 * fields carry the nameplate's values.
 *
 * The mapping, field by field (MAM <- nameplate):
 *   Manufacturer.Text <- Manufacturer text      Model.Text <- Model text
 *   ManufacturerUri   <- ManufacturerUri's lowercase authority (https://Acme.com/ -> acme.com; the OI4 form)
 *   ProductCode, HardwareRevision, SoftwareRevision, DeviceRevision, DeviceManual, SerialNumber,
 *   ProductInstanceUri <- the same properties, as they are
 *   Not compared: RevisionCounter (the MAM's counts MAM changes, the nameplate's device changes) and
 *   DeviceClass (OI4 names the ServiceType with it, OI4-MAM-007; DI the device's domain).
 */
import { check } from '../../harness/engine/check.js';
import type { CheckContext } from '../../harness/engine/check-context.js';
import { dataSetMessagesOf, dnpEncode, payloadOf } from '../../harness/protocols/oi4/index.js';
import { readDeviceSet, type DeviceReading } from '../../harness/protocols/opcua/index.js';
import { describeGet, get, withSession } from '../oi4-oec/lib/exchange.js';
import { withReadSession } from './lib/access.js';
import { authorityOf, describeDevice, nameplateText } from './lib/nameplate.js';

/** MAM fields taken over as they are */
const SAME_VALUE = ['ProductCode', 'HardwareRevision', 'SoftwareRevision', 'DeviceRevision', 'DeviceManual', 'SerialNumber', 'ProductInstanceUri'] as const;

check(
  {
    id: 'oi4-opcua.identity',
    title: 'The OI4 MAM of an OPC UA device is found under the Oi4Identifier derived from its nameplate, and matches the nameplate field by field',
    requirements: ['OI4-UA-001', 'OI4-UA-002'],
  },
  async (ctx: CheckContext) => {
    const reading = await withReadSession(ctx, (session) => readDeviceSet(session));
    const devices = reading.objects.filter((o) => o.isDevice);
    if (devices.length === 0) ctx.notExecuted(`the OPC UA server shows no DI device to compare (${reading.diNamespaceIndex === null ? 'no DI namespace' : 'no device in DeviceSet'}; opcua-device-nameplate judges that)`);
    const identified = devices.map((device) => ({ device, id: oi4IdentifierOf(device) }));
    const underivable = identified.filter((d) => typeof d.id !== 'string');
    if (underivable.length) {
      ctx.fail('OI4-UA-001', underivable.map((d) => `${describeDevice(d.device)}: no Oi4Identifier can be derived, its nameplate lacks ${(d.id as { missing: string[] }).missing.join(', ')}`).join('; '));
    }
    const derivable = identified.filter((d): d is { device: DeviceReading; id: string } => typeof d.id === 'string');
    if (derivable.length === 0) ctx.notExecuted('no device has an Oi4Identifier to look its MAM up by', ['OI4-UA-002']);

    await withSession(ctx, async (session) => {
      const exchanges = await Promise.all(derivable.map(({ id }) => get(ctx, session, { resource: 'MAM', source: id })));
      const notFound: string[] = [];
      const mismatches: string[] = [];
      derivable.forEach(({ device, id }, i) => {
        const exchange = exchanges[i]!;
        const mam = exchange.answer
          ? dataSetMessagesOf(exchange.answer.message).messages.find((m) => m.Source === id || m.Source === undefined)
          : undefined;
        const payload = mam ? payloadOf(mam) : undefined;
        if (!payload || typeof payload !== 'object' || Array.isArray(payload)) {
          notFound.push(
            `${describeDevice(device)}: no MAM for the Oi4Identifier ${id} derived from its nameplate (${describeGet(exchange)}: ${exchange.answer ? 'the answer has no MAM payload for it' : `no answer within ${ctx.parameter('responseTimeoutMs')} ms`})`,
          );
          return;
        }
        mismatches.push(...compare(device, payload as Record<string, unknown>, id));
      });
      ctx.verify('OI4-UA-001', notFound);
      if (notFound.length === derivable.length) ctx.notExecuted('no MAM to compare with the nameplate', ['OI4-UA-002']);
      ctx.verify('OI4-UA-002', mismatches);
    });
  },
);

/** ManufacturerUri / Model / ProductCode / SerialNumber, each DNP-encoded; or what is missing for it. */
function oi4IdentifierOf(device: DeviceReading): string | { missing: string[] } {
  const manufacturer = authorityOf(nameplateText(device, 'ManufacturerUri') ?? '');
  const parts = { ManufacturerUri: manufacturer, Model: nameplateText(device, 'Model'), ProductCode: nameplateText(device, 'ProductCode'), SerialNumber: nameplateText(device, 'SerialNumber') };
  const missing = Object.entries(parts).filter(([, v]) => !v?.trim()).map(([k]) => k);
  if (missing.length) return { missing };
  return [parts.ManufacturerUri!, dnpEncode(parts.Model!), dnpEncode(parts.ProductCode!), dnpEncode(parts.SerialNumber!)].join('/');
}

function mamText(mam: Record<string, unknown>, field: string): unknown {
  const value = mam[field];
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as { Text?: unknown }).Text : value;
}

function compare(device: DeviceReading, mam: Record<string, unknown>, id: string): string[] {
  const expected: readonly [string, string | undefined][] = [
    ['Manufacturer', nameplateText(device, 'Manufacturer')],
    ['Model', nameplateText(device, 'Model')],
    ['ManufacturerUri', authorityOf(nameplateText(device, 'ManufacturerUri') ?? '')],
    ...SAME_VALUE.map((f): [string, string | undefined] => [f, nameplateText(device, f)]),
  ];
  const problems: string[] = [];
  for (const [field, want] of expected) {
    if (want === undefined) continue;
    const seen = mamText(mam, field);
    if (seen !== want) problems.push(`MAM of ${id}: ${field} is ${JSON.stringify(seen)}, the OPC UA nameplate of ${describeDevice(device)} says ${JSON.stringify(want)}`);
  }
  return problems;
}
