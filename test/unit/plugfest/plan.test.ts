import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { referenceDevices } from '../../../fixtures/devices/index.js';
import { loadLibrary, PROJECT_ROOT } from '../../../harness/catalog/index.js';
import { ConfigError } from '../../../harness/model/index.js';
import { loadPlugfestPlan, runArguments } from '../../../harness/plugfest/index.js';

const library = loadLibrary();

function plugfestFile(yaml: string, extra: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'oi4c-plugfest-plan-'));
  for (const [name, text] of Object.entries(extra)) writeFileSync(join(dir, name), text);
  const file = join(dir, 'plugfest.yaml');
  writeFileSync(file, yaml);
  return file;
}

function planError(yaml: string, extra: Record<string, string> = {}): string {
  try {
    loadPlugfestPlan(plugfestFile(yaml, extra), { library, devices: referenceDevices, env: {} });
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message.split('\n')).toHaveLength(1);
    return message;
  }
  throw new Error('expected a configuration error');
}

const app = (more = '') => `  - { name: app, target: "embedded:oi4-app", profiles: [oi4-oec-application]${more} }\n`;

describe('plugfest plan', () => {
  test('defaults: concurrency 2, full mode, a run per profile, the SerialNumber is the target name', () => {
    const plan = loadPlugfestPlan(
      plugfestFile(
        `name: lab\nbroker: embedded\nparams: { responseTimeoutMs: 3000 }\ntargets:\n` +
          `  - { name: gw, target: "embedded:oi4-gateway", profiles: [oi4-oec-gateway, oi4-oec-application], claims: [config], params: { healthIntervalMs: 2000 } }\n` +
          `  - { name: ua, target: "embedded:opcua-device", profiles: [opcua-device-nameplate] }\n`,
      ),
      { library, devices: referenceDevices },
    );
    expect(plan).toMatchObject({ name: 'lab', concurrency: 2, mode: 'full', sharedBroker: true, runTimeoutMs: 20 * 60_000 });
    const [gw, ua] = plan.targets;
    expect(gw).toMatchObject({ serialNumber: 'gw', onSharedBroker: true, kind: 'oi4-mqtt' });
    expect(gw!.runs.map((r) => r.dir)).toEqual(['targets/gw/oi4-oec-gateway', 'targets/gw/oi4-oec-application']);
    expect(gw!.runs[0]!.params).toEqual({ responseTimeoutMs: 3000, healthIntervalMs: 2000 });
    expect(ua).toMatchObject({ onSharedBroker: false, kind: 'opcua' });
    expect(ua!.serialNumber).toBeUndefined();
    // the OPC UA profile has no responseTimeoutMs: the plugfest-wide parameter is not passed to it
    expect(ua!.runs[0]!.params).toEqual({});
    const args = runArguments(plan, gw!, gw!.runs[0]!, { outDir: '/out/targets/gw/oi4-oec-gateway', brokerUrl: 'mqtt://127.0.0.1:1883' });
    expect(args).toEqual([
      'run', '--profile', 'oi4-oec-gateway', '--target', 'embedded:oi4-gateway', '--out', '/out/targets/gw/oi4-oec-gateway', '--mode', 'full', '--no-color',
      '--claim', 'config', '--param', 'responseTimeoutMs=3000', '--param', 'healthIntervalMs=2000', '--serial-number', 'gw', '--broker', 'mqtt://127.0.0.1:1883',
    ]);
    expect(runArguments(plan, ua!, ua!.runs[0]!, { outDir: '/o', brokerUrl: 'mqtt://127.0.0.1:1883' })).not.toContain('--broker');
  });

  test('the example plugfest file plans cleanly', () => {
    const plan = loadPlugfestPlan(join(PROJECT_ROOT, 'fixtures', 'plugfest', 'example.yaml'), { library, devices: referenceDevices });
    expect(plan.targets.map((t) => [t.name, t.runs.length, t.onSharedBroker])).toEqual([
      ['app-a', 1, true],
      ['app-b', 1, true],
      ['app-uncorrelated', 1, true],
      ['device', 1, true],
      ['gateway', 2, true],
      ['opcua-device', 1, false],
    ]);
  });

  test('a device on its own broker says why it is not on the shared one', () => {
    const plan = loadPlugfestPlan(plugfestFile(`name: lab\nbroker: embedded\ntargets:\n${app(', sharedBroker: false, faults: [broker-allows-anonymous]')}`), { library, devices: referenceDevices });
    expect(plan.targets[0]).toMatchObject({ onSharedBroker: false, offSharedBrokerBecause: 'it ran on a broker of its own (sharedBroker: false)' });
    expect(runArguments(plan, plan.targets[0]!, plan.targets[0]!.runs[0]!, { outDir: '/o', brokerUrl: 'mqtt://127.0.0.1:1' })).not.toContain('--broker');
  });

  test.each([
    ['an unknown field, with a hint', `name: lab\ntarget:\n${app()}`, /plugfest\.yaml: \(top level\): unknown field "target" \(did you mean "targets"\?\)/],
    ['an unknown field of a target', `name: lab\ntargets:\n  - { name: app, target: "embedded:oi4-app", profile: [oi4-oec-application] }\n`, /targets\[0\]: unknown field "profile" \(did you mean "profiles"\?\)/],
    ['a name that is no folder name', `name: lab\ntargets:\n  - { name: ../up, target: "embedded:oi4-app", profiles: [oi4-oec-application] }\n`, /targets\[0\]\.name: must match pattern/],
    ['duplicate target names (also in another case)', `name: lab\ntargets:\n${app()}  - { name: APP, target: "embedded:oi4-device", profiles: [oi4-oec-device] }\n`, /targets\[1\]\.name: "APP" is already the name of targets\[0\]/],
    ['an unknown profile', `name: lab\ntargets:\n  - { name: app, target: "embedded:oi4-app", profiles: [oi4-oec-aplication] }\n`, /targets\[0\]\.profiles\[0\]: unknown profile "oi4-oec-aplication" \(did you mean "oi4-oec-application"\?\)/],
    ['a missing target file', `name: lab\ntargets:\n  - { name: acme, target: acme.yaml, profiles: [oi4-oec-application] }\n`, /targets\[0\]\.target: target file .*acme\.yaml not found \(paths are relative to the plugfest file\)/],
    ['an unknown device', `name: lab\ntargets:\n  - { name: app, target: "embedded:oi4-ap", profiles: [oi4-oec-application] }\n`, /targets\[0\]\.target: unknown reference device "oi4-ap" \(did you mean "oi4-app"\?\)/],
    ['an unknown fault', `name: lab\ntargets:\n${app(', faults: [wrong-corelation-id]')}`, /targets\[0\]\.faults: unknown fault "wrong-corelation-id" for oi4-app \(did you mean "wrong-correlation-id"\?\)/],
    ['a profile of another kind', `name: lab\ntargets:\n  - { name: ua, target: "embedded:opcua-device", profiles: [oi4-oec-application] }\n`, /targets\[0\]\.profiles\[0\]: profile oi4-oec-application tests oi4-mqtt targets; embedded:opcua-device is a opcua target/],
    ['a broker fault on the shared broker', `name: lab\nbroker: embedded\ntargets:\n${app(', faults: [broker-allows-anonymous]')}`, /targets\[0\]\.sharedBroker: broker-allows-anonymous change\(s\) the broker and need the device's own: set sharedBroker: false/],
    ['the security group on the shared broker', `name: lab\nbroker: embedded\ntargets:\n${app(', claims: [security]')}`, /targets\[0\]\.sharedBroker: claim security change\(s\) the broker/],
    ['an unknown claim', `name: lab\ntargets:\n${app(', claims: [confg]')}`, /targets\[0\]\.claims\[0\]: "confg" is not an optional group of oi4-oec-application \(did you mean "config"\?\)/],
    ['an unknown parameter of a target', `name: lab\ntargets:\n${app(', params: { responseTimeout: 5 }')}`, /targets\[0\]\.params\.responseTimeout: not a parameter of oi4-oec-application \(did you mean "responseTimeoutMs"\?\)/],
    ['an unknown plugfest-wide parameter', `name: lab\nparams: { helthIntervalMs: 5 }\ntargets:\n${app()}`, /params\.helthIntervalMs: not a parameter of any profile of this plugfest \(did you mean "healthIntervalMs"\?\)/],
    ['a SerialNumber for an OPC UA device', `name: lab\ntargets:\n  - { name: ua, target: "embedded:opcua-device", profiles: [opcua-device-nameplate], serialNumber: X }\n`, /targets\[0\]\.serialNumber: applies only to embedded OI4 devices/],
    ['an --only that matches nothing', `name: lab\ntargets:\n${app(', only: "OI4-NOPE-*"')}`, /targets\[0\]\.only: --only "OI4-NOPE-\*" matches no requirement of oi4-oec-application/],
    ['a missing waivers file', `name: lab\ntargets:\n${app(', waivers: w.yaml')}`, /targets\[0\]\.waivers: .*w\.yaml: file not found/],
    ['a concurrency of 0', `name: lab\nconcurrency: 0\ntargets:\n${app()}`, /concurrency: must be >= 1/],
    ['an unknown mode', `name: lab\nmode: fast\ntargets:\n${app()}`, /mode: must be one of "full", "quick"/],
  ])('%s is one line naming the field', (_name, yaml, expected) => {
    expect(planError(yaml)).toMatch(expected);
  });

  test('a target file is loaded before anything starts: a missing ${ENV} secret stops the plan', () => {
    const target = `name: acme\nkind: oi4-mqtt\nbroker:\n  url: mqtt://127.0.0.1:1883\n  username: \${ACME_USER}\n  password: \${ACME_PASSWORD}\noi4:\n  appId: discover\n`;
    expect(planError(`name: lab\ntargets:\n  - { name: acme, target: acme.yaml, profiles: [oi4-oec-application] }\n`, { 'acme.yaml': target })).toMatch(
      /targets\[0\]\.target: .*ACME_USER/,
    );
  });
});
