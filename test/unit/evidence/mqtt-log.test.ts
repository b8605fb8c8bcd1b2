import { describe, expect, it } from 'vitest';
import { createRedactor, MqttLog, sha256Hex } from '../../../harness/evidence/index.js';

const noSecrets = createRedactor([]);
const text = (s: string) => new TextEncoder().encode(s);

function jsonLines(log: MqttLog): Record<string, unknown>[] {
  const out = log.toJsonLines();
  expect(out.endsWith('\n')).toBe(true);
  return out.trimEnd().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('MqttLog', () => {
  it('records messages in order with direction, qos, retain, size and hash', () => {
    const log = new MqttLog(noSecrets);
    log.record('sent', 'Oi4/a/Get/MAM', text('{"a":1}'), 1, false);
    log.record('received', 'Oi4/a/Pub/MAM', text('{"b":2}'), 0, true);
    expect(log.records.map((r) => [r.seq, r.direction, r.topic, r.qos, r.retain])).toEqual([
      [1, 'sent', 'Oi4/a/Get/MAM', 1, false],
      [2, 'received', 'Oi4/a/Pub/MAM', 0, true],
    ]);
    expect(log.records[0]).toMatchObject({ payload: '{"a":1}', encoding: 'utf8', truncated: false, bytes: 7, sha256: sha256Hex('{"a":1}') });
    expect(Number.isNaN(Date.parse(log.records[0]!.at))).toBe(false);
    expect(log.total).toBe(2);
    expect(log.dropped).toBe(0);
  });

  it('writes one JSON line per record and nothing when empty', () => {
    const empty = new MqttLog(noSecrets);
    expect(empty.toJsonLines()).toBe('');
    const log = new MqttLog(noSecrets);
    log.record('sent', 't/1', text('x'), 0, false);
    log.record('sent', 't/2', text('y'), 0, false);
    expect(jsonLines(log).map((l) => l['topic'])).toEqual(['t/1', 't/2']);
  });

  it('counts records beyond maxRecords as dropped and reports them in the last line', () => {
    const log = new MqttLog(noSecrets, { maxRecords: 3, maxPayloadBytes: 100 });
    for (let i = 1; i <= 5; i++) log.record('received', `t/${i}`, text(`m${i}`), 0, false);
    expect(log.records).toHaveLength(3);
    expect(log.dropped).toBe(2);
    expect(log.total).toBe(5);
    const lines = jsonLines(log);
    expect(lines).toHaveLength(4);
    expect(lines.slice(0, 3).map((l) => l['topic'])).toEqual(['t/1', 't/2', 't/3']);
    expect(lines[3]).toEqual({ dropped: 2, reason: 'record cap of 3 reached' });
  });

  it('truncates a payload beyond maxPayloadBytes but hashes and sizes the full payload', () => {
    const full = text('0123456789abcdefghij');
    const log = new MqttLog(noSecrets, { maxRecords: 10, maxPayloadBytes: 8 });
    log.record('received', 't', full, 0, false);
    expect(log.records[0]).toMatchObject({ payload: '01234567', truncated: true, bytes: 20, sha256: sha256Hex(full) });
  });

  it('does not flag a payload of exactly maxPayloadBytes', () => {
    const log = new MqttLog(noSecrets, { maxRecords: 10, maxPayloadBytes: 4 });
    log.record('received', 't', text('abcd'), 0, false);
    expect(log.records[0]).toMatchObject({ payload: 'abcd', truncated: false });
  });

  it('stores a payload that is not valid UTF-8 as base64, byte for byte', () => {
    const binary = new Uint8Array([0xff, 0xfe, 0x00, 0x41, 0xc3]);
    const log = new MqttLog(noSecrets);
    log.record('received', 't', binary, 0, false);
    const record = log.records[0]!;
    expect(record.encoding).toBe('base64');
    expect([...Buffer.from(record.payload, 'base64')]).toEqual([...binary]);
    expect(record.sha256).toBe(sha256Hex(binary));
  });

  it('decodes a subarray view correctly (only its own bytes)', () => {
    // payloads from the MQTT client are often views into a larger buffer
    const backing = new Uint8Array([0x41, 0xff, 0xfe, 0x42]);
    const log = new MqttLog(noSecrets);
    log.record('received', 't', backing.subarray(1, 3), 0, false);
    expect([...Buffer.from(log.records[0]!.payload, 'base64')]).toEqual([0xff, 0xfe]);
    expect(log.records[0]!.bytes).toBe(2);
  });

  it('redacts secrets inside topics and UTF-8 payloads', () => {
    const log = new MqttLog(createRedactor(['hunter2pass']));
    log.record('sent', 'Oi4/x/hunter2pass/Get', text('{"password":"hunter2pass"}'), 0, false);
    const line = log.toJsonLines();
    expect(line).not.toContain('hunter2pass');
    expect(log.records[0]).toMatchObject({ topic: 'Oi4/x/***/Get', payload: '{"password":"***"}' });
  });
});
