import { textOf, type DeviceReading } from '../../../harness/protocols/opcua/index.js';

/**
 * The nameplate of a DI device (IVendorNameplateType on DeviceType), as the DI nodeset defines it:
 * Opc.Ua.Di.NodeSet2.xml, DeviceType ns=1;i=1002, ModelVersion 1.5.0.
 */
export interface NameplateProperty {
  readonly name: string;
  readonly dataType: 'LocalizedText' | 'String' | 'Int32';
  /** ModellingRule Mandatory on DeviceType */
  readonly mandatory: boolean;
  /** its value must have text (OPCUA-DI-005); DeviceManual may be empty when there is no manual */
  readonly needsText: boolean;
}

export const NAMEPLATE: readonly NameplateProperty[] = [
  { name: 'Manufacturer', dataType: 'LocalizedText', mandatory: true, needsText: true },
  { name: 'ManufacturerUri', dataType: 'String', mandatory: false, needsText: false },
  { name: 'Model', dataType: 'LocalizedText', mandatory: true, needsText: true },
  { name: 'HardwareRevision', dataType: 'String', mandatory: true, needsText: true },
  { name: 'SoftwareRevision', dataType: 'String', mandatory: true, needsText: true },
  { name: 'DeviceRevision', dataType: 'String', mandatory: true, needsText: true },
  { name: 'ProductCode', dataType: 'String', mandatory: false, needsText: false },
  { name: 'DeviceManual', dataType: 'String', mandatory: true, needsText: false },
  { name: 'DeviceClass', dataType: 'String', mandatory: false, needsText: false },
  { name: 'SerialNumber', dataType: 'String', mandatory: true, needsText: true },
  { name: 'ProductInstanceUri', dataType: 'String', mandatory: false, needsText: false },
  { name: 'RevisionCounter', dataType: 'Int32', mandatory: true, needsText: false },
];

/** The optional properties a device's global identity rests on (OPCUA-DI-006). */
export const IDENTIFYING_OPTIONALS = ['ManufacturerUri', 'ProductCode', 'ProductInstanceUri'] as const;

/** A property's text: a String's value or a LocalizedText's text; undefined when absent or of another type. */
export function nameplateText(device: DeviceReading, name: string): string | undefined {
  return textOf(device.properties[name]?.value);
}

/**
 * The authority of a URI-like identity value, lowercased: the host of `https://acme.com/x`, or the first
 * path segment of a scheme-less `acme.com/x` (the OI4 forms). Undefined when there is none.
 */
export function authorityOf(value: string): string | undefined {
  const trimmed = value.trim();
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\/([^/?#]*)/i.exec(trimmed);
  const authority = withScheme ? withScheme[1]!.replace(/^[^@]*@/, '').replace(/:\d+$/, '') : trimmed.split('/')[0]!;
  return authority ? authority.toLowerCase() : undefined;
}

/** How a device is named in messages. */
export function describeDevice(device: DeviceReading): string {
  return `device ${device.browseName} (${device.nodeId})`;
}
