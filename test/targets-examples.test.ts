import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { mqttTargetOf } from '../harness/model/index.js';
import { loadTargetFile } from '../harness/targets/index.js';
import { ROOT } from './support/cli.js';

const dir = join(ROOT, 'fixtures', 'targets');

test.each(readdirSync(dir).filter((f) => f.endsWith('.yaml')))('example target file %s is valid and takes its secrets from the environment', (name) => {
  const target = mqttTargetOf(loadTargetFile(join(dir, name), { OI4_MQTT_USERNAME: 'lab-user', OI4_MQTT_PASSWORD: 'lab-secret' }));
  expect(target.kind).toBe('oi4-mqtt');
  expect(target.broker.url).toMatch(/^mqtts?:\/\/127\.0\.0\.1:/);
  if (target.broker.password !== undefined) expect(target.broker.password).toBe('lab-secret');
});
