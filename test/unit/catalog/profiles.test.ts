import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { allRequirementIds, findProfile, loadCatalog, loadProfiles } from '../../../harness/catalog/index.js';
import { profileOf } from '../support/library.js';
import { configErrorOf } from '../support/errors.js';
import { useTempDirs } from '../support/temp.js';

const temp = useTempDirs();

const CATALOG = `family: demo
guideline: Demo guideline
guidelineVersion: "1.0"
requirements:
  - id: DEMO-001
    title: The device answers a Get within the timeout.
    level: MUST
    source: Demo 1.1
  - id: DEMO-002
    title: The device publishes its health every minute.
    level: SHOULD
    source: Demo 1.2
    group: health
  - id: DEMO-003
    title: The device has a printed manual for the operator.
    level: MAY
    source: Demo 1.3
    testable: false
    reason: paper is not machine-testable
`;

const PROFILE = `id: demo-profile
title: Demo profile
version: 1.0.0
guideline: { name: Demo guideline, version: "1.0" }
targetKind: oi4-mqtt
suites: [suites/demo/*.suite.ts]
requirements: [DEMO-001]
optionalGroups:
  health: [DEMO-002]
parameters:
  responseTimeoutMs: { kind: harness, default: 2000, description: How long to wait. }
`;

/** A profiles/ tree with one family folder holding the given files. */
function profilesDir(files: Record<string, string>, family = 'demo'): string {
  const dir = temp.make();
  for (const [name, text] of Object.entries(files)) temp.write(dir, join(family, name), text);
  return dir;
}

describe('loadCatalog', () => {
  it('loads a family folder and defaults testable to true', () => {
    const catalog = loadCatalog(profilesDir({ 'requirements.yaml': CATALOG }));
    expect(catalog.families).toEqual(['demo']);
    expect([...catalog.requirements.keys()]).toEqual(['DEMO-001', 'DEMO-002', 'DEMO-003']);
    expect(catalog.get('DEMO-001')).toMatchObject({ family: 'demo', level: 'MUST', testable: true });
    expect(catalog.get('DEMO-003')).toMatchObject({ testable: false, reason: 'paper is not machine-testable' });
    expect(catalog.get('DEMO-999')).toBeUndefined();
  });

  it('skips folders without requirements.yaml and plain files', () => {
    const dir = profilesDir({ 'requirements.yaml': CATALOG });
    temp.write(dir, 'empty-family/README.md', 'nothing here');
    temp.write(dir, 'notes.txt', 'not a folder');
    expect(loadCatalog(dir).families).toEqual(['demo']);
  });

  it('rejects an id defined twice in one file', () => {
    const twice = CATALOG.replace('id: DEMO-002', 'id: DEMO-001');
    const message = configErrorOf(() => loadCatalog(profilesDir({ 'requirements.yaml': twice })));
    expect(message).toContain('DEMO-001 is defined twice');
  });

  it('rejects an id defined in two families', () => {
    const dir = profilesDir({ 'requirements.yaml': CATALOG });
    temp.write(dir, 'other/requirements.yaml', CATALOG.replace('family: demo', 'family: other'));
    expect(configErrorOf(() => loadCatalog(dir))).toMatch(/other[\\/]requirements\.yaml: requirement id DEMO-001 is defined twice/);
  });

  it('rejects a family that does not match its folder', () => {
    const message = configErrorOf(() => loadCatalog(profilesDir({ 'requirements.yaml': CATALOG }, 'wrong-folder')));
    expect(message).toContain('family "demo" does not match its folder "wrong-folder"');
  });

  it('rejects an entry that breaks the schema, naming the field', () => {
    const bad = CATALOG.replace('level: SHOULD', 'level: SHALL');
    const message = configErrorOf(() => loadCatalog(profilesDir({ 'requirements.yaml': bad })));
    expect(message).toContain('requirements[1].level: must be one of "MUST", "SHOULD", "MAY"');
  });

  it('rejects a non-testable requirement without a reason', () => {
    const bad = CATALOG.replace('    reason: paper is not machine-testable\n', '');
    expect(configErrorOf(() => loadCatalog(profilesDir({ 'requirements.yaml': bad })))).toContain('requirements[2]: missing required field "reason"');
  });
});

describe('loadProfiles', () => {
  it('loads a profile and records its family and file', () => {
    const dir = profilesDir({ 'requirements.yaml': CATALOG, 'demo-profile.yaml': PROFILE });
    const profiles = loadProfiles(dir, loadCatalog(dir));
    expect(profiles).toHaveLength(1);
    expect(profiles[0]).toMatchObject({ id: 'demo-profile', family: 'demo', file: join(dir, 'demo', 'demo-profile.yaml'), requirements: ['DEMO-001'] });
  });

  it('rejects a profile listing a requirement that is in no catalog', () => {
    const dir = profilesDir({ 'requirements.yaml': CATALOG, 'demo-profile.yaml': PROFILE.replace('[DEMO-002]', '[DEMO-042]') });
    expect(configErrorOf(() => loadProfiles(dir, loadCatalog(dir)))).toContain('requirement DEMO-042 is not in any catalog');
  });

  it('rejects two profiles with the same id', () => {
    const dir = profilesDir({ 'requirements.yaml': CATALOG, 'a.yaml': PROFILE, 'b.yaml': PROFILE });
    expect(configErrorOf(() => loadProfiles(dir, loadCatalog(dir)))).toContain('profile id demo-profile is used twice');
  });

  it('rejects a profile with an unknown field, suggesting the right one', () => {
    const dir = profilesDir({ 'requirements.yaml': CATALOG, 'demo-profile.yaml': PROFILE.replace('optionalGroups:', 'optionalGroup:') });
    expect(configErrorOf(() => loadProfiles(dir, loadCatalog(dir)))).toContain('did you mean "optionalGroups"');
  });
});

describe('allRequirementIds', () => {
  it('joins mandatory and optional ids without duplicates', () => {
    const profile = profileOf({ requirements: ['A-001', 'B-001'], optionalGroups: { g: ['B-001', 'C-001'], h: ['C-001', 'D-001'] } });
    expect(allRequirementIds(profile)).toEqual(['A-001', 'B-001', 'C-001', 'D-001']);
  });
});

describe('findProfile', () => {
  const profiles = [profileOf({ id: 'oi4-oec-application', iri: 'https://example.org/profiles/app', requirements: ['A-001'] })];

  it('finds a profile by id or by IRI', () => {
    expect(findProfile(profiles, 'oi4-oec-application')).toBe(profiles[0]);
    expect(findProfile(profiles, 'https://example.org/profiles/app')).toBe(profiles[0]);
  });

  it('suggests the closest id on a typo', () => {
    const message = configErrorOf(() => findProfile(profiles, 'oi4-oec-aplication'));
    expect(message).toContain('unknown profile "oi4-oec-aplication"');
    expect(message).toContain('did you mean "oi4-oec-application"');
  });

  it('gives no suggestion for a name far from every id', () => {
    const message = configErrorOf(() => findProfile(profiles, 'aas-server'));
    expect(message).not.toContain('did you mean');
    expect(message).toContain('oi4-conformance profiles');
  });
});
