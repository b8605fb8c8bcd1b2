import { ConfigError } from '../model/index.js';
import { checkFaults, findDevice } from '../targets/index.js';
import { devices } from './kinds.js';
import { createTerminal } from './terminal.js';

export interface ReferenceCommandOptions {
  readonly device: string;
  readonly broker?: string;
  readonly fault: readonly string[];
  readonly listFaults?: boolean;
  readonly json?: boolean;
  readonly healthInterval?: number;
  readonly serialNumber?: string;
}

/**
 * `oi4-conformance reference <device>`: runs a reference device on a broker until interrupted, or lists its
 * faults. Credentials come from OI4_MQTT_USERNAME / OI4_MQTT_PASSWORD, never from the command line.
 */
export async function referenceCommand(options: ReferenceCommandOptions): Promise<number> {
  const device = findDevice(devices, options.device);
  const terminal = createTerminal();
  if (options.listFaults) {
    const faults = device.faults.map((f) => ({ name: f.name, description: f.description, breaks: [...f.breaks], ...(f.claims && { claims: [...f.claims] }) }));
    if (options.json) terminal.out(JSON.stringify(faults, null, 2) + '\n');
    else terminal.out(faults.map((f) => `${f.name.padEnd(34)} ${f.description}\n${' '.repeat(35)}breaks ${f.breaks.join(', ')}${f.claims ? ` (claims ${f.claims.join(', ')})` : ''}`).join('\n') + '\n');
    return 0;
  }
  if (!options.broker) throw new ConfigError('reference needs --broker <url> (or --list-faults)');
  if (!/^(mqtt|mqtts):\/\//.test(options.broker)) throw new ConfigError(`--broker must be an mqtt:// or mqtts:// URL, not "${options.broker}"`);
  checkFaults(device, options.fault);
  const username = process.env['OI4_MQTT_USERNAME'];
  const password = process.env['OI4_MQTT_PASSWORD'];
  const running = await device.start({
    brokerUrl: options.broker,
    faults: options.fault,
    ...(username && { username }),
    ...(password && { password }),
    ...(options.healthInterval !== undefined && { healthIntervalMs: options.healthInterval }),
    ...(options.serialNumber && { serialNumber: options.serialNumber }),
    log: (line) => terminal.info(line),
  });
  terminal.info(`${device.name} is running as ${running.serviceType}/${running.appId}${options.fault.length ? ` with fault(s) ${options.fault.join(', ')}` : ''}; Ctrl-C stops it`);
  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  await running.stop();
  terminal.info(`${device.name} stopped`);
  return 0;
}
