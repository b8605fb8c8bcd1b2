import { describe, expect, test } from 'vitest';
import { alternativeValue, chooseConfigWrite, configValue } from '../../../suites/oi4-oec/lib/config-write.js';

const text = (t: string) => ({ Locale: 'en-US', Text: t });

describe('which Config parameter the Set round trip writes', () => {
  test('a String only to another listed value, never free text', () => {
    expect(alternativeValue({ Type: 'String', Value: 'info', Validation: { Values: ['info', 'debug'] } })).toBe('debug');
    expect(alternativeValue({ Type: 'String', Value: 'anything' })).toBeUndefined();
  });

  test('a Number stays inside Min/Max and keeps integers integral', () => {
    expect(alternativeValue({ Type: 'Number', Value: '10', Validation: { Min: 1, Max: 10 } })).toBe('9');
    expect(alternativeValue({ Type: 'Number', Value: '5' })).toBe('6');
    expect(alternativeValue({ Type: 'Number', Value: '1.5', Validation: { Max: 1.5 } })).toBe('1');
    expect(alternativeValue({ Type: 'Number', Value: '3', Validation: { Min: 3, Max: 3 } })).toBeUndefined();
    expect(alternativeValue({ Type: 'Number', Value: 'fast' })).toBeUndefined();
  });

  test('a Boolean is flipped; Sensitive, DateTime and ByteString parameters are never touched', () => {
    expect(alternativeValue({ Type: 'Boolean', Value: 'TRUE' })).toBe('false');
    expect(alternativeValue({ Type: 'Boolean', Value: 'yes' })).toBeUndefined();
    expect(alternativeValue({ Type: 'Number', Value: '5', Sensitive: true })).toBeUndefined();
    expect(alternativeValue({ Type: 'DateTime', Value: '2026-01-01T00:00:00Z' })).toBeUndefined();
  });

  test('prefers a listed String over a Number over a Boolean, skips Context and group names', () => {
    const payload = {
      Context: { Name: text('Logging') },
      Output: {
        Name: text('Output'),
        Enabled: { Name: text('Enabled'), Type: 'Boolean', Value: 'true' },
        Retention: { Name: text('Retention'), Type: 'Number', Value: '7', Validation: { Min: 1, Max: 30 } },
        Level: { Name: text('Level'), Type: 'String', Value: 'info', Validation: { Values: ['info', 'debug'] } },
      },
    };
    expect(chooseConfigWrite([{ filter: 'Logging', payload }])).toEqual({ filter: 'Logging', group: 'Output', parameter: 'Level', from: 'info', to: 'debug' });
    expect(chooseConfigWrite([{ filter: '', payload }])).toBeUndefined();
    expect(configValue(payload, 'Output', 'Retention')).toBe('7');
    expect(configValue(payload, 'Output', 'Missing')).toBeUndefined();
  });
});
