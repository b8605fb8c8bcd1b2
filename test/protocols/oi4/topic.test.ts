import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  METHODS,
  RESOURCES,
  TOPIC_LEVEL_RULES,
  allowedLevelCounts,
  buildTopic,
  mirrorTopic,
  parseTopic,
  topicProblems,
  type ParsedTopic,
} from '../../../harness/protocols/oi4/index.js';

interface TopicSamples {
  valid: {
    topic: string;
    levels: number;
    serviceType: string;
    appId: string;
    method: string;
    resource: string;
    source?: string;
    filter?: string;
  }[];
  invalid: { topic: string; stage: 'parse' | 'grammar'; problem: string; reason: string }[];
}

const samples = JSON.parse(
  readFileSync(new URL('../../../fixtures/samples/oi4-oec/topics.json', import.meta.url), 'utf8'),
) as TopicSamples;

function parsed(topic: string): ParsedTopic {
  const result = parseTopic(topic);
  if (!result.ok) throw new Error(`${topic}: ${result.problems.join('; ')}`);
  return result.topic;
}

const APP = 'acme.com/app/P1/S1';
const SRC = 'acme.com/dev/P2/S2';

describe('parseTopic and topicProblems on the golden samples (facts 2)', () => {
  it.each(samples.valid)('parses $topic', (sample) => {
    const topic = parsed(sample.topic);
    expect(topic).toMatchObject({
      root: 'Oi4',
      levels: sample.levels,
      serviceType: sample.serviceType,
      appId: sample.appId,
      method: sample.method,
      resource: sample.resource,
    });
    expect(topic.source).toBe(sample.source);
    expect(topic.filter).toBe(sample.filter);
    expect(topic.segments.join('/')).toBe(sample.topic);
    expect(topicProblems(topic)).toEqual([]);
  });

  it.each(samples.invalid)('rejects $topic ($reason)', ({ topic, stage, problem }) => {
    const result = parseTopic(topic);
    if (stage === 'parse') {
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.problems.some((p) => p.includes(problem)), result.problems.join(' | ')).toBe(true);
      return;
    }
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const problems = topicProblems(result.topic);
    expect(problems.some((p) => p.includes(problem)), problems.join(' | ')).toBe(true);
  });
});

describe('level counts (facts 2.2)', () => {
  it('parses 8 levels: no Source, no Filter', () => {
    const topic = parsed(`Oi4/OTConnector/${APP}/Get/MAM`);
    expect(topic).toMatchObject({ levels: 8, appId: APP, method: 'Get', resource: 'MAM' });
    expect(topic.source).toBeUndefined();
    expect(topic.filter).toBeUndefined();
  });

  it('parses 10 levels: legacy Pub/Event with a two-level filter and no Source', () => {
    const topic = parsed(`Oi4/OTConnector/${APP}/Pub/Event/Syslog/Error`);
    expect(topic).toMatchObject({ levels: 10, resource: 'Event', filter: 'Syslog/Error' });
    expect(topic.source).toBeUndefined();
    expect(topicProblems(topic)).toEqual([]);
    expect(topicProblems(parsed(`Oi4/OTConnector/${APP}/Pub/Health/Syslog/Error`))).toContain(
      'a Pub Health topic has 8 or 12 levels, not 10',
    );
  });

  it('parses 12 levels: Source', () => {
    expect(parsed(`Oi4/OTConnector/${APP}/Pub/Health/${SRC}`)).toMatchObject({ levels: 12, source: SRC });
  });

  it('parses 13 levels: Source and one Filter level', () => {
    expect(parsed(`Oi4/OTConnector/${APP}/Get/LicenseText/${SRC}/MIT`)).toMatchObject({ levels: 13, source: SRC, filter: 'MIT' });
  });

  it('parses 14 levels: Source and two Filter levels joined with "/"', () => {
    expect(parsed(`Oi4/OTConnector/${APP}/Set/SubscriptionList/${SRC}/MAM/t1`)).toMatchObject({
      levels: 14,
      source: SRC,
      filter: 'MAM/t1',
    });
  });

  it.each([1, 2, 5, 7, 9, 11, 15, 16, 20])('rejects %i levels', (count) => {
    const topic = Array.from({ length: count }, (_, i) => (i === 0 ? 'Oi4' : `l${i}`)).join('/');
    const result = parseTopic(topic);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems[0]).toBe(`topic has ${count} levels; expected 8, 10, 12, 13 or 14`);
  });

  it('rejects the empty topic', () => {
    expect(parseTopic('').ok).toBe(false);
  });

  it('rejects wildcards at every level, and reports each one', () => {
    const base = `Oi4/OTConnector/${APP}/Get/Config/${SRC}/f`.split('/');
    for (let i = 0; i < base.length; i += 1) {
      for (const wildcard of ['+', '#']) {
        const levels = [...base];
        levels[i] = wildcard;
        const result = parseTopic(levels.join('/'));
        expect(result.ok, levels.join('/')).toBe(false);
      }
    }
    const result = parseTopic(`Oi4/+/${APP}/+/MAM/${SRC}/#`);
    expect(result.ok ? [] : result.problems).toHaveLength(3);
  });

  it('treats "+" or "#" inside a level as ordinary characters (they are wildcards only as whole levels)', () => {
    const topic = parsed(`Oi4/OTConnector/${APP}/Get/Config/${SRC}/a+b#c`);
    expect(topic.filter).toBe('a+b#c');
  });

  it('applies the level table to every method and resource', () => {
    for (const method of METHODS) {
      for (const resource of RESOURCES) {
        const allowed = allowedLevelCounts(method, resource) as number[];
        for (const [levels, tail] of [
          [8, ''],
          [12, `/${SRC}`],
          [13, `/${SRC}/f`],
          [14, `/${SRC}/f/g`],
        ] as const) {
          const problems = topicProblems(parsed(`Oi4/OTConnector/${APP}/${method}/${resource}${tail}`));
          expect(problems.length === 0, `${method} ${resource} ${levels}: ${problems.join(' | ')}`).toBe(allowed.includes(levels));
        }
      }
    }
  });

  it('keeps the level table in step with the facts', () => {
    expect(allowedLevelCounts('Get', 'MAM')).toEqual([8, 12]);
    expect(allowedLevelCounts('Get', 'Interfaces')).toEqual([8, 12]);
    expect(allowedLevelCounts('Pub', 'Interfaces')).toEqual([12]);
    expect(allowedLevelCounts('Pub', 'Event')).toEqual([10, 14]);
    expect(allowedLevelCounts('Get', 'Metadata')).toEqual([13]);
    expect(allowedLevelCounts('Set', 'Config')).toEqual([13]);
    expect(allowedLevelCounts('Set', 'ReferenceDesignation')).toEqual([12]);
    expect(allowedLevelCounts('Del', 'PublicationList')).toEqual([13, 14]);
    expect(allowedLevelCounts('Get', 'License')).toEqual([8, 12, 13]);
    expect(allowedLevelCounts('Call', 'Blink')).toEqual([]);
    for (const rule of TOPIC_LEVEL_RULES) expect(rule.resources.length).toBeGreaterThan(0);
  });
});

describe('buildTopic and mirrorTopic', () => {
  it('builds each form and parses back to the same parts', () => {
    const cases = [
      { serviceType: 'OTConnector', appId: APP, method: 'Get', resource: 'MAM' },
      { serviceType: 'OTConnector', appId: APP, method: 'Get', resource: 'MAM', source: SRC },
      { serviceType: 'Registry', appId: APP, method: 'Get', resource: 'LicenseText', source: SRC, filter: 'MIT' },
      { serviceType: 'Utility', appId: APP, method: 'Pub', resource: 'Event', source: SRC, filter: 'Status/Good' },
    ] as const;
    for (const parts of cases) {
      const topic = parsed(buildTopic(parts));
      expect(topic).toMatchObject(parts);
      expect(topicProblems(topic)).toEqual([]);
    }
    expect(buildTopic(cases[2])).toBe(`Oi4/Registry/${APP}/Get/LicenseText/${SRC}/MIT`);
  });

  it('refuses what it cannot build', () => {
    expect(() => buildTopic({ serviceType: 'Utility', appId: 'a/b', method: 'Get', resource: 'MAM' })).toThrow('4 levels');
    expect(() => buildTopic({ serviceType: 'Utility', appId: APP, method: 'Get', resource: 'MAM', source: 'x' })).toThrow('4 levels');
    expect(() => buildTopic({ serviceType: 'Utility', appId: APP, method: 'Pub', resource: 'Event', filter: 'Status/Good' })).toThrow(
      'needs a Source',
    );
    expect(() =>
      buildTopic({ serviceType: 'Utility', appId: APP, method: 'Pub', resource: 'Event', source: SRC, filter: 'a/b/c' }),
    ).toThrow('at most 2');
  });

  it('mirrors Get to Pub at level 7 only', () => {
    expect(mirrorTopic(`Oi4/OTConnector/${APP}/Get/MAM`)).toBe(`Oi4/OTConnector/${APP}/Pub/MAM`);
    // a Get in the Source or Filter is left alone
    expect(mirrorTopic(`Oi4/OTConnector/${APP}/Get/Config/acme.com/Get/Get/Get/Get`)).toBe(
      `Oi4/OTConnector/${APP}/Pub/Config/acme.com/Get/Get/Get/Get`,
    );
    for (const sample of samples.valid.filter((s) => s.method === 'Get')) {
      const mirrored = parsed(mirrorTopic(sample.topic));
      expect(mirrored).toMatchObject({ method: 'Pub', appId: sample.appId, resource: sample.resource });
      expect(mirrored.source).toBe(sample.source);
      expect(mirrored.filter).toBe(sample.filter);
    }
  });

  it('refuses to mirror what is not a Get topic', () => {
    expect(() => mirrorTopic(`Oi4/OTConnector/${APP}/Pub/MAM`)).toThrow('is not "Get"');
    expect(() => mirrorTopic('Oi4/OTConnector/a/b/c')).toThrow('fewer than 8 levels');
  });
});
