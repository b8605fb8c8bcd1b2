import { join } from 'node:path';
import type { Profile } from '../model/index.js';
import { loadCatalog, type Catalog } from './catalog.js';
import { loadProfiles } from './profiles.js';
import { PROJECT_ROOT } from './project.js';

export { loadCatalog, type Catalog } from './catalog.js';
export { loadProfiles, findProfile, allRequirementIds } from './profiles.js';
export { readYamlFile } from './yaml-file.js';
export { PROJECT_ROOT, suiteVersion } from './project.js';
export { expandGlobs } from './glob.js';

export interface Library {
  readonly catalog: Catalog;
  readonly profiles: readonly Profile[];
}

/** The project's catalog and profiles, loaded and cross-checked. */
export function loadLibrary(root: string = PROJECT_ROOT): Library {
  const dir = join(root, 'profiles');
  const catalog = loadCatalog(dir);
  return { catalog, profiles: loadProfiles(dir, catalog) };
}
