import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { parseDocument } from 'yaml';
import { ConfigError } from '../model/index.js';

/** Reads a YAML file; a syntax error becomes a one-line ConfigError naming the file and line. */
export function readYamlFile(file: string, displayRoot = process.cwd()): unknown {
  const shown = relative(displayRoot, file) || file;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ConfigError(code === 'ENOENT' ? `${shown}: file not found` : `${shown}: cannot read (${code ?? String(error)})`);
  }
  // prettyErrors computes linePos, so the message can name the line
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  const first = doc.errors[0];
  if (first) {
    const line = first.linePos?.[0]?.line;
    const reason = (first.message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?$/, '');
    throw new ConfigError(`${shown}${line ? `:${line}` : ''}: invalid YAML: ${reason}`);
  }
  try {
    return doc.toJS({ maxAliasCount: 100 });
  } catch (error) {
    // e.g. an alias bomb: the parser refuses to expand it
    throw new ConfigError(`${shown}: invalid YAML: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
  }
}
