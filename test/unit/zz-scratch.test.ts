import { it } from 'vitest';
import { redactUrl, createRedactor, MqttLog } from '../../harness/evidence/index.js';
import { expandGlobs, PROJECT_ROOT } from '../../harness/catalog/index.js';
import { compileValidator, targetFileSchema, catalogSchema } from '../../harness/model/index.js';
it('scratch', () => {
  console.log(redactUrl('mqtt://user:pass@host:1883'), redactUrl('mqtts://u@h:8883/x'), redactUrl('not a url //a:b@c'));
  const log = new MqttLog(createRedactor(['hunter2pass']));
  log.record('received', 't', Buffer.concat([Buffer.from([0xff]), Buffer.from('hunter2pass')]), 0, false);
  console.log(log.records[0], Buffer.from(log.records[0]!.payload, 'base64').toString('latin1'));
  console.log(expandGlobs(PROJECT_ROOT, ['suites/**']).length, expandGlobs(PROJECT_ROOT, ['suites/**/*.ts']).length);
  const v = compileValidator(targetFileSchema);
  console.log(v({ name: 'x', kind: 'oi4-mqtt', brokr: {}, oi4: { appId: 'a' } }));
  console.log(v({ name: 'x', kind: 'oi4-mqtt', broker: { url: 'mqtts://h', password: 'lit', tls: { cert: 'c' } }, oi4: { appId: 'a' } }));
  const c = compileValidator(catalogSchema);
  console.log(c({ family: 'x', guideline: 'g', guidelineVersion: '1', requirements: [1,2,3,{ id: 'A-001', title: 'aaaaaaaaaaaa', level: 'MUS', source: 'abc', testable: false }] }));
});
