import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { positiveInteger } from './option-parsers.js';
import { ConfigError, EXIT_CODES } from '../model/index.js';
import { profilesCommand, requirementsCommand } from './catalog-commands.js';
import { monitorCommand, parseDuration, type MonitorCommandOptions } from './monitor.js';
import { referenceCommand } from './reference.js';
import { diffCommand } from './diff.js';
import { historyCommand } from './history.js';
import { keygenCommand, verifyCommand } from './integrity.js';
import { registerPlugfest } from './plugfest.js';
import { registerReport } from './report.js';

const collect = (value: string, previous: string[]) => [...previous, value];

function parseParam(value: string, previous: Record<string, number>): Record<string, number> {
  const match = /^([A-Za-z][A-Za-z0-9]*)=(\d+(?:\.\d+)?)$/.exec(value);
  if (!match) throw new InvalidArgumentError('expected name=number, e.g. responseTimeoutMs=5000');
  return { ...previous, [match[1]!]: Number(match[2]) };
}

function program(setExit: (code: number) => void): Command {
  const cli = new Command('oi4-conformance')
    .description('Conformance test suite of the Open Industry 4.0 Alliance: runs guideline profiles against a target and writes a certification report.')
    .option('--debug', 'print stack traces of errors')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();

  cli
    .command('run')
    .description('run a profile against a target and write a report bundle')
    .requiredOption('--profile <id>', 'profile id or IRI (see "profiles")')
    .requiredOption('--target <file|embedded:device>', 'a target file (YAML) or embedded:<reference device>')
    .option('--out <dir>', 'report directory (default reports/<timestamp>-<profile>-<target>/)')
    .option('--fault <name>', 'start the embedded reference device with this fault (repeatable)', collect, [])
    .option('--claim <group>', 'claim an optional group of the profile, in addition to the target file\'s claims (repeatable)', collect, [])
    .addOption(new Option('--mode <mode>', 'full (certification) or quick (CI: checks that wait on the clock are not run; never a certification)').choices(['full', 'quick']).default('full'))
    .option('--only <id-glob>', 'run only these requirement ids, comma-separated globs, e.g. "OI4-MAM-*" (never certifying)')
    .option('--param <name=value>', 'override a profile parameter, e.g. responseTimeoutMs=5000 (repeatable; a guideline parameter makes the run non-certifying)', parseParam, {})
    .option('--waivers <file>', 'a waivers file (YAML): each FAIL it names shows as WAIVED until the waiver expires; the run is then not a certification')
    .option('--sign <key.pem>', `sign the bundle's manifest with this Ed25519 private key (an encrypted key opens with $OI4_SIGN_KEY_PASSPHRASE)`)
    .option('--broker <url>', 'embedded OI4 devices: run on this broker instead of an in-process one (a plugfest\'s shared broker)')
    .option('--serial-number <serial>', 'embedded OI4 devices: the SerialNumber, so several instances on one broker differ')
    .addOption(new Option('--no-color', 'plain output'))
    .action(async (options: { profile: string; target: string; out?: string; fault: string[]; claim: string[]; only?: string; mode: 'full' | 'quick'; param: Record<string, number>; color: boolean; waivers?: string; sign?: string; broker?: string; serialNumber?: string }) => {
      // commander sets color true unless --no-color; only an explicit --no-color overrides terminal detection
      const { color, ...rest } = options;
      // loaded on use: it brings vitest, which the other commands (verify, diff, plugfest, …) do not need
      const { runCommand } = await import('./run.js');
      setExit(await runCommand({ ...rest, ...(color === false && { color: false }) }));
    });

  cli
    .command('check-file')
    .description('check an AAS file offline: an environment (.json, .xml; Part 1) or an AASX package (.aasx; Part 5), with a report bundle like run')
    .argument('<file>', 'the AAS environment or AASX package')
    .option('--out <dir>', 'report directory (default reports/<timestamp>-aas-file-<file name>/)')
    .option('--waivers <file>', 'a waivers file (YAML): each FAIL it names shows as WAIVED until the waiver expires; the run is then not a certification')
    .option('--sign <key.pem>', `sign the bundle's manifest with this Ed25519 private key (an encrypted key opens with $OI4_SIGN_KEY_PASSPHRASE)`)
    .option('--json', 'print report.json on stdout (the summary goes to stderr)')
    .addOption(new Option('--no-color', 'plain output'))
    .action(async (file: string, options: { out?: string; waivers?: string; sign?: string; json?: boolean; color: boolean }) => {
      // loaded on use: a run brings vitest
      const { checkFileCommand } = await import('./check-file.js');
      setExit(await checkFileCommand({ file, ...options }));
    });

  cli
    .command('profiles')
    .description('list the profiles: id, title, version, number of requirements')
    .option('--json', 'machine-readable output')
    .action((options: { json?: boolean }) => setExit(profilesCommand(options)));

  cli
    .command('requirements')
    .description("list a profile's requirements as the catalog states them")
    .requiredOption('--profile <id>', 'profile id or IRI')
    .option('--json', 'machine-readable output')
    .action((options: { profile: string; json?: boolean }) => setExit(requirementsCommand(options)));

  cli
    .command('reference')
    .description('run a reference device on a broker until interrupted, or list its faults')
    .argument('<device>', 'reference device name, e.g. oi4-app')
    .option('--broker <url>', 'mqtt:// or mqtts:// URL of the broker (credentials from OI4_MQTT_USERNAME / OI4_MQTT_PASSWORD)')
    .option('--fault <name>', 'run with this fault (repeatable)', collect, [])
    .option('--list-faults', 'list the faults and the requirement ids each breaks')
    .option('--json', 'with --list-faults: JSON output')
    .option('--health-interval <ms>', 'Health heartbeat interval (default: the guideline\'s 60000)', positiveInteger)
    .option('--serial-number <serial>', 'SerialNumber, to run several instances on one broker')
    .option('--pid-file <path>', 'write the process id here once the device runs; removed when it stops (SIGTERM stops gracefully, SIGKILL is an ungraceful disconnect)')
    .action(async (device: string, options: { broker?: string; fault: string[]; listFaults?: boolean; json?: boolean; healthInterval?: number; serialNumber?: string; pidFile?: string }) => {
      setExit(await referenceCommand({ device, ...options }));
    });

  cli
    .command('monitor')
    .description('watch an OI4 bus: validate every message on Oi4/# live, and write a report of the violations at the end or on Ctrl-C')
    .requiredOption('--target <file|embedded:device>', "a target file (YAML; its broker is watched) or embedded:<reference device>")
    .option('--duration <s>', 'stop after this many seconds (default: until Ctrl-C)', parseDuration)
    .option('--out <dir>', 'report directory (default reports/<timestamp>-monitor-<target>/)')
    .option('--fault <name>', 'embedded only: start the reference device with this fault (repeatable)', collect, [])
    .option('--param <name=value>', 'responseTimeoutMs (the Get -> Pub pairing deadline, default 2000) or connectTimeoutMs (repeatable)', parseParam, {})
    .action(async (options: MonitorCommandOptions) => setExit(await monitorCommand(options)));

  cli
    .command('verify')
    .description('check a report bundle against its manifest.sha256 and its signature: names every file changed, added or missing')
    .argument('<dir>', 'the report bundle')
    .option('--pubkey <pem>', 'the public key the bundle must be signed with (without it, only the key inside the bundle is checked)')
    .option('--json', 'machine-readable output')
    .action((dir: string, options: { pubkey?: string; json?: boolean }) => setExit(verifyCommand({ dir, ...options })));

  cli
    .command('keygen')
    .description('make an Ed25519 key pair for signing report bundles (run --sign)')
    .option('--out <prefix>', 'file prefix: writes <prefix>.key.pem and <prefix>.pub.pem', 'oi4-conformance-signing')
    .action((options: { out: string }) => setExit(keygenCommand(options)));

  cli
    .command('diff')
    .description('compare two reports: regressions, fixes and changes per requirement (exit 1 when anything regressed)')
    .argument('<old>', 'the earlier report bundle or report.json')
    .argument('<new>', 'the later report bundle or report.json')
    .option('--json', 'machine-readable output')
    .action((before: string, after: string, options: { json?: boolean }) => setExit(diffCommand({ before, after, ...options })));

  cli
    .command('history')
    .description('list the runs recorded under a reports folder, with their verdicts')
    .option('--dir <folder>', 'the reports folder', 'reports')
    .option('--profile <id>', 'only runs of this profile')
    .option('--target <name>', 'only runs against this target')
    .option('--limit <n>', 'only the newest n runs', positiveInteger)
    .option('--json', 'machine-readable output')
    .action((options: { dir: string; profile?: string; target?: string; limit?: number; json?: boolean }) => setExit(historyCommand(options)));

  registerReport(cli, setExit);
  registerPlugfest(cli, setExit);
  return cli;
}

/** Runs the CLI; returns the process exit code. Errors of the user's input are one line, exit 2. */
export async function main(argv: readonly string[]): Promise<number> {
  let exitCode = 0;
  const debug = argv.includes('--debug');
  const cli = program((code) => (exitCode = code));
  try {
    await cli.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // commander already printed its message (help, version, or a usage error)
      return error.exitCode === 0 ? 0 : EXIT_CODES.USAGE;
    }
    if (error instanceof ConfigError) {
      process.stderr.write(`oi4-conformance: ${error.message}\n`);
      if (debug) process.stderr.write(`${error.stack ?? ''}\n`);
      return EXIT_CODES.USAGE;
    }
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`oi4-conformance: internal error: ${message.split('\n')[0]}${debug ? '' : ' (run with --debug for details)'}\n`);
    if (debug && error instanceof Error) process.stderr.write(`${error.stack ?? ''}\n`);
    return EXIT_CODES.INCOMPLETE;
  }
}
