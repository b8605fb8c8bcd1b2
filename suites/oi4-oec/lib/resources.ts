import type { Resource } from '../../../harness/protocols/oi4/index.js';

/** The mandatory resources of each asset type (facts 7.3). Free of vitest, so the monitor can use it too. */
export const MANDATORY: Readonly<Record<'application' | 'device', readonly Resource[]>> = {
  application: ['MAM', 'Health', 'License', 'LicenseText', 'PublicationList', 'Profile'],
  device: ['MAM', 'Health', 'Profile', 'ReferenceDesignation'],
};

/** The resources every OI4 application must answer. */
export const APPLICATION_RESOURCES = ['MAM', 'Health', 'License', 'LicenseText', 'PublicationList', 'Profile'] as const satisfies readonly Resource[];
