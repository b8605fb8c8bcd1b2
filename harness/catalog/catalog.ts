import { readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { catalogSchema, compileValidator, ConfigError, type CatalogFile, type Requirement } from '../model/index.js';
import { readYamlFile } from './yaml-file.js';

const validateCatalog = compileValidator<CatalogFile>(catalogSchema);

export interface Catalog {
  readonly families: readonly string[];
  readonly requirements: ReadonlyMap<string, Requirement>;
  get(id: string): Requirement | undefined;
}

/** Loads every profiles/<family>/requirements.yaml; ids are unique across all families. */
export function loadCatalog(profilesDir: string): Catalog {
  const requirements = new Map<string, Requirement>();
  const families: string[] = [];
  for (const family of readdirSync(profilesDir, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort()) {
    const file = join(profilesDir, family, 'requirements.yaml');
    if (!existsSync(file)) continue;
    const checked = validateCatalog(readYamlFile(file));
    if (!checked.ok) throw new ConfigError(`${file}: ${checked.problems[0]}${checked.problems.length > 1 ? ` (and ${checked.problems.length - 1} more)` : ''}`);
    if (checked.value.family !== family) throw new ConfigError(`${file}: family "${checked.value.family}" does not match its folder "${family}"`);
    families.push(family);
    for (const entry of checked.value.requirements) {
      if (requirements.has(entry.id)) throw new ConfigError(`${file}: requirement id ${entry.id} is defined twice`);
      requirements.set(entry.id, { ...entry, family, testable: entry.testable ?? true });
    }
  }
  return { families, requirements, get: (id) => requirements.get(id) };
}
