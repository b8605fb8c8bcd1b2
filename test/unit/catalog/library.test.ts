import { describe, expect, it } from 'vitest';
import { allRequirementIds, loadLibrary } from '../../../harness/catalog/index.js';

// The real catalog and profiles of the project: what a run loads.
const library = loadLibrary();

describe('loadLibrary on the project', () => {
  it('finds the oi4-oec family and the oi4-oec-application profile', () => {
    expect(library.catalog.families).toContain('oi4-oec');
    const profile = library.profiles.find((p) => p.id === 'oi4-oec-application');
    expect(profile).toBeDefined();
    expect(profile?.family).toBe('oi4-oec');
    expect(profile?.file).toMatch(/profiles[\\/]oi4-oec[\\/]application\.yaml$/);
  });

  it('keys every requirement by its own id, once', () => {
    const ids = [...library.catalog.requirements.keys()];
    expect(ids.length).toBeGreaterThan(0);
    expect(new Set(ids).size).toBe(ids.length);
    for (const [id, requirement] of library.catalog.requirements) {
      expect(requirement.id).toBe(id);
      expect(library.catalog.get(id)).toBe(requirement);
    }
  });

  it('gives every requirement a family and a testable flag, and a reason when it is not testable', () => {
    for (const requirement of library.catalog.requirements.values()) {
      expect(library.catalog.families).toContain(requirement.family);
      expect(typeof requirement.testable).toBe('boolean');
      if (!requirement.testable) expect(requirement.reason).toBeTruthy();
    }
  });

  it('has every requirement of every profile in the catalog', () => {
    for (const profile of library.profiles) {
      for (const id of allRequirementIds(profile)) expect(library.catalog.get(id), `${profile.id} lists ${id}`).toBeDefined();
    }
  });

  it('uses each profile id once', () => {
    const ids = library.profiles.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
