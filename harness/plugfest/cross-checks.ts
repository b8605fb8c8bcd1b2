import type { Report, TargetIdentity } from '../model/index.js';
import { canonicalIdentifier, sameIdentifier } from '../protocols/oi4/index.js';
import type { CrossTargetResult } from './matrix-json.js';
import type { MamObservation, ObservedMam } from './observer.js';
import { PLUGFEST_APPID, PLUGFEST_MAM } from './requirements.js';

/** An OI4 target of the plugfest, as the cross-target checks see it: how it was placed, and what its runs reported. */
export interface Participant {
  readonly name: string;
  readonly onSharedBroker: boolean;
  readonly offSharedBrokerBecause?: string;
  /** the valid reports of its runs */
  readonly reports: readonly Report[];
  /** runs that gave no usable report */
  readonly runsWithoutReport: number;
}

export interface CrossCheckInput {
  readonly participants: readonly Participant[];
  /** what the observer saw on the shared broker; undefined when it could not listen (observerError says why) */
  readonly observation?: MamObservation;
  readonly observerError?: string;
}

/** The OI4 identity a report read from the target (the preflight's Get MAM), if any. */
function mamIdentityOfReport(report: Report): TargetIdentity | undefined {
  const all = [...(report.target.identities ?? []), ...(report.target.identity ? [report.target.identity] : [])];
  return all.find((identity) => identity.source.startsWith('OI4 MAM'));
}

function quote(value: string | undefined): string {
  return value === undefined ? '(absent)' : JSON.stringify(value);
}

/** The AppIds a participant's runs tested, distinct. */
function reportedAppIds(participant: Participant): string[] {
  const ids: string[] = [];
  for (const report of participant.reports) {
    const id = report.target.appId;
    if (id !== undefined && !ids.some((known) => sameIdentifier(known, id))) ids.push(id);
  }
  return ids;
}

/** The AppId a PublisherId (`<ServiceType>/<AppId>`) names, or undefined when there is none to read. */
function publisherAppId(mam: ObservedMam): string | undefined {
  const slash = mam.publisherId?.indexOf('/') ?? -1;
  return slash > 0 ? mam.publisherId!.slice(slash + 1) : undefined;
}

/**
 * Sent by the application with this AppId, as far as the bus can tell: its PublisherId names it (or it has none to
 * say otherwise). On a shared bus another participant can publish under someone else's topic; its PublisherId
 * then gives it away, and the message is its own doing, not the topic owner's.
 */
function sentBy(mam: ObservedMam, appId: string): boolean {
  const publisher = publisherAppId(mam);
  return publisher === undefined || sameIdentifier(publisher, appId);
}

/** The participant's own MAMs on the bus: under its AppId, about itself (a gateway's devices have other Sources), sent by it. */
function ownMams(observation: MamObservation, appId: string): ObservedMam[] {
  return observation.variants.filter((v) => sameIdentifier(v.appId, appId) && v.source !== undefined && sameIdentifier(v.source, appId) && sentBy(v, appId));
}

/** MAMs under this AppId's topics that another publisher sent (by its PublisherId). */
function intrudedMams(observation: MamObservation, appId: string): ObservedMam[] {
  return observation.variants.filter((v) => sameIdentifier(v.appId, appId) && !sentBy(v, appId));
}

/** MAMs this AppId's application sent (by its PublisherId) under the topics of other AppIds. */
function intrusionsBy(observation: MamObservation, appId: string): ObservedMam[] {
  return observation.variants.filter((v) => !sameIdentifier(v.appId, appId) && publisherAppId(v) !== undefined && sameIdentifier(publisherAppId(v)!, appId));
}

function expectedTopic(report: Report | undefined, appId: string): string {
  return `Oi4/${report?.target.serviceType ?? '<ServiceType>'}/${appId}/Pub/MAM/${appId}`;
}

/** PLUGFEST-MAM for one participant. */
function checkMam(participant: Participant, input: CrossCheckInput): Omit<CrossTargetResult, 'requirement' | 'target'> {
  const [appId, ...others] = reportedAppIds(participant);
  if (appId === undefined) {
    return { outcome: 'NOT_EXECUTED', reason: `no report of its runs names its AppId (${participant.runsWithoutReport} run(s) without a usable report): nothing to look for on the shared broker` };
  }
  const report = participant.reports.find((r) => r.target.appId !== undefined && sameIdentifier(r.target.appId, appId));
  const topic = expectedTopic(report, appId);
  const also = others.length ? ` (its runs also tested ${others.join(', ')}; see ${PLUGFEST_APPID})` : '';
  if (!participant.onSharedBroker) {
    return { outcome: 'FAIL', reason: `expected its MAM on ${topic} on the plugfest's shared broker; never seen there: ${participant.offSharedBrokerBecause ?? 'it was not on the shared broker'}, so no other participant could see it${also}` };
  }
  const { observation } = input;
  if (!observation) return { outcome: 'ERROR', reason: `the shared broker could not be watched: ${input.observerError ?? 'no observer'}` };
  const own = ownMams(observation, appId);
  const intruded = intrudedMams(observation, appId);
  const intruders = [...new Set(intruded.map((m) => m.publisherId))].join(', ');
  const fromOthers = intruded.length ? `; ${intruded.reduce((n, m) => n + m.count, 0)} MAM(s) under its AppId came from other publishers (${intruders}), which are theirs, not its` : '';
  if (own.length === 0) {
    const underAppId = observation.variants.filter((v) => sameIdentifier(v.appId, appId)).reduce((n, v) => n + v.count, 0);
    const seen = `saw none (${underAppId} MAM(s) under its AppId about other Sources or from other publishers; ${observation.messages} MAM message(s) on the bus in all)${fromOthers}`;
    if (observation.lostBecause) return { outcome: 'ERROR', reason: `expected its MAM on ${topic}; ${seen}, but the observer lost the broker during the plugfest (${observation.lostBecause})` };
    return { outcome: 'FAIL', reason: `expected its MAM on ${topic} on the shared broker; ${seen}${also}` };
  }
  for (const mam of own) {
    if (mam.names === undefined) {
      return { outcome: 'FAIL', reason: `its MAM on ${mam.topic} lacks a text ManufacturerUri, Model.Text, ProductCode or SerialNumber, so no participant can tell whose it is` };
    }
    if (!sameIdentifier(mam.names, appId)) {
      return { outcome: 'FAIL', reason: `its MAM on ${mam.topic} names the Oi4Identifier ${mam.names}, not the AppId ${appId} it is published under: the other participants see the wrong identity` };
    }
  }
  const read = participant.reports.flatMap((r) => {
    const identity = mamIdentityOfReport(r);
    return identity ? [{ profile: r.profile.id, fields: identity.fields }] : [];
  });
  // a run's Get MAM takes the first answer; on a shared bus another publisher may have given it: that identity is
  // not the participant's, and comparing with it would blame the participant for the other's MAM
  const sameFields = (a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>) =>
    Object.keys(a).length === Object.keys(b).length && Object.entries(a).every(([key, value]) => b[key] === value);
  const hijacked = read.filter((identity) => intruded.some((m) => sameFields(m.fields, identity.fields)) && !own.some((m) => sameFields(m.fields, identity.fields)));
  const identities = read.filter((identity) => !hijacked.includes(identity));
  if (identities.length === 0) {
    const why = hijacked.length
      ? `the identity its ${hijacked.map((h) => h.profile).join(', ')} run(s) read is the MAM another publisher (${intruders}) sent under its AppId, not its own`
      : 'no run of it could read its identity';
    return { outcome: 'NOT_EXECUTED', reason: `its MAM was seen on ${own[0]!.topic} and names its AppId, but ${why}: nothing to compare the fields with` };
  }
  for (const mam of own) {
    for (const identity of identities) {
      const keys = [...new Set([...Object.keys(identity.fields), ...Object.keys(mam.fields)])].sort();
      const differing = keys.find((key) => identity.fields[key] !== mam.fields[key]);
      if (differing !== undefined) {
        return {
          outcome: 'FAIL',
          reason: `MAM field ${differing}: its ${identity.profile} run read ${quote(identity.fields[differing])}; the shared broker carried ${quote(mam.fields[differing])} on ${mam.topic}${mam.unsolicited ? ' (unsolicited)' : ' (an answer)'}`,
        };
      }
    }
  }
  const times = own.reduce((n, m) => n + m.count, 0);
  const unsolicited = own.filter((m) => m.unsolicited).reduce((n, m) => n + m.count, 0);
  const fields = Object.keys(identities[0]!.fields).length;
  return {
    outcome: 'PASS',
    reason: `its MAM was seen ${times} time(s) on ${own[0]!.topic} (${unsolicited} unsolicited), names its AppId, and matches the identity its run(s) read (${fields} fields)${also}${fromOthers}`,
  };
}

/** Which AppIds a participant is known by: those its runs tested, and those its own MAMs on the bus name. */
function appIdsOf(participant: Participant, observation: MamObservation | undefined): Map<string, string> {
  const ids = new Map<string, string>();
  for (const id of reportedAppIds(participant)) ids.set(canonicalIdentifier(id), `its runs tested ${id}`);
  if (observation) {
    for (const id of reportedAppIds(participant)) {
      for (const mam of ownMams(observation, id)) {
        if (mam.names !== undefined && !ids.has(canonicalIdentifier(mam.names))) ids.set(canonicalIdentifier(mam.names), `its MAM on ${mam.topic} names ${mam.names}`);
      }
    }
  }
  return ids;
}

/** PLUGFEST-APPID for every participant at once: an AppId is shared by two or more of them, or it is not. */
function checkAppIds(input: CrossCheckInput): Map<string, Omit<CrossTargetResult, 'requirement' | 'target'>> {
  const known = new Map(input.participants.map((p) => [p.name, appIdsOf(p, input.observation)]));
  const results = new Map<string, Omit<CrossTargetResult, 'requirement' | 'target'>>();
  for (const participant of input.participants) {
    const own = known.get(participant.name)!;
    const tested = reportedAppIds(participant);
    if (tested.length === 0) {
      results.set(participant.name, { outcome: 'NOT_EXECUTED', reason: 'no report of its runs names its AppId' });
      continue;
    }
    if (tested.length > 1) {
      results.set(participant.name, { outcome: 'FAIL', reason: `its runs tested ${tested.length} different AppIds (${tested.join(', ')}): one target must be one application` });
      continue;
    }
    const clashes: string[] = [];
    if (input.observation) {
      // publishing under another application's topics is using its AppId, whatever one's own is
      const intrusions = intrusionsBy(input.observation, tested[0]!);
      const underAppIds = [...new Set(intrusions.map((m) => canonicalIdentifier(m.appId)))].map((id) => {
        const owner = input.participants.find((p) => p.name !== participant.name && reportedAppIds(p).some((theirs) => sameIdentifier(theirs, id)));
        return owner ? `${id} (target ${owner.name})` : id;
      });
      if (underAppIds.length) {
        const shown = underAppIds.slice(0, 5).join(', ') + (underAppIds.length > 5 ? ` and ${underAppIds.length - 5} more` : '');
        const count = intrusions.reduce((n, m) => n + m.count, 0);
        clashes.push(`it sent ${count} MAM(s) (PublisherId ${intrusions[0]!.publisherId ?? ''}) under the topics of other AppIds: ${shown}`);
      }
    }
    for (const [id, how] of own) {
      for (const other of input.participants) {
        if (other.name === participant.name) continue;
        const theirs = known.get(other.name)!.get(id);
        if (theirs !== undefined) clashes.push(`${how}, and target ${other.name} has the same AppId (${theirs})`);
      }
    }
    results.set(
      participant.name,
      clashes.length
        ? { outcome: 'FAIL', reason: `expected an AppId no other participant uses; ${clashes.join('; ')}` }
        : { outcome: 'PASS', reason: `AppId ${tested[0]} is its own: no other participant's run tested it and no other participant's MAM names it` },
    );
  }
  return results;
}

/**
 * The cross-target checks of a plugfest whose OI4 targets share one broker: PLUGFEST-MAM and PLUGFEST-APPID, one
 * result per participant each.
 */
export function crossTargetChecks(input: CrossCheckInput): CrossTargetResult[] {
  const appIds = checkAppIds(input);
  return input.participants.flatMap((participant) => [
    { requirement: PLUGFEST_MAM, target: participant.name, ...checkMam(participant, input) },
    { requirement: PLUGFEST_APPID, target: participant.name, ...appIds.get(participant.name)! },
  ]);
}
