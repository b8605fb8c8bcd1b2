/**
 * The monitor pipeline on hand-built messages: each deviation shows up as exactly the requirement it breaks,
 * under the application that broke it. Time is driven through the `at` argument, never the real clock.
 */
import { describe, expect, test } from 'vitest';
import { DATA_SET_CLASS_IDS } from '../../harness/protocols/oi4/index.js';
import {
  MonitorPipeline,
  NO_APP_ID,
  OTHER_APP_IDS,
  SCHEMA_FINDING_PREFIX,
  UNKNOWN_REQUESTER,
  type MonitorSnapshot,
} from '../../suites/oi4-oec/monitor/index.js';
import { APP_A, APP_B, REQUESTER, get, pub, pubTopic } from './messages.js';

/** requirement id -> count, for one application ({} when it has none; undefined when it is not listed) */
function violationsOf(snapshot: MonitorSnapshot, appId: string): Record<string, number> | undefined {
  const app = snapshot.appIds.find((a) => a.appId === appId);
  return app && Object.fromEntries(app.violations.map((v) => [v.id, v.count]));
}

function monitor(): MonitorPipeline {
  return new MonitorPipeline({ responseTimeoutMs: 2000 });
}

describe('valid publications', () => {
  test('MAM, Health, License and Profile publications produce no violation', () => {
    const m = monitor();
    for (const [i, resource] of (['MAM', 'Health', 'License', 'Profile'] as const).entries()) {
      const [topic, payload] = resource === 'License' ? pub(resource, { filter: 'MIT' }) : pub(resource);
      m.accept(topic, payload, i);
    }
    const snapshot = m.finish(10);
    expect(snapshot.messages).toBe(4);
    expect(snapshot.appIds).toHaveLength(1);
    expect(snapshot.appIds[0]).toMatchObject({ appId: APP_A, messages: 4, violationCount: 0, serviceType: 'Utility' });
    expect(snapshot.internalErrors.count).toBe(0);
  });

  test('a Get answered on the mirrored topic within the deadline pairs without violation', () => {
    const m = monitor();
    const [getTopic, getPayload, messageId] = get('Health');
    m.accept(getTopic, getPayload, 0);
    const [answerTopic, answer] = pub('Health', { topic: pubTopic('Health', APP_A, 'Utility', false), correlationId: messageId });
    m.accept(answerTopic, answer, 1999);
    const snapshot = m.finish(10_000);
    expect(snapshot.gets).toMatchObject({ seen: 1, tracked: 1, answered: 1, answeredElsewhere: 0, unanswered: 0, pending: 0 });
    expect(violationsOf(snapshot, APP_A)).toEqual({});
    // the Get belongs to its requester, whose PublisherId does not match the topic's AppId, and that is right
    expect(violationsOf(snapshot, REQUESTER)).toEqual({});
  });
});

describe('each deviation is exactly its requirement, under the application that broke it', () => {
  const cases: { name: string; message: () => [string, Buffer]; appId: string; expected: string }[] = [
    { name: 'wrong root', message: () => pub('Health', { topic: pubTopic('Health').replace(/^Oi4\//, 'oi4/') }), appId: APP_A, expected: 'OI4-TOP-001' },
    { name: 'bad level count', message: () => pub('Health', { topic: `${pubTopic('Health', APP_A, 'Utility', false)}/extra` }), appId: APP_A, expected: 'OI4-TOP-004' },
    { name: 'extra envelope field', message: () => pub('Health', { extra: { Comment: 'hello' } }), appId: APP_A, expected: 'OI4-ENV-002' },
    { name: 'wrong DataSetClassId', message: () => pub('Health', { dataSetClassId: DATA_SET_CLASS_IDS.MAM }), appId: APP_A, expected: 'OI4-ENV-005' },
    { name: 'missing DataSetClassId', message: () => pub('Health', { dataSetClassId: null }), appId: APP_A, expected: 'OI4-ENV-005' },
    { name: 'invalid Health payload', message: () => pub('Health', { payload: { Health: 'BROKEN', HealthScore: 100 } }), appId: APP_A, expected: 'OI4-HEA-001' },
    { name: 'invalid MAM ManufacturerUri', message: () => pub('MAM', { payload: { ...pubPayloadMam(), ManufacturerUri: 'ACME.com' } }), appId: APP_A, expected: 'OI4-MAM-002' },
    { name: 'reserved DataSetWriterId', message: () => pub('Health', { writerId: 5 }), appId: APP_A, expected: 'OI4-ENV-009' },
    { name: 'PublisherId of another application', message: () => pub('Health', { publisherId: `Utility/${APP_B}` }), appId: APP_A, expected: 'OI4-ID-001' },
    { name: 'v1.0 method name', message: () => pub('Health', { topic: pubTopic('Health').replace('/Pub/', '/pub/') }), appId: APP_A, expected: 'OI4-TOP-003' },
    { name: 'not JSON', message: () => [pubTopic('Health'), Buffer.from('{"MessageId": "broken')], appId: APP_A, expected: 'OI4-ENV-001' },
  ];
  for (const { name, message, appId, expected } of cases) {
    test(name, () => {
      const m = monitor();
      const [topic, payload] = message();
      m.accept(topic, payload, 0);
      const snapshot = m.finish(1);
      expect(violationsOf(snapshot, appId)).toEqual({ [expected]: 1 });
      expect(snapshot.appIds.map((a) => a.appId)).toEqual([appId]);
      const sample = snapshot.appIds[0]?.violations[0]?.samples[0];
      expect(sample).toMatchObject({ at: 0, topic });
      expect(sample?.problem).not.toBe('');
    });
  }

  test('a Get unanswered by its deadline is a violation of the addressed application (8 levels: OI4-GET-001)', () => {
    const m = monitor();
    const [health, healthPayload] = pub('Health', { appId: APP_B });
    m.accept(health, healthPayload, 0);
    const [topic, payload, messageId] = get('MAM', { appId: APP_B });
    m.accept(topic, payload, 1000);
    expect(violationsOf(m.finish(3000), APP_B)).toEqual({}); // exactly at the deadline: still pending
    const [other, otherPayload] = pub('Health');
    m.accept(other, otherPayload, 3001); // any later message moves time past the deadline
    const snapshot = m.snapshot();
    expect(violationsOf(snapshot, APP_B)).toEqual({ 'OI4-GET-001': 1 });
    expect(violationsOf(snapshot, REQUESTER)).toEqual({});
    expect(violationsOf(snapshot, APP_A)).toEqual({});
    expect(snapshot.gets).toMatchObject({ tracked: 1, unanswered: 1, unansweredUnseen: 0, pending: 0 });
    const sample = snapshot.appIds.find((a) => a.appId === APP_B)?.violations[0]?.samples[0];
    expect(sample).toMatchObject({ at: 1000, topic });
    expect(sample?.problem).toContain(messageId);
  });

  test('a Get unanswered by an application never seen on the bus is counted, not held against it', () => {
    const m = monitor();
    const [topic, payload] = get('MAM', { appId: APP_B });
    m.accept(topic, payload, 0);
    const snapshot = m.finish(5000);
    expect(violationsOf(snapshot, APP_B)).toBeUndefined();
    expect(snapshot.gets).toMatchObject({ tracked: 1, unanswered: 0, unansweredUnseen: 1 });
  });

  test('a Get with Source unanswered is OI4-GET-002', () => {
    const m = monitor();
    const [health, healthPayload] = pub('Health');
    m.accept(health, healthPayload, 0);
    const [topic, payload] = get('Profile', { source: APP_A });
    m.accept(topic, payload, 0);
    expect(violationsOf(m.finish(2001), APP_A)).toEqual({ 'OI4-GET-002': 1 });
  });

  test('an answer on another topic than the mirror is a violation of the addressed application', () => {
    const m = monitor();
    const [topic, payload, messageId] = get('Health');
    m.accept(topic, payload, 0);
    // answered with Source (12 levels) to a Get without Source (8 levels)
    const [answerTopic, answer] = pub('Health', { correlationId: messageId });
    m.accept(answerTopic, answer, 50);
    const snapshot = m.finish(5000);
    expect(violationsOf(snapshot, APP_A)).toEqual({ 'OI4-GET-001': 1 });
    expect(snapshot.gets).toMatchObject({ answered: 1, answeredElsewhere: 1, unanswered: 0 });
    const sample = snapshot.appIds.find((a) => a.appId === APP_A)?.violations[0]?.samples[0];
    expect(sample).toMatchObject({ at: 50, topic: answerTopic });
  });

  test('an answer after the deadline does not pair: the Get is unanswered', () => {
    const m = monitor();
    const [health, healthPayload] = pub('Health');
    m.accept(health, healthPayload, 0);
    const [topic, payload, messageId] = get('Health');
    m.accept(topic, payload, 0);
    const [answerTopic, answer] = pub('Health', { topic: pubTopic('Health', APP_A, 'Utility', false), correlationId: messageId });
    m.accept(answerTopic, answer, 2500);
    expect(violationsOf(m.finish(2500), APP_A)).toEqual({ 'OI4-GET-001': 1 });
  });

  test('a ServiceType that changes between an application\'s topics is OI4-TOP-002', () => {
    const m = monitor();
    const [t1, p1] = pub('Health');
    const [t2, p2] = pub('Health', { serviceType: 'Registry' });
    m.accept(t1, p1, 0);
    m.accept(t2, p2, 1);
    expect(violationsOf(m.finish(2), APP_A)).toEqual({ 'OI4-TOP-002': 1 });
  });
});

describe('requests belong to their requester', () => {
  test("a Get's envelope is judged under the requester, without the PublisherId-topic rule", () => {
    const m = monitor();
    const [topic, payload] = get('Health');
    const body = JSON.parse(payload.toString()) as Record<string, unknown>;
    delete body['DataSetClassId'];
    m.accept(topic, Buffer.from(JSON.stringify(body)), 0);
    const snapshot = m.finish(1);
    expect(violationsOf(snapshot, REQUESTER)).toEqual({ 'OI4-ENV-005': 1 });
    expect(violationsOf(snapshot, APP_A)).toBeUndefined();
  });

  test('an unreadable request goes to the unknown-requester bucket', () => {
    const m = monitor();
    const [topic] = get('Health');
    m.accept(topic, Buffer.from('not json'), 0);
    expect(violationsOf(m.finish(1), UNKNOWN_REQUESTER)).toEqual({ 'OI4-ENV-001': 1 });
  });

  test('a Get with another ServiceType than the application uses is not awaited', () => {
    const m = monitor();
    const [t, p] = pub('Health');
    m.accept(t, p, 0);
    const [topic, payload] = get('Health', { serviceType: 'Registry' });
    m.accept(topic, payload, 1);
    const snapshot = m.finish(10_000);
    expect(snapshot.gets).toMatchObject({ seen: 1, tracked: 0 });
    expect(violationsOf(snapshot, APP_A)).toEqual({});
  });
});

describe('messages that are not OI4', () => {
  test('a foreign root is reported under the AppId at levels 3-6', () => {
    const m = monitor();
    const [, payload] = pub('Health');
    m.accept(`plant/Utility/${APP_A}/Pub/Health/${APP_A}`, payload, 0);
    expect(violationsOf(m.finish(1), APP_A)).toEqual({ 'OI4-TOP-001': 1 });
  });

  test('a topic too short for an AppId goes to its own bucket', () => {
    const m = monitor();
    m.accept('Oi4/hello', Buffer.from('world'), 0);
    const snapshot = m.finish(1);
    expect(violationsOf(snapshot, NO_APP_ID)).toEqual({ 'OI4-TOP-004': 1, 'OI4-ENV-001': 1 });
  });

  test('a payload without a catalog requirement is a schema finding, not a requirement', () => {
    const m = monitor();
    const topic = `Oi4/Utility/${APP_A}/Pub/Event/${APP_A}/Syslog/Error`;
    const [, payload] = pub('Health', { topic, dataSetClassId: DATA_SET_CLASS_IDS.Event, filter: 'Syslog/Error', payload: { Number: 'x' } });
    m.accept(topic, payload, 0);
    const found = violationsOf(m.finish(1), APP_A) ?? {};
    expect(Object.keys(found)).toEqual([`${SCHEMA_FINDING_PREFIX}Event`]);
  });
});

describe('bounded memory, whatever the flood', () => {
  test('applications beyond the cap share one bucket; samples, pending Gets and cached topics are capped', () => {
    const m = new MonitorPipeline({ limits: { maxAppIds: 50, maxSamples: 40, maxPendingGets: 20, topicCacheSize: 30 } });
    for (let i = 0; i < 2000; i++) {
      const appId = `acme.com/Flood/F/${String(i).padStart(5, '0')}`;
      const [topic, payload] = pub('Health', { appId, dataSetClassId: DATA_SET_CLASS_IDS.MAM });
      m.accept(topic, payload, i);
      const [getTopic, getPayload] = get('MAM', { appId });
      m.accept(getTopic, getPayload, i);
    }
    const snapshot = m.snapshot();
    expect(snapshot.appIds.length).toBeLessThanOrEqual(51);
    expect(snapshot.appIds.some((a) => a.appId === OTHER_APP_IDS)).toBe(true);
    const samples = snapshot.appIds.reduce((n, a) => n + a.violations.reduce((k, v) => k + v.samples.length, 0), 0);
    expect(samples).toBeLessThanOrEqual(40);
    expect(snapshot.samplesOmitted).toBeGreaterThan(0);
    expect(snapshot.gets.pending).toBeLessThanOrEqual(20);
    expect(snapshot.gets.dropped).toBeGreaterThan(0);
    expect(snapshot.topicCache.size).toBeLessThanOrEqual(30);
    // every message is still counted
    expect(snapshot.messages).toBe(4000);
    expect(snapshot.appIds.reduce((n, a) => n + a.messages, 0)).toBe(4000);
  });

  test('at most samplesPerRequirement samples per application and requirement; counts go on', () => {
    const m = new MonitorPipeline({ limits: { samplesPerRequirement: 3 } });
    for (let i = 0; i < 10; i++) {
      const [topic, payload] = pub('Health', { dataSetClassId: DATA_SET_CLASS_IDS.MAM });
      m.accept(topic, payload, i);
    }
    const rule = m.snapshot().appIds[0]?.violations[0];
    expect(rule).toMatchObject({ id: 'OI4-ENV-005', count: 10 });
    expect(rule?.samples.map((s) => s.at)).toEqual([0, 1, 2]);
  });
});

describe('evidence', () => {
  test('a sampled message is handed to the sink once per application, and the sample refers to it', () => {
    const calls: string[] = [];
    const m = new MonitorPipeline({
      evidence: (appId, topic) => {
        calls.push(`${appId} ${topic}`);
        return calls.length;
      },
    });
    // two violations in one message: one evidence record
    const [topic, payload] = pub('Health', { dataSetClassId: DATA_SET_CLASS_IDS.MAM, extra: { Comment: 'x' } });
    m.accept(topic, payload, 0);
    const [clean, cleanPayload] = pub('MAM');
    m.accept(clean, cleanPayload, 1);
    const app = m.snapshot().appIds[0];
    expect(calls).toEqual([`${APP_A} ${topic}`]);
    expect(app?.violations.map((v) => v.samples[0]?.evidence)).toEqual([1, 1]);
  });
});

function pubPayloadMam(): Record<string, unknown> {
  const [, payload] = pub('MAM');
  const message = JSON.parse(payload.toString()) as { Messages: { Payload: Record<string, unknown> }[] };
  return message.Messages[0]?.Payload ?? {};
}
