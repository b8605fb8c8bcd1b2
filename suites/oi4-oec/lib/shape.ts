import { inject } from 'vitest';
import type { Resource } from '../../../harness/protocols/oi4/index.js';
import { MANDATORY } from './resources.js';

/**
 * What kind of OI4 participant the profile under test certifies, read at collection time, so each suite
 * declares only the checks that apply (a device is never asked for its License).
 */
export type Shape = 'application' | 'device' | 'gateway';

const SHAPES: Readonly<Record<string, Shape>> = {
  'oi4-oec-application': 'application',
  'oi4-oec-device': 'device',
  'oi4-oec-gateway': 'gateway',
};

export { MANDATORY };

export function shape(): Shape {
  const profileId = inject('oi4conformance').profileId;
  const found = SHAPES[profileId];
  if (!found) throw new Error(`the oi4-oec suites do not know profile ${profileId}`);
  return found;
}

/** The resources the target itself must answer: a gateway is an application. */
export function ownResources(): readonly Resource[] {
  return MANDATORY[shape() === 'device' ? 'device' : 'application'];
}
