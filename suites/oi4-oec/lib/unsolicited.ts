import type { CheckContext } from '../../../harness/engine/index.js';
import { correlationIdOf, type Oi4Session, type ReceivedMessage } from '../../../harness/protocols/oi4/index.js';

/** Where the target publishes a source's MAM or Health unasked: Oi4/<ST>/<AppId>/Pub/<Resource>/<Source>. */
export const pubTopic = (ctx: CheckContext, resource: 'MAM' | 'Health', source: string): string =>
  `Oi4/${ctx.mqtt.oi4.serviceType}/${ctx.mqtt.oi4.appId}/Pub/${resource}/${source}`;

/** A publication nobody asked for: no CorrelationId, or an empty one (facts 6.2). */
export function uncorrelated(session: Oi4Session, message: ReceivedMessage): boolean {
  const parsed = session.parse(message);
  return parsed.ok && !correlationIdOf(parsed.message);
}

/** An unsolicited publication happening now: a retained one handed over on subscription is history. */
export function unsolicited(session: Oi4Session, message: ReceivedMessage): boolean {
  return !message.retain && uncorrelated(session, message);
}
