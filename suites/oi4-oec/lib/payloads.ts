import type { SchemaError } from '../../../harness/protocols/oi4/index.js';
type OwnResource = 'MAM' | 'Health' | 'License' | 'LicenseText' | 'PublicationList' | 'Profile' | 'ReferenceDesignation';

const LOCALIZED_TEXT_FIELDS = ['/Manufacturer', '/Model', '/Description'];

/** Which requirement a schema error of a MAM payload breaks. */
export function mamRequirementOf(error: SchemaError): string {
  const at = (prefix: string) => error.path === prefix || error.path.startsWith(`${prefix}/`);
  if (at('/ManufacturerUri')) return 'OI4-MAM-002';
  if (LOCALIZED_TEXT_FIELDS.some(at)) return 'OI4-MAM-003';
  if (at('/RevisionCounter') || at('/ProductInstanceUri')) return 'OI4-MAM-004';
  return 'OI4-MAM-001';
}

/** The requirement that judges a resource's payload schema in the Get->Pub checks. */
export const PAYLOAD_REQUIREMENT: Readonly<Record<OwnResource, string>> = {
  MAM: 'OI4-MAM-001',
  Health: 'OI4-HEA-001',
  License: 'OI4-LIC-001',
  LicenseText: 'OI4-LTX-002',
  PublicationList: 'OI4-PBL-001',
  Profile: 'OI4-PRO-001',
  ReferenceDesignation: 'OI4-RDS-001',
};

export function isOwnResource(resource: string): resource is OwnResource {
  return resource in PAYLOAD_REQUIREMENT;
}

/**
 * Routes payload schema errors: MAM errors may belong to its more specific requirements, and an
 * identifier inside a payload (a PublicationList entry's Source) breaks the identifier rule, not the payload's.
 */
export function payloadRoute(resource: OwnResource): (error: SchemaError) => string {
  if (resource === 'MAM') return mamRequirementOf;
  return (error) => (error.path === '/Source' && error.keyword === 'pattern' ? 'OI4-ID-005' : PAYLOAD_REQUIREMENT[resource]);
}
