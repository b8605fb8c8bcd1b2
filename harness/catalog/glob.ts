import { readdirSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Expands the simple globs profiles use for their suites: "*" and "?" within one path segment and "**"
 * for any depth. Returns project-relative paths in the order of the patterns, sorted within each
 * pattern, each path once: a profile orders its suites by listing them.
 */
export function expandGlobs(root: string, patterns: readonly string[]): string[] {
  const found = new Set<string>();
  for (const pattern of patterns) for (const path of expand(root, pattern.split('/').filter(Boolean), '').sort()) found.add(path);
  return [...found];
}

function segmentRegex(segment: string): RegExp {
  return new RegExp(`^${segment.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]')}$`);
}

function expand(root: string, segments: readonly string[], prefix: string): string[] {
  const [head, ...rest] = segments;
  if (head === undefined) return [];
  let entries;
  try {
    entries = readdirSync(join(root, prefix), { withFileTypes: true });
  } catch {
    return [];
  }
  if (head === '**') {
    // a trailing ** means every file below
    const here = rest.length === 0 ? entries.filter((e) => e.isFile()).map((e) => join(prefix, e.name)) : expand(root, rest, prefix);
    const deeper = entries.filter((e) => e.isDirectory() && e.name !== 'node_modules').flatMap((e) => expand(root, segments, join(prefix, e.name)));
    return [...here, ...deeper];
  }
  const regex = segmentRegex(head);
  return entries
    .filter((e) => regex.test(e.name))
    .flatMap((e) => {
      const path = join(prefix, e.name);
      if (rest.length === 0) return e.isFile() ? [path] : [];
      return e.isDirectory() ? expand(root, rest, path) : [];
    });
}
