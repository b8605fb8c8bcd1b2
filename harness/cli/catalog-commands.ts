import { allRequirementIds, findProfile, loadLibrary } from '../catalog/index.js';
import { createTerminal } from './terminal.js';

/** `oi4-conformance profiles`: id, title, version, number of requirements, and the IRI a profile has (AAS Part 2). */
export function profilesCommand(options: { json?: boolean }): number {
  const { profiles } = loadLibrary();
  const rows = profiles.map((p) => ({ id: p.id, title: p.title, version: p.version, requirements: allRequirementIds(p).length, ...(p.iri && { iri: p.iri }) }));
  const terminal = createTerminal();
  if (options.json) {
    terminal.out(JSON.stringify(rows, null, 2) + '\n');
    return 0;
  }
  const idWidth = Math.max(2, ...rows.map((r) => r.id.length));
  const titleWidth = Math.max(5, ...rows.map((r) => r.title.length));
  terminal.out(
    [
      `${'id'.padEnd(idWidth)}  ${'title'.padEnd(titleWidth)}  version  requirements  iri`,
      ...rows.map((r) => `${r.id.padEnd(idWidth)}  ${r.title.padEnd(titleWidth)}  ${r.version.padEnd(7)}  ${String(r.requirements).padEnd(12)}  ${r.iri ?? ''}`.trimEnd()),
    ].join('\n') +
      '\n',
  );
  return 0;
}

/** `oi4-conformance requirements --profile <id>`: the catalog entries of a profile. */
export function requirementsCommand(options: { profile: string; json?: boolean }): number {
  const library = loadLibrary();
  const profile = findProfile(library.profiles, options.profile);
  const groupOf = new Map(Object.entries(profile.optionalGroups ?? {}).flatMap(([group, ids]) => ids.map((id) => [id, group] as const)));
  const entries = allRequirementIds(profile).map((id) => {
    const r = library.catalog.get(id)!;
    return {
      id,
      level: r.level,
      title: r.title,
      source: r.source,
      testable: r.testable,
      ...(r.reason !== undefined && { reason: r.reason }),
      ...(r.note !== undefined && { note: r.note }),
      ...(groupOf.has(id) && { group: groupOf.get(id) }),
    };
  });
  const terminal = createTerminal();
  if (options.json) {
    terminal.out(JSON.stringify(entries, null, 2) + '\n');
    return 0;
  }
  const lines = entries.map(
    (e) => `${e.id.padEnd(12)} ${e.level.padEnd(6)} ${e.title}${e.group ? ` [group ${e.group}]` : ''}${e.testable ? '' : ` (not testable: ${e.reason})`}\n${' '.repeat(20)}source: ${e.source}`,
  );
  terminal.out(`${profile.id} ${profile.version} — ${profile.title}\n\n${lines.join('\n')}\n`);
  return 0;
}
