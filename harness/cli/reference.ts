import { mkdtempSync, readFileSync, renameSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ConfigError, type AasReferenceDevice, type OpcUaReferenceDevice } from '../model/index.js';
import { checkFaults, findDevice } from '../targets/index.js';
import { devices } from './kinds.js';
import { createTerminal, type Terminal } from './terminal.js';

export interface ReferenceCommandOptions {
  readonly device: string;
  readonly broker?: string;
  readonly fault: readonly string[];
  readonly listFaults?: boolean;
  readonly json?: boolean;
  readonly healthInterval?: number;
  readonly serialNumber?: string;
  /** written with the process id once the device runs, removed when it stops (for shell actions) */
  readonly pidFile?: string;
}

/**
 * Writes the pid file in one step (a script polling for it never reads it half-written) and returns the
 * function that removes it, but only while it still names this process.
 */
function writePidFile(path: string): () => void {
  const file = resolve(path);
  const temporary = `${file}.${process.pid}.tmp`;
  try {
    writeFileSync(temporary, `${process.pid}\n`);
    renameSync(temporary, file);
  } catch (error) {
    try {
      unlinkSync(temporary);
    } catch {
      // never written
    }
    throw new ConfigError(`--pid-file ${path}: cannot write it (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  let removed = false;
  const remove = () => {
    if (removed) return;
    removed = true;
    try {
      if (readFileSync(file, 'utf8').trim() === String(process.pid)) unlinkSync(file);
    } catch {
      // already gone
    }
  };
  // also when the process ends by an error after the file was written
  process.once('exit', remove);
  return remove;
}

/**
 * `oi4-conformance reference <device>`: runs a reference device on a broker until interrupted, or lists its
 * faults. Credentials come from OI4_MQTT_USERNAME / OI4_MQTT_PASSWORD, never from the command line.
 */
export async function referenceCommand(options: ReferenceCommandOptions): Promise<number> {
  const device = findDevice(devices, options.device);
  const terminal = createTerminal();
  if (options.listFaults) {
    const faults = device.faults.map((f) => ({ name: f.name, description: f.description, breaks: [...f.breaks], ...(f.claims && { claims: [...f.claims] }), ...(f.profiles && { profiles: [...f.profiles] }) }));
    if (options.json) terminal.out(JSON.stringify(faults, null, 2) + '\n');
    else terminal.out(faults.map((f) => `${f.name.padEnd(34)} ${f.description}\n${' '.repeat(35)}breaks ${f.breaks.join(', ')}${f.claims ? ` (claims ${f.claims.join(', ')})` : ''}`).join('\n') + '\n');
    return 0;
  }
  if (device.targetKind === 'opcua') return runOpcUaDevice(device, options, terminal);
  if (device.targetKind === 'aas') return runAasDevice(device, options, terminal);
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
  return runUntilStopped(device.name, `${running.serviceType}/${running.appId}`, options, terminal, () => running.stop());
}

/** An OPC UA reference device serves on loopback; its PKI lives in a temporary folder removed when it stops. */
async function runOpcUaDevice(device: OpcUaReferenceDevice, options: ReferenceCommandOptions, terminal: Terminal): Promise<number> {
  if (options.broker) throw new ConfigError(`${device.name} is an OPC UA server; it takes no --broker`);
  checkFaults(device, options.fault);
  const workDir = mkdtempSync(join(tmpdir(), `oi4c-${device.name}-`));
  try {
    const running = await device.start({ faults: options.fault, workDir, log: (line) => terminal.info(line) });
    const user = running.access.user ? `; user ${running.access.user.username} (its password is made per start and not shown)` : '';
    return await runUntilStopped(device.name, `${running.access.endpointUrl}${user}`, options, terminal, () => running.stop());
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}

/** An AAS reference server serves HTTP on loopback until stopped; `--port` is not offered: a free port is taken. */
async function runAasDevice(device: AasReferenceDevice, options: ReferenceCommandOptions, terminal: Terminal): Promise<number> {
  if (options.broker) throw new ConfigError(`${device.name} is an AAS server over HTTP; it takes no --broker`);
  checkFaults(device, options.fault);
  const running = await device.start({ faults: options.fault, log: (line) => terminal.info(line) });
  return runUntilStopped(device.name, running.access.baseUrl, options, terminal, () => running.stop());
}

/**
 * SIGTERM (what `kill` and process managers send) stops the device as Ctrl-C does: an MQTT device says
 * goodbye with its Health and a clean DISCONNECT, exit 0. Only SIGKILL, which no process can catch, drops
 * the connection without a word.
 */
async function runUntilStopped(name: string, runningAs: string, options: ReferenceCommandOptions, terminal: Terminal, stop: () => Promise<void>): Promise<number> {
  let stopRequested: (() => void) | undefined;
  const stopped = new Promise<void>((done) => (stopRequested = done));
  const onSignal = () => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    stopRequested?.();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  let removePidFile: (() => void) | undefined;
  try {
    if (options.pidFile !== undefined) removePidFile = writePidFile(options.pidFile);
    terminal.info(`${name} is running as ${runningAs}${options.fault.length ? ` with fault(s) ${options.fault.join(', ')}` : ''} (pid ${process.pid}); Ctrl-C or SIGTERM stops it`);
    await stopped;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await stop();
    removePidFile?.();
  }
  terminal.info(`${name} stopped`);
  return 0;
}
