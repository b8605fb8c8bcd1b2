/**
 * `oi4-conformance check-file <file>`: Part 1 conformance of an AAS environment (JSON or XML) or an AASX
 * package, as a run of the aas-file profile against the file, with the same report bundle as `run`.
 * What is wrong with the command line (no such file, a folder, an extension we do not read) is one line and
 * exit 2; what is wrong with the file's content is the report's business.
 */
import { readFileSync, statSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { ConfigError, type AasFileTarget } from '../model/index.js';
import { aasFileFormatOf } from '../protocols/aas/file-preflight.js';
import { shownPath } from '../targets/index.js';
import { defaultOutDir } from './out-dir.js';

export const AAS_FILE_PROFILE = 'aas-file';
const TARGET_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export interface CheckFileOptions {
  readonly file: string;
  readonly out?: string;
  readonly sign?: string;
  readonly waivers?: string;
  /** stdout carries report.json only; the summary goes to stderr */
  readonly json?: boolean;
  readonly color?: boolean;
}

/** A target name from a file name: what the name pattern does not allow becomes "_", never empty. */
export function targetNameOf(file: string): string {
  const name = basename(file).replace(/[^A-Za-z0-9._-]/g, '_').replace(/^[^A-Za-z0-9]+/, '').slice(0, 64);
  return TARGET_NAME.test(name) ? name : 'aas-file';
}

/** The target a file makes; refuses what cannot be checked at all (exit 2). */
export function aasFileTarget(file: string): AasFileTarget {
  const path = resolve(file);
  let isFile: boolean;
  try {
    isFile = statSync(path).isFile();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ConfigError(code === 'ENOENT' ? `${file}: no such file` : `${file}: cannot be read (${code ?? String(error)})`);
  }
  if (!isFile) throw new ConfigError(`${file} is not a file; give an AAS environment (.json, .xml) or an AASX package (.aasx)`);
  if (aasFileFormatOf(path) === undefined) throw new ConfigError(`${file}: unknown extension; expected .json or .xml (an AAS environment) or .aasx (an AASX package)`);
  const shown = shownPath(path);
  return {
    kind: 'aas-file',
    name: targetNameOf(path),
    origin: 'file',
    reference: file,
    parameters: {},
    claims: [],
    actions: {},
    faults: [],
    file: { path, shown },
  };
}

export async function checkFileCommand(options: CheckFileOptions): Promise<number> {
  const target = aasFileTarget(options.file);
  // loaded on use, like `run`: it brings vitest
  const { runCommand } = await import('./run.js');
  const out = options.out ?? (options.json ? defaultOutDir(AAS_FILE_PROFILE, target.name) : undefined);
  const run = () =>
    runCommand({
      profile: AAS_FILE_PROFILE,
      target: target.file.shown,
      resolvedTarget: target,
      fault: [],
      ...(out !== undefined && { out }),
      ...(options.sign !== undefined && { sign: options.sign }),
      ...(options.waivers !== undefined && { waivers: options.waivers }),
      ...(options.color === false && { color: false }),
    });
  if (!options.json) return run();
  // the summary `run` prints would spoil the JSON: it goes to stderr with the progress lines
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = process.stderr.write.bind(process.stderr) as typeof process.stdout.write;
  let code: number;
  try {
    code = await run();
  } finally {
    process.stdout.write = write;
  }
  process.stdout.write(readFileSync(resolve(out!, 'report.json'), 'utf8'));
  return code;
}
