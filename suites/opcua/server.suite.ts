/**
 * The server names itself: ServerStatus (OPC 10000-5) with its State and BuildInfo. These values head the
 * report as the target's identity; here they are judged.
 */
import { check } from '../../harness/engine/check.js';
import type { CheckContext } from '../../harness/engine/check-context.js';
import { readServerIdentity, textOf } from '../../harness/protocols/opcua/index.js';
import { withReadSession } from './lib/access.js';

// ServerState enumeration (OPC 10000-5): 0 is Running
const SERVER_STATES = ['Running', 'Failed', 'NoConfiguration', 'Suspended', 'Shutdown', 'Test', 'CommunicationFault', 'Unknown'];

check(
  {
    id: 'opcua.server.status',
    title: 'ServerStatus reads Running, and BuildInfo names the product, its maker, its version and build',
    requirements: ['OPCUA-SRV-001', 'OPCUA-SRV-002'],
  },
  async (ctx: CheckContext) => {
    const server = await withReadSession(ctx, (session) => readServerIdentity(session));
    const { state } = server;
    if (state.status !== 'Good') ctx.fail('OPCUA-SRV-001', `reading Server/ServerStatus/State (i=2259) gave ${state.status}; expected a Good value`);
    else if (state.value !== 0) {
      const name = typeof state.value === 'number' ? (SERVER_STATES[state.value] ?? String(state.value)) : JSON.stringify(state.value);
      ctx.fail('OPCUA-SRV-001', `Server/ServerStatus/State is ${name}; expected Running (0)`);
    } else ctx.pass('OPCUA-SRV-001');

    const problems: string[] = [];
    for (const field of ['ProductUri', 'ManufacturerName', 'ProductName', 'SoftwareVersion', 'BuildNumber'] as const) {
      const value = server.buildInfo[field];
      if (value.status !== 'Good') problems.push(`BuildInfo/${field} could not be read (${value.status})`);
      else if (!textOf(value)?.trim()) problems.push(`BuildInfo/${field} is empty (${JSON.stringify(value.value)}); expected text`);
    }
    ctx.verify('OPCUA-SRV-002', problems);
  },
);
