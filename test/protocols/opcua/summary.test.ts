import { describe, expect, it } from 'vitest';
import { plain } from '../../../harness/protocols/opcua/summary.js';
import { OpcUaLog, createRedactor } from '../../../harness/evidence/index.js';

describe('plain: node-opcua values as JSON for evidence', () => {
  it('LocalizedText as locale and text, dates as ISO text, bytes as cut base64 with their size', () => {
    expect(plain({ locale: 'en-US', text: 'Pump', extra: 1 })).toEqual({ locale: 'en-US', text: 'Pump' });
    expect(plain(new Date('2026-01-02T03:04:05Z'))).toBe('2026-01-02T03:04:05.000Z');
    expect(plain(Buffer.alloc(300, 1))).toEqual({ base64: Buffer.alloc(256, 1).toString('base64'), bytes: 300, truncated: true });
    expect(plain(10n)).toBe('10');
  });

  it('stops at a depth a hostile structure could otherwise drive without end', () => {
    type Nested = { next?: Nested };
    const deep: Nested = {};
    let at = deep;
    for (let i = 0; i < 20; i++) at = at.next = {};
    expect(JSON.stringify(plain(deep))).toContain('"…"');
  });
});

describe('OpcUaLog', () => {
  it('redacts secrets inside values, also where JSON would escape them (a PEM key)', () => {
    const key = '-----BEGIN PRIVATE KEY-----\nabc123secret\n-----END PRIVATE KEY-----';
    const log = new OpcUaLog(createRedactor([key, 'pw-very-secret']));
    log.record({ service: 'CreateSession', request: { key, nested: ['pw-very-secret'] }, status: 'Good', durationMs: 1, startedAt: Date.now() });
    const text = log.toJsonLines();
    expect(text).not.toContain('abc123secret');
    expect(text).not.toContain('pw-very-secret');
  });

  it('caps records and cuts huge results, counting what it left out', () => {
    const log = new OpcUaLog(createRedactor([]), { maxRecords: 2, maxRecordChars: 50 });
    for (let i = 0; i < 3; i++) log.record({ service: 'Read', request: {}, status: 'Good', result: 'x'.repeat(100), durationMs: 1, startedAt: Date.now() });
    expect(log.records).toHaveLength(2);
    expect(log.dropped).toBe(1);
    expect(log.total).toBe(3);
    expect(log.records[0]!.result).toMatchObject({ truncated: true, chars: 102 });
    // the evidence file itself says what the cap cut, as the MQTT evidence does
    expect(log.toJsonLines().trim().split('\n').at(-1)).toBe(JSON.stringify({ dropped: 1, reason: 'record cap of 2 reached' }));
  });
});
