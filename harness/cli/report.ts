import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { ConfigError, EXIT_CODES } from '../model/index.js';
import { renderSummary } from '../report/index.js';
import { ALLURE_RESULTS } from '../report/allure.js';
import { AllureFailed, allurePrerequisites, generateAllureSite } from '../report/allure-site.js';
import { readReportArgument } from './report-file.js';
import { createTerminal } from './terminal.js';

export interface ReportCommandOptions {
  readonly dir: string;
  readonly allure?: boolean;
  /** --out: where the Allure site goes */
  readonly out?: string;
  readonly color?: boolean;
}

export function registerReport(cli: Command, setExit: (code: number) => void): void {
  cli
    .command('report')
    .description("print a report bundle's summary; with --allure, generate its Allure site (allure-commandline, needs Java)")
    .argument('<dir>', 'the report bundle (or its report.json)')
    .option('--allure', "generate the Allure site from the bundle's allure-results (needs Java 8 or newer)")
    .option('--out <site dir>', 'with --allure: the folder of the site (default: <dir>-allure beside the bundle, which stays as it was signed)')
    .addOption(new Option('--no-color', 'plain output'))
    .action(async (dir: string, options: { allure?: boolean; out?: string; color: boolean }) => {
      const { color, ...rest } = options;
      setExit(await reportCommand({ dir, ...rest, ...(color === false && { color: false }) }));
    });
}

/** a inside b, or the same folder */
function within(a: string, b: string): boolean {
  const path = relative(b, a);
  return path === '' || (!path.startsWith('..') && !isAbsolute(path));
}

/**
 * Where the site may go. Never into the bundle (its manifest covers every file: verify would name each one added),
 * never onto a folder that holds the bundle, and never over a folder that is not an Allure site already, because
 * `allure generate --clean` empties the folder it writes to.
 */
function siteDir(bundle: string, out: string | undefined): string {
  const site = resolve(out ?? `${bundle}-allure`);
  if (within(site, bundle) || within(bundle, site)) {
    throw new ConfigError(`--out ${site}: the Allure site must go outside the bundle ${bundle}, which its manifest covers`);
  }
  if (existsSync(site) && (!statSync(site).isDirectory() || (readdirSync(site).length > 0 && !existsSync(join(site, 'index.html'))))) {
    throw new ConfigError(`--out ${site}: exists and is not an Allure site; generating would empty it, so choose another folder`);
  }
  return site;
}

/** `oi4-conformance report <dir> [--allure]`: exit 0, 2 for what the user must fix, 3 when allure itself fails. */
export async function reportCommand(options: ReportCommandOptions): Promise<number> {
  const terminal = createTerminal(options.color === undefined ? {} : { color: options.color });
  if (options.out !== undefined && !options.allure) throw new ConfigError('--out is where the Allure site goes: use it with --allure');
  const report = readReportArgument(options.dir);
  const bundle = resolve(existsSync(options.dir) && statSync(options.dir).isDirectory() ? options.dir : dirname(options.dir));
  // everything that can be wrong is found before the summary prints, so a mistake is the last line seen
  const allure = options.allure ? { results: join(bundle, ALLURE_RESULTS), site: siteDir(bundle, options.out) } : undefined;
  const env = allure && allurePrerequisites(allure.results);
  terminal.out(renderSummary(report, terminal.style));
  if (!allure || !env) return 0;
  terminal.info(`… generating the Allure site with allure-commandline (Java)`);
  try {
    await generateAllureSite({ ...allure, env });
  } catch (error) {
    if (!(error instanceof AllureFailed)) throw error;
    process.stderr.write(`oi4-conformance: ${error.message}\n`);
    return EXIT_CODES.INCOMPLETE;
  }
  terminal.info(`allure: ${join(allure.site, 'index.html')} (browsers load it over HTTP only: "npx allure open ${allure.site}" in the project serves it)`);
  return 0;
}
