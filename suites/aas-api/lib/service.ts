/**
 * Which AAS service a profile tests, read from the profile's IRI
 * (`https://admin-shell.io/aas/API/<major>/<minor>/<ServiceSpecification>/SSP-<nnn>`): one suite file serves every
 * profile that shares its rules, and adapts its paths to the service.
 */
import type { CheckContext } from '../../../harness/engine/check-context.js';

export type ServiceKind = 'aas-repository' | 'submodel-repository' | 'aas-registry' | 'submodel-registry' | 'discovery';

export interface Service {
  readonly kind: ServiceKind;
  /** the Part 2 API version, '3.0' or '3.1' */
  readonly version: '3.0' | '3.1';
  /** the service specification's name in the IRI */
  readonly specification: string;
  /** SSP-001, SSP-002, … */
  readonly ssp: string;
  /** the IRI of the profile under test */
  readonly iri: string;
  /** SSP-001 of a repository, registry or discovery: the full profile, which writes */
  readonly full: boolean;
}

const SPECIFICATIONS: Readonly<Record<string, ServiceKind>> = {
  AssetAdministrationShellRepositoryServiceSpecification: 'aas-repository',
  SubmodelRepositoryServiceSpecification: 'submodel-repository',
  AssetAdministrationShellRegistryServiceSpecification: 'aas-registry',
  SubmodelRegistryServiceSpecification: 'submodel-registry',
  DiscoveryServiceSpecification: 'discovery',
};

const PROFILE_IRI = /^https:\/\/admin-shell\.io\/aas\/API\/(\d+)\/(\d+)\/([A-Za-z]+)\/(SSP-\d{3})$/;

/** The parts of a Part 2 profile IRI, or undefined when it is not one. */
export function parseProfileIri(iri: string): { major: string; minor: string; specification: string; ssp: string } | undefined {
  const match = PROFILE_IRI.exec(iri);
  if (!match) return undefined;
  const [, major, minor, specification, ssp] = match as unknown as [string, string, string, string, string];
  return { major, minor, specification, ssp };
}

/** The service of the profile being run; a profile without a Part 2 IRI is a defect of the profile file. */
export function serviceOf(ctx: Pick<CheckContext, 'profile'>): Service {
  const iri = ctx.profile.iri;
  const parts = iri === undefined ? undefined : parseProfileIri(iri);
  const kind = parts && SPECIFICATIONS[parts.specification];
  if (!iri || !parts || !kind || parts.major !== '3' || (parts.minor !== '0' && parts.minor !== '1')) {
    throw new Error(`profile ${ctx.profile.id} has no AAS Part 2 API 3.0 or 3.1 profile IRI (${iri ?? 'none'})`);
  }
  return { kind, version: parts.minor === '0' ? '3.0' : '3.1', specification: parts.specification, ssp: parts.ssp, iri, full: parts.ssp === 'SSP-001' };
}
