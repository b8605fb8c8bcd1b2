import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { compileValidator, ConfigError, didYouMean, profileSchema, type Profile, type ProfileFile } from '../model/index.js';
import type { Catalog } from './catalog.js';
import { readYamlFile } from './yaml-file.js';

const validateProfile = compileValidator<ProfileFile>(profileSchema);

/** Loads every profile file and cross-checks it against the catalog. */
export function loadProfiles(profilesDir: string, catalog: Catalog): Profile[] {
  const profiles: Profile[] = [];
  for (const family of catalog.families) {
    const dir = join(profilesDir, family);
    for (const name of readdirSync(dir).filter((f) => f.endsWith('.yaml') && f !== 'requirements.yaml').sort()) {
      const file = join(dir, name);
      const checked = validateProfile(readYamlFile(file));
      if (!checked.ok) throw new ConfigError(`${file}: ${checked.problems.join('; ')}`);
      const profile: Profile = { ...checked.value, family, file };
      for (const id of allRequirementIds(profile)) {
        if (!catalog.get(id)) throw new ConfigError(`${file}: requirement ${id} is not in any catalog`);
      }
      if (profiles.some((p) => p.id === profile.id)) throw new ConfigError(`${file}: profile id ${profile.id} is used twice`);
      profiles.push(profile);
    }
  }
  return profiles;
}

export function allRequirementIds(profile: ProfileFile): string[] {
  return [...new Set([...profile.requirements, ...Object.values(profile.optionalGroups ?? {}).flat()])];
}

/** Finds a profile by its short id or its IRI. */
export function findProfile(profiles: readonly Profile[], idOrIri: string): Profile {
  const found = profiles.find((p) => p.id === idOrIri || p.iri === idOrIri);
  if (found) return found;
  const hint = didYouMean(idOrIri, profiles.map((p) => p.id));
  throw new ConfigError(
    `unknown profile "${idOrIri}"${hint ? ` (did you mean "${hint}"?)` : ''}; run "oi4-conformance profiles" to list them`,
  );
}
