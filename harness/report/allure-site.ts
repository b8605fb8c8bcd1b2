import { spawn } from 'node:child_process';
import { accessSync, constants, existsSync, readdirSync, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { PROJECT_ROOT } from '../catalog/project.js';
import { ConfigError } from '../model/index.js';

export const JAVA_MISSING =
  'Allure needs Java 8 or newer (java was not found on PATH or in JAVA_HOME): install a JRE, e.g. "apt-get install default-jre-headless"';

/** allure generate, or the Java it runs on, went wrong: the first line it said (exit 3, the site is not there). */
export class AllureFailed extends Error {
  override readonly name = 'AllureFailed';
}

const WINDOWS = process.platform === 'win32';

function isExecutable(path: string): boolean {
  try {
    accessSync(path, WINDOWS ? constants.F_OK : constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/**
 * The environment allure's start script needs to find Java, or undefined when there is none. The script takes
 * JAVA_HOME when it is set and stops if that holds no java; a JAVA_HOME without one is dropped here so java on
 * PATH still serves.
 */
export function javaEnvironment(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv | undefined {
  const java = WINDOWS ? 'java.exe' : 'java';
  const home = env['JAVA_HOME'];
  if (home && isExecutable(join(home, 'bin', java))) return env;
  const onPath = (env['PATH'] ?? '').split(delimiter).some((dir) => dir !== '' && isExecutable(join(dir, java)));
  if (!onPath) return undefined;
  const rest = { ...env };
  delete rest['JAVA_HOME'];
  return rest;
}

/**
 * What `allure generate` needs before it is worth starting a JVM: results in the bundle, Java, and
 * allure-commandline itself. Each missing piece is a configuration error (exit 2); returns the environment to run in.
 */
export function allurePrerequisites(results: string, env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  if (!existsSync(results) || !readdirSync(results).some((n) => n.endsWith('-result.json'))) {
    throw new ConfigError(`${results}: no Allure results in this bundle (the run never reached the checks, or the bundle predates Allure)`);
  }
  const withJava = javaEnvironment(env);
  if (!withJava) throw new ConfigError(JAVA_MISSING);
  if (!existsSync(allureScript())) throw new ConfigError(`allure-commandline is not installed (${allureScript()} is missing): run "npm ci"`);
  return withJava;
}

function allureScript(): string {
  return join(PROJECT_ROOT, 'node_modules', 'allure-commandline', 'dist', 'bin', WINDOWS ? 'allure.bat' : 'allure');
}

/**
 * Generates the Allure site with allure-commandline's own start script (`allure generate <results> -o <site>
 * --clean`), in the environment allurePrerequisites returned. A hung JVM is stopped at the deadline.
 */
export async function generateAllureSite(options: { results: string; site: string; env: NodeJS.ProcessEnv; timeoutMs?: number }): Promise<void> {
  const { env } = options;
  const script = allureScript();
  const args = ['generate', options.results, '-o', options.site, '--clean'];
  const timeoutMs = options.timeoutMs ?? 180_000;
  await new Promise<void>((resolve, reject) => {
    // a .bat file runs only through cmd.exe; elsewhere the POSIX script runs as it is, with no shell between
    const child = WINDOWS
      ? spawn('cmd.exe', ['/d', '/s', '/c', `"${[script, ...args].map((a) => `"${a}"`).join(' ')}"`], { env, stdio: ['ignore', 'ignore', 'pipe'], windowsVerbatimArguments: true })
      : spawn(script, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      if (stderr.length < 64 * 1024) stderr += chunk.toString();
    });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new AllureFailed(`allure generate did not finish within ${Math.round(timeoutMs / 1000)} s`));
    }, timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(new AllureFailed(`allure generate could not start: ${error.message}`));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      // the site is what the user asked for: a zero exit without its index.html is no success
      if (code === 0 && existsSync(join(options.site, 'index.html'))) return resolve();
      const first = stderr.split('\n').map((l) => l.trim()).find((l) => l !== '');
      reject(new AllureFailed(`allure generate failed${first ? `: ${first}` : ` (${signal ? `signal ${signal}` : `exit code ${code}`})`}`));
    });
  });
}
