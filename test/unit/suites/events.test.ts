import { describe, expect, test } from 'vitest';
import { parseTopic, type ParsedTopic } from '../../../harness/protocols/oi4/index.js';
import { judgeEvent, levelOfNumber } from '../../../suites/oi4-oec/lib/events.js';

const APP = 'acme.com/App/A-1/0001';
const topicOf = (tail: string): { text: string; parsed: ParsedTopic } => {
  const text = `Oi4/Utility/${APP}/Pub/Event/${APP}/${tail}`;
  const parsed = parseTopic(text);
  if (!parsed.ok) throw new Error(parsed.problems.join('; '));
  return { text, parsed: parsed.topic };
};
const dsm = (filter: string, payload: unknown) => ({ DataSetWriterId: 12, Source: APP, Filter: filter, Payload: payload });

describe('Event rules', () => {
  test('a Syslog Notice with Number 5 passes every rule', () => {
    const { text, parsed } = topicOf('Syslog/Notice');
    expect(judgeEvent(text, parsed, dsm('Syslog/Notice', { Number: 5, Category: 'CAT_SYSLOG_0', Details: { MSG: 'started', HEADER: 'h' } }))).toEqual({ form: [], payload: [], level: [] });
  });

  test('the TypeScript logger topic form breaks the topic rule', () => {
    const { text, parsed } = topicOf('CAT_SYSLOG_0/notice');
    expect(judgeEvent(text, parsed, dsm('CAT_SYSLOG_0/notice', { Number: 5, Category: 'CAT_SYSLOG_0' })).form).toHaveLength(1);
  });

  test('a Filter other than <Category>/<Level> breaks the topic rule', () => {
    const { text, parsed } = topicOf('Status/Good');
    expect(judgeEvent(text, parsed, dsm('Status', { Number: 0, Category: 'CAT_STATUS_1' })).form[0]).toMatch(/Filter "Status"/);
  });

  test('a Category that does not fit the topic, a fractional Number and foreign Details break the payload rule', () => {
    const { text, parsed } = topicOf('Syslog/Notice');
    expect(judgeEvent(text, parsed, dsm('Syslog/Notice', { Number: 5, Category: 'CAT_STATUS_1' })).payload[0]).toMatch(/CAT_SYSLOG_0/);
    expect(judgeEvent(text, parsed, dsm('Syslog/Notice', { Number: 5.5, Category: 'CAT_SYSLOG_0' })).payload.length).toBeGreaterThan(0);
    expect(judgeEvent(text, parsed, dsm('Syslog/Notice', { Number: 5, Category: 'CAT_SYSLOG_0', Details: { SymbolicId: 'Good' } })).payload[0]).toMatch(/SymbolicId/);
  });

  test('the Level follows the Number: syslog severity, StatusCode severity bits, NE 107 order', () => {
    expect(levelOfNumber('Syslog', 3)).toBe('Error');
    expect(levelOfNumber('Syslog', 0x1d)).toBe('Notice');
    expect(levelOfNumber('Status', 0x80350000)).toBe('Bad');
    expect(levelOfNumber('Status', 0x40000000)).toBe('Uncertain');
    expect(levelOfNumber('Ne107', 4)).toBe('MaintenanceRequired');
    expect(levelOfNumber('Generic', 7)).toBeUndefined();
    const { text, parsed } = topicOf('Syslog/Error');
    expect(judgeEvent(text, parsed, dsm('Syslog/Error', { Number: 5, Category: 'CAT_SYSLOG_0' })).level[0]).toMatch(/level Notice/);
  });
});
