/**
 * A hostile OPC UA server never crashes or hangs the harness: whatever the server does at the transport level
 * (OPC 10000-6 §7.1), the run ends INCOMPLETE (exit 3) with a report whose run error is one line that names
 * the endpoint and says what happened; no requirement FAILs, since nothing of the target was observed.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, test, type ExpectStatic } from 'vitest';
import { readReport, runCli, tempDir, type CliResult } from './support/cli.js';
import { HOSTILE_OPCUA_BEHAVIOURS, startHostileOpcUaServer, type HostileOpcUaBehaviour, type HostileOpcUaServer } from './support/hostile-opcua.js';
import { freePort } from './support/net.js';

const TIMEOUT_MS = 2000;
const params = ['--param', `connectTimeoutMs=${TIMEOUT_MS}`, '--param', `requestTimeoutMs=${TIMEOUT_MS}`];
/** a run against any of these servers takes seconds; this deadline only turns a hang into a failure */
const CLI_DEADLINE_MS = 40_000;

/** The harness's own deadline on Connect; when it and node-opcua's transport timeout (the same 2 s) race, either may win. */
const DEADLINE = `Connect: no answer within ${TIMEOUT_MS} ms`;

/** What the harness says about each behaviour (after "OPC UA server <url> (None/None): "). */
const SAYS: Readonly<Record<HostileOpcUaBehaviour | 'refused', RegExp>> = {
  refused: /: connection refused \(is the server running and the port right\?\)$/,
  // the harness's deadline and node-opcua's transport timeout (the same 2 s) race; either may win
  silent: new RegExp(`: (${DEADLINE}|no answer to Hello within ${TIMEOUT_MS} ms)$`),
  'hangs-up-on-hello': /: the server closed the connection during the handshake$/,
  garbage: /: the answer to Hello was not an OPC UA Acknowledge \(is this an OPC UA endpoint\?\); the connection was closed$/,
  'ack-then-garbage': /: the connection broke while the secure channel was being opened \(no valid answer to OpenSecureChannel\)$/,
  'error-message': /: ACK: ERR received BadTcpServerTooBusy \(0x807d0000\) : too busy$/,
  'stalls-after-ack': new RegExp(`: (${DEADLINE}|the connection broke while the secure channel was being opened \\(no valid answer to OpenSecureChannel\\))$`),
  floods: /: the answer to Hello was not an OPC UA Acknowledge \(is this an OPC UA endpoint\?\); the connection was closed$/,
  // node-opcua reads the endless message without complaint; only the harness's deadline ends it
  'floods-chunks': new RegExp(`: ${DEADLINE}$`),
};

function targetFile(dir: string, name: string, endpointUrl: string): string {
  const file = join(dir, 'target.yaml');
  writeFileSync(file, `name: hostile-${name}\nkind: opcua\nopcua:\n  endpointUrl: ${endpointUrl}\n`);
  return file;
}

async function run(profile: string, name: string, endpointUrl: string): Promise<{ result: CliResult; dir: string }> {
  const dir = tempDir(`opcua-${name}`);
  const file = targetFile(dir, name, endpointUrl);
  const out = join(dir, 'out');
  const result = await runCli(['run', '--profile', profile, '--target', file, '--out', out, ...params], { timeoutMs: CLI_DEADLINE_MS });
  return { result, dir: out };
}

/** No hang, exit 3, INCOMPLETE without a FAIL, and one clean run error naming the endpoint and saying `says`. */
function expectInconclusive(expect: ExpectStatic, { result, dir }: { result: CliResult; dir: string }, endpointUrl: string, says: RegExp): void {
  const output = `${result.stdout}\n${result.stderr}`;
  expect(result.killed, 'the CLI hung and was killed').toBe(false);
  expect(result.code, output).toBe(3);
  const report = readReport(dir);
  expect(report.verdict).toBe('INCOMPLETE');
  expect(report.requirements.filter((r) => r.outcome === 'FAIL')).toEqual([]);
  expect(report.errors.length).toBeGreaterThan(0);
  const first = report.errors[0]!;
  expect(first).not.toContain('\n');
  expect(first).not.toMatch(/\s{2,}at |\bat .*\.js:\d+/);
  expect(first.startsWith(`OPC UA server ${endpointUrl} `)).toBe(true);
  expect(first).toMatch(says);
  // node-opcua's console warnings are routed away from the terminal, and nothing prints a stack
  expect(output).not.toMatch(/\[NODE-OPCUA-[A-Z]\d*\]/);
  expect(output).not.toMatch(/\n\s+at /);
}

const servers = new Map<HostileOpcUaBehaviour, HostileOpcUaServer>();
/** its own server for the security profile: the stats of the nameplate case stay that case's */
let securityServer: HostileOpcUaServer;

beforeAll(async () => {
  for (const behaviour of HOSTILE_OPCUA_BEHAVIOURS) servers.set(behaviour, await startHostileOpcUaServer(behaviour));
  securityServer = await startHostileOpcUaServer('error-message');
});

afterAll(async () => {
  await Promise.all([...servers.values(), securityServer].filter(Boolean).map((s) => s.close()));
});

/** The stage the server reached proves the case tested what it says: Hello seen, and OpenSecureChannel too after an ACK. */
const REACHES_OPN: ReadonlySet<HostileOpcUaBehaviour> = new Set(['ack-then-garbage', 'stalls-after-ack', 'floods-chunks']);

describe('a hostile OPC UA server makes the run inconclusive, never hangs it (opcua-device-nameplate)', () => {
  test.concurrent('nothing listens (connection refused)', async ({ expect }) => {
    const endpointUrl = `opc.tcp://127.0.0.1:${await freePort()}`;
    expectInconclusive(expect, await run('opcua-device-nameplate', 'refused', endpointUrl), endpointUrl, SAYS.refused);
  });

  for (const behaviour of HOSTILE_OPCUA_BEHAVIOURS) {
    test.concurrent(behaviour, async ({ expect }) => {
      const server = servers.get(behaviour)!;
      const before = server.stats.connections;
      expectInconclusive(expect, await run('opcua-device-nameplate', behaviour, server.endpointUrl), server.endpointUrl, SAYS[behaviour]);
      expect(server.stats.connections).toBeGreaterThan(before);
      expect(server.stats.received[0]).toBe('HEL');
      if (REACHES_OPN.has(behaviour)) expect(server.stats.received).toContain('OPN');
      // the CLI has exited: its connections are gone, and a flood has stopped writing
      await expect.poll(() => server.openConnections()).toBe(0);
    });
  }
});

describe('the security profile is inconclusive the same way', () => {
  test.concurrent('error-message against opcua-security', async ({ expect }) => {
    const outcome = await run('opcua-security', 'security-error-message', securityServer.endpointUrl);
    expectInconclusive(expect, outcome, securityServer.endpointUrl, SAYS['error-message']);
    expect(securityServer.stats.received).toEqual(['HEL']);
    // a requirement the run could not decide is ERROR (unclaimed optional groups are NA), never PASS
    expect(new Set(readReport(outcome.dir).requirements.map((r) => r.outcome))).toEqual(new Set(['ERROR', 'NA']));
  });
});
