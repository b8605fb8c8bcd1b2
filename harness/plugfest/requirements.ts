/**
 * The plugfest's own requirements: what only shows when several OI4 applications meet on one broker. They are
 * not in a profile (no single run can decide them); plugfest.json lists them with every result, so a lab reads
 * the same ids, titles and sources as in a profile's catalog.
 */
export interface PlugfestRequirement {
  readonly id: string;
  readonly title: string;
  readonly level: 'MUST';
  readonly source: string;
}

export const PLUGFEST_MAM = 'PLUGFEST-MAM';
export const PLUGFEST_APPID = 'PLUGFEST-APPID';

export const PLUGFEST_REQUIREMENTS: readonly PlugfestRequirement[] = [
  {
    id: PLUGFEST_MAM,
    title:
      "Every OI4 participant's own MAM is published on the plugfest's shared broker, where every other participant can see it, " +
      'its identity names the AppId it is published under, and its fields are those the participant\'s own run read from it',
    level: 'MUST',
    source: 'OI4 OEC Development Guideline v1.1 (facts 4.1, 6.3: MAM on connect and on Get; the Oi4Identifier is built from the MAM)',
  },
  {
    id: PLUGFEST_APPID,
    title: 'No two participants share an AppId: neither the AppIds their runs tested nor the identities their MAMs on the shared broker name',
    level: 'MUST',
    source: 'OI4 OEC Development Guideline v1.1 (facts 4.1, 4.3: the Oi4Identifier identifies one application on the bus)',
  },
];
