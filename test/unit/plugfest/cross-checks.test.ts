import { describe, expect, test } from 'vitest';
import type { Report } from '../../../harness/model/index.js';
import { crossTargetChecks, type MamObservation, type ObservedMam, type Participant } from '../../../harness/plugfest/index.js';

const MAKER = 'acme.example/Edge,20App/EA-1';
const idOf = (serial: string) => `${MAKER}/${serial}`;

function mamFields(serial: string): Record<string, string> {
  return { ManufacturerUri: 'acme.example', Model: 'Edge App', ProductCode: 'EA-1', SerialNumber: serial, DeviceClass: 'Oi4.Utility' };
}

// only the parts of a report the cross-target checks read
function report(serial: string, options: { identity?: Record<string, string> | null; appId?: string } = {}): Report {
  const appId = options.appId ?? idOf(serial);
  const identity = options.identity === null ? null : { source: `OI4 MAM from Oi4/Utility/${appId}/Pub/MAM/${appId}`, fields: options.identity ?? mamFields(serial) };
  return { profile: { id: 'oi4-oec-application' }, target: { appId, serviceType: 'Utility', identity, identities: identity ? [identity] : [] } } as unknown as Report;
}

function seen(serial: string, fields = mamFields(serial), names = idOf(fields['SerialNumber']!), publisher = serial): ObservedMam {
  const appId = idOf(serial);
  return { appId, serviceType: 'Utility', source: appId, fields, names, unsolicited: true, publisherId: `Utility/${idOf(publisher)}`, topic: `Oi4/Utility/${appId}/Pub/MAM/${appId}`, count: 2, firstSeenAt: '', lastSeenAt: '' };
}

function observation(...variants: ObservedMam[]): MamObservation {
  return { variants, messages: variants.length, unreadable: 0, dropped: 0 };
}

const participant = (name: string, reports: Report[], more: Partial<Participant> = {}): Participant => ({ name, onSharedBroker: true, reports, runsWithoutReport: 0, ...more });

function outcomes(results: ReturnType<typeof crossTargetChecks>, requirement: string) {
  return Object.fromEntries(results.filter((r) => r.requirement === requirement).map((r) => [r.target, [r.outcome, r.reason]]));
}

describe('cross-target checks', () => {
  test('two applications that see each other, each with its own AppId, pass both', () => {
    const results = crossTargetChecks({ participants: [participant('a', [report('1')]), participant('b', [report('2')])], observation: observation(seen('1'), seen('2')) });
    expect(results.map((r) => r.outcome)).toEqual(['PASS', 'PASS', 'PASS', 'PASS']);
    expect(outcomes(results, 'PLUGFEST-MAM')['a']![1]).toBe(`its MAM was seen 2 time(s) on Oi4/Utility/${idOf('1')}/Pub/MAM/${idOf('1')} (2 unsolicited), names its AppId, and matches the identity its run(s) read (5 fields)`);
  });

  test('PLUGFEST-MAM fails when the MAM never reached the shared broker, and says why', () => {
    const results = crossTargetChecks({
      participants: [participant('a', [report('1')]), participant('b', [report('2')]), participant('c', [report('3')], { onSharedBroker: false, offSharedBrokerBecause: 'it ran on a broker of its own (sharedBroker: false)' })],
      observation: observation(seen('1')),
    });
    const mam = outcomes(results, 'PLUGFEST-MAM');
    expect(mam['b']).toEqual(['FAIL', `expected its MAM on Oi4/Utility/${idOf('2')}/Pub/MAM/${idOf('2')} on the shared broker; saw none (0 MAM(s) under its AppId about other Sources or from other publishers; 1 MAM message(s) on the bus in all)`]);
    expect(mam['c']![0]).toBe('FAIL');
    expect(mam['c']![1]).toMatch(/never seen there: it ran on a broker of its own \(sharedBroker: false\), so no other participant could see it/);
  });

  test('PLUGFEST-MAM fails on a field that differs from what the run read, naming the field and both values', () => {
    const results = crossTargetChecks({ participants: [participant('a', [report('1')]), participant('b', [report('2')])], observation: observation(seen('1', { ...mamFields('1'), DeviceClass: 'Oi4.Registry' }), seen('2')) });
    expect(outcomes(results, 'PLUGFEST-MAM')['a']).toEqual([
      'FAIL',
      `MAM field DeviceClass: its oi4-oec-application run read "Oi4.Utility"; the shared broker carried "Oi4.Registry" on Oi4/Utility/${idOf('1')}/Pub/MAM/${idOf('1')} (unsolicited)`,
    ]);
  });

  test('PLUGFEST-MAM fails when the MAM names another identity than the AppId it is published under', () => {
    const results = crossTargetChecks({ participants: [participant('a', [report('1', { identity: mamFields('9') })]), participant('b', [report('2')])], observation: observation(seen('1', mamFields('9')), seen('2')) });
    expect(outcomes(results, 'PLUGFEST-MAM')['a']![1]).toMatch(new RegExp(`names the Oi4Identifier ${idOf('9')}, not the AppId ${idOf('1')}`));
  });

  test('PLUGFEST-MAM is not executed without a report to compare with, and ERROR when the bus could not be watched', () => {
    const noIdentity = crossTargetChecks({ participants: [participant('a', [report('1', { identity: null })]), participant('b', [], { runsWithoutReport: 1 })], observation: observation(seen('1')) });
    expect(outcomes(noIdentity, 'PLUGFEST-MAM')['a']![0]).toBe('NOT_EXECUTED');
    expect(outcomes(noIdentity, 'PLUGFEST-MAM')['b']![1]).toMatch(/no report of its runs names its AppId \(1 run\(s\) without a usable report\)/);
    expect(outcomes(noIdentity, 'PLUGFEST-APPID')['b']![0]).toBe('NOT_EXECUTED');
    const blind = crossTargetChecks({ participants: [participant('a', [report('1')]), participant('b', [report('2')])], observerError: 'connection refused' });
    expect(outcomes(blind, 'PLUGFEST-MAM')['a']).toEqual(['ERROR', 'the shared broker could not be watched: connection refused']);
    // the AppIds come from the reports: still decided
    expect(outcomes(blind, 'PLUGFEST-APPID')['a']![0]).toBe('PASS');
  });

  test('PLUGFEST-APPID fails for both when two runs tested one AppId (DNP escapes compared case-insensitively)', () => {
    const results = crossTargetChecks({ participants: [participant('a', [report('X,2F1')]), participant('b', [report('X,2f1')]), participant('c', [report('3')])], observation: observation() });
    const appId = outcomes(results, 'PLUGFEST-APPID');
    expect(appId['a']).toEqual(['FAIL', `expected an AppId no other participant uses; its runs tested ${idOf('X,2F1')}, and target b has the same AppId (its runs tested ${idOf('X,2f1')})`]);
    expect(appId['b']![0]).toBe('FAIL');
    expect(appId['c']![0]).toBe('PASS');
  });

  test("PLUGFEST-APPID fails when a participant's MAM on the bus names another participant's AppId", () => {
    const results = crossTargetChecks({ participants: [participant('a', [report('1', { identity: mamFields('2') })]), participant('b', [report('2')])], observation: observation(seen('1', mamFields('2')), seen('2')) });
    const appId = outcomes(results, 'PLUGFEST-APPID');
    expect(appId['a']![1]).toMatch(new RegExp(`its MAM on .* names ${idOf('2')}, and target b has the same AppId`));
    expect(appId['b']![0]).toBe('FAIL');
  });

  test('a MAM another participant sent under my topic (its PublisherId says so) is its doing, not mine', () => {
    // "m" answers Gets addressed to others: its MAM on a's topic, with m's PublisherId
    const results = crossTargetChecks({
      participants: [participant('a', [report('1')]), participant('m', [report('9')])],
      observation: observation(seen('1'), seen('1', mamFields('9'), idOf('9'), '9'), seen('9')),
    });
    const mam = outcomes(results, 'PLUGFEST-MAM');
    expect(mam['a']![0]).toBe('PASS');
    expect(mam['a']![1]).toMatch(new RegExp(`2 MAM\\(s\\) under its AppId came from other publishers \\(Utility/${idOf('9')}\\), which are theirs, not its`));
    const appId = outcomes(results, 'PLUGFEST-APPID');
    expect(appId['a']![0]).toBe('PASS');
    // when a's own run got m's answer first, a's run read m's identity: a cannot be judged by it
    const misread = crossTargetChecks({
      participants: [participant('a', [report('1', { identity: mamFields('9') })]), participant('m', [report('9')])],
      observation: observation(seen('1'), seen('1', mamFields('9'), idOf('9'), '9'), seen('9')),
    });
    expect(outcomes(misread, 'PLUGFEST-MAM')['a']).toEqual([
      'NOT_EXECUTED',
      `its MAM was seen on Oi4/Utility/${idOf('1')}/Pub/MAM/${idOf('1')} and names its AppId, but the identity its oi4-oec-application run(s) read is the MAM another publisher (Utility/${idOf('9')}) sent under its AppId, not its own: nothing to compare the fields with`,
    ]);
    expect(appId['m']).toEqual(['FAIL', `expected an AppId no other participant uses; it sent 2 MAM(s) (PublisherId Utility/${idOf('9')}) under the topics of other AppIds: ${idOf('1')} (target a)`]);
  });

  test('PLUGFEST-APPID fails for a target whose runs tested different applications (discovery on a shared bus)', () => {
    const results = crossTargetChecks({ participants: [participant('a', [report('1'), report('2')]), participant('b', [report('3')])], observation: observation() });
    expect(outcomes(results, 'PLUGFEST-APPID')['a']).toEqual(['FAIL', `its runs tested 2 different AppIds (${idOf('1')}, ${idOf('2')}): one target must be one application`]);
  });
});
