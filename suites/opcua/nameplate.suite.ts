/**
 * A device's identity per OPC UA for Devices (DI, OPC 10000-100): the DI namespace, found by its URI; the
 * DeviceSet; and each device's nameplate (IVendorNameplateType), its presence, data types and values.
 */
import { check } from '../../harness/engine/check.js';
import type { CheckContext } from '../../harness/engine/check-context.js';
import { DI_NAMESPACE_URI, readDeviceSet, readNamespaceArray, type DeviceReading } from '../../harness/protocols/opcua/index.js';
import { withReadSession } from './lib/access.js';
import { authorityOf, describeDevice, IDENTIFYING_OPTIONALS, NAMEPLATE, nameplateText } from './lib/nameplate.js';

check(
  {
    id: 'opcua.nameplate.di-namespace',
    title: 'The NamespaceArray holds the DI namespace URI',
    requirements: ['OPCUA-DI-001'],
  },
  async (ctx: CheckContext) => {
    const array = await withReadSession(ctx, (session) => readNamespaceArray(session));
    if (array.status !== 'Good' || !Array.isArray(array.value)) {
      ctx.fail('OPCUA-DI-001', `Server/NamespaceArray (i=2255) could not be read as an array (${array.status}, ${array.variantType})`);
      return;
    }
    const namespaces = array.value.map(String);
    if (namespaces.includes(DI_NAMESPACE_URI)) ctx.pass('OPCUA-DI-001');
    else ctx.fail('OPCUA-DI-001', `the NamespaceArray has no ${DI_NAMESPACE_URI}; it holds ${namespaces.map((n, i) => `${i}: ${n}`).join(', ')}`);
  },
);

check(
  {
    id: 'opcua.nameplate.devices',
    title: 'The DeviceSet holds a device whose nameplate has every mandatory property, with the DI data types and values, and the identifying optional ones',
    requirements: ['OPCUA-DI-002', 'OPCUA-DI-003', 'OPCUA-DI-004', 'OPCUA-DI-005', 'OPCUA-DI-006', 'OPCUA-DI-007'],
  },
  async (ctx: CheckContext) => {
    const reading = await withReadSession(ctx, (session) => readDeviceSet(session));
    if (reading.diNamespaceIndex === null) ctx.notExecuted(`the server has no DI namespace (${DI_NAMESPACE_URI}, OPCUA-DI-001), so it has no DeviceSet to read`);
    if (reading.deviceSetNodeId === null) {
      ctx.fail('OPCUA-DI-002', `Objects (i=85) has no DeviceSet in the DI namespace (ns=${reading.diNamespaceIndex})`);
      ctx.notExecuted('no DeviceSet, so no device to read');
    }
    const devices = reading.objects.filter((o) => o.isDevice);
    if (devices.length === 0) {
      const others = reading.objects.map((o) => `${o.browseName} (type ${o.typeChain[0] ?? '?'})`);
      ctx.fail('OPCUA-DI-002', `DeviceSet (${reading.deviceSetNodeId}) holds ${others.length ? `only objects not of DeviceType: ${others.join(', ')}` : 'no object'}; expected a device of DI DeviceType (ns=${reading.diNamespaceIndex};i=1002) or a subtype`);
      ctx.notExecuted('no device in the DeviceSet');
    }
    ctx.pass('OPCUA-DI-002');
    ctx.verify('OPCUA-DI-003', devices.flatMap(missingMandatory));
    ctx.verify('OPCUA-DI-004', devices.flatMap(wrongTypes));
    ctx.verify('OPCUA-DI-005', devices.flatMap(emptyValues));
    ctx.verify('OPCUA-DI-006', devices.flatMap(missingIdentifying));
    const foreign = devices.map(foreignProductInstanceUri);
    if (foreign.every((f) => f === null)) ctx.notApplicableTo('OPCUA-DI-007', 'no device has both a ManufacturerUri and a ProductInstanceUri to compare');
    else ctx.verify('OPCUA-DI-007', foreign.filter((f): f is string => typeof f === 'string' && f.length > 0));
  },
);

function missingMandatory(device: DeviceReading): string[] {
  const missing = NAMEPLATE.filter((p) => p.mandatory && !device.properties[p.name]).map((p) => p.name);
  return missing.length ? [`${describeDevice(device)} lacks ${missing.join(', ')} (mandatory on DeviceType)`] : [];
}

function wrongTypes(device: DeviceReading): string[] {
  const problems: string[] = [];
  for (const rule of NAMEPLATE) {
    const property = device.properties[rule.name];
    if (!property) continue;
    if (property.dataType !== rule.dataType) problems.push(`${describeDevice(device)}: ${rule.name} has DataType ${property.dataType}; DI defines ${rule.dataType}`);
    // an empty value is OPCUA-DI-005's to judge; a value of another type is this one's
    else if (property.value.status === 'Good' && property.value.variantType !== 'Null' && property.value.variantType !== rule.dataType) {
      problems.push(`${describeDevice(device)}: ${rule.name} holds a ${property.value.variantType} value (${JSON.stringify(property.value.value)}); expected ${rule.dataType}`);
    }
  }
  return problems;
}

function emptyValues(device: DeviceReading): string[] {
  const problems: string[] = [];
  for (const rule of NAMEPLATE) {
    const property = device.properties[rule.name];
    if (!property || !rule.needsText || property.dataType !== rule.dataType) continue;
    if (property.value.status !== 'Good') problems.push(`${describeDevice(device)}: ${rule.name} could not be read (${property.value.status})`);
    else if (!nameplateText(device, rule.name)?.trim()) problems.push(`${describeDevice(device)}: ${rule.name} is empty (${JSON.stringify(property.value.value)}); expected text`);
  }
  return problems;
}

function missingIdentifying(device: DeviceReading): string[] {
  const missing = IDENTIFYING_OPTIONALS.filter((name) => !nameplateText(device, name)?.trim());
  return missing.length ? [`${describeDevice(device)} has no ${missing.join(', ')} with text; a globally unique identity (and an OI4 Oi4Identifier) needs them`] : [];
}

/** A problem, null when there is nothing to compare, or '' when the two agree. */
function foreignProductInstanceUri(device: DeviceReading): string | null {
  const manufacturerUri = nameplateText(device, 'ManufacturerUri');
  const instanceUri = nameplateText(device, 'ProductInstanceUri');
  if (!manufacturerUri?.trim() || !instanceUri?.trim()) return null;
  const expected = authorityOf(manufacturerUri);
  const seen = authorityOf(instanceUri);
  if (expected && seen === expected) return '';
  return `${describeDevice(device)}: ProductInstanceUri "${instanceUri}" lies in ${seen ?? 'no authority'}, not in the manufacturer's ${expected ?? manufacturerUri} (ManufacturerUri "${manufacturerUri}")`;
}
