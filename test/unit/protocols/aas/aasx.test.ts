import { describe, expect, test } from 'vitest';
import { readAasx, relsPartOf } from '../../../../harness/protocols/aas/aasx.js';
import { MANUAL_PART, ORIGIN, readContentTypes, relationships, sampleWith, SPEC, SPEC_PART, SUPPL, xmlSample } from './packages.js';

const allProblems = (bytes: Uint8Array) => readAasx(bytes).problems;

describe('readAasx', () => {
  test('the sample: origin, one JSON aas-spec part, no problems, no warnings', () => {
    const pkg = readAasx(sampleWith());
    expect(Object.values(pkg.problems).flat()).toEqual([]);
    expect(pkg.warnings).toEqual([]);
    expect(pkg.readable).toBe(true);
    expect(pkg.origin).toBe('/aasx/aasx-origin');
    expect(pkg.originCount).toBe(1);
    expect(pkg.specs).toMatchObject([{ name: `/${SPEC_PART}`, format: 'json', contentType: 'application/json' }]);
    expect(pkg.contentTypeOf(`/${MANUAL_PART}`)).toBe('application/pdf');
    expect(pkg.contentTypeOf('/aasx/aasx-origin')).toBe('text/plain');
    expect(pkg.relationships.find((r) => r.normalizedType === SUPPL)).toMatchObject({ source: `/${SPEC_PART}`, targetPart: `/${MANUAL_PART}` });
  });

  test('an XML aas-spec part is recognised as XML', () => {
    expect(readAasx(xmlSample()).specs.map((s) => s.format)).toEqual(['xml']);
  });

  test('relsPartOf', () => {
    expect(relsPartOf('/')).toBe('/_rels/.rels');
    expect(relsPartOf('/aasx/aasx-origin')).toBe('/aasx/_rels/aasx-origin.rels');
  });

  test('not a ZIP: unreadable, nothing else looked at', () => {
    const pkg = readAasx(new TextEncoder().encode('{"this is": "json"}'));
    expect(pkg.readable).toBe(false);
    expect(pkg.problems.zip[0]).toMatch(/ZIP archive/);
    expect(pkg.specs).toEqual([]);
    expect(readAasx(new Uint8Array()).problems.zip).toEqual(['the file is empty; expected a ZIP archive']);
  });

  test('part names: "..", leading "/", and two names for one part', () => {
    expect(allProblems(sampleWith({}, [{ name: 'aasx/../evil.txt', data: 'x' }])).partNames[0]).toMatch(/has a "\." or "\.\." segment/);
    expect(allProblems(sampleWith({}, [{ name: '/abs.txt', data: 'x' }])).partNames[0]).toMatch(/starts with "\/"/);
    const twice = allProblems(sampleWith({}, [{ name: 'aasx/files/Manual.PDF', data: 'x' }])).partNames;
    expect(twice[0]).toMatch(/name the same part/);
  });

  test('content types: missing file, wrong root, a part without a type', () => {
    expect(allProblems(sampleWith({ '[Content_Types].xml': undefined })).contentTypes).toEqual(['[Content_Types].xml is missing']);
    expect(allProblems(sampleWith({ '[Content_Types].xml': '<Types/>' })).contentTypes[0]).toMatch(/expected <Types> in http:\/\/schemas.openxmlformats.org/);
    expect(allProblems(sampleWith({ '[Content_Types].xml': '<Types' })).contentTypes[0]).toMatch(/^\[Content_Types\]\.xml \d+:\d+: /);
    const noPdf = readContentTypes().replace(/\s*<Default Extension="pdf"[^>]*\/>/, '');
    expect(allProblems(sampleWith({ '[Content_Types].xml': noPdf })).contentTypes).toEqual([`/${MANUAL_PART} has no content type (no <Override> for it, no <Default> for its extension)`]);
  });

  test('origin: none, two, or one pointing nowhere', () => {
    const none = readAasx(sampleWith({ '_rels/.rels': relationships([]) }));
    expect(none.problems.origin).toEqual([`_rels/.rels has no relationship of type ${ORIGIN}`]);
    expect(none.specs).toEqual([]);
    const two = readAasx(sampleWith({ '_rels/.rels': relationships([['o1', ORIGIN, '/aasx/aasx-origin'], ['o2', ORIGIN, 'aasx/aasx-origin']]) }));
    expect(two.problems.origin[0]).toMatch(/2 aasx-origin relationships \(o1, o2\); expected exactly one/);
    expect(two.warnings[0]).toMatch(/the first \(o1\) is used/);
    expect(two.specs).toHaveLength(1);
    const nowhere = readAasx(sampleWith({ '_rels/.rels': relationships([['o', ORIGIN, '/aasx/elsewhere']]) }));
    expect(nowhere.problems.origin).toEqual(['the aasx-origin relationship points to /aasx/elsewhere, which is not in the package']);
    expect(readAasx(sampleWith({ '_rels/.rels': undefined })).problems.origin).toEqual(['_rels/.rels (the package relationships) is missing']);
  });

  test('deprecated www.admin-shell.io types are followed, with a warning', () => {
    const old = (type: string) => type.replace('http://admin-shell.io', 'http://www.admin-shell.io');
    const pkg = readAasx(sampleWith({ '_rels/.rels': relationships([['o', old(ORIGIN), '/aasx/aasx-origin']]), 'aasx/_rels/aasx-origin.rels': relationships([['s', old(SPEC), `/${SPEC_PART}`]]) }));
    expect(pkg.problems.origin).toEqual([]);
    expect(pkg.specs).toHaveLength(1);
    expect(pkg.deprecatedTypes).toEqual([old(ORIGIN), old(SPEC)]);
    expect(pkg.warnings).toHaveLength(2);
  });

  test('aas-spec: none, missing, neither JSON nor XML; relative targets resolve against the origin', () => {
    expect(allProblems(sampleWith({ 'aasx/_rels/aasx-origin.rels': relationships([]) })).spec[0]).toMatch(/has no aas-spec relationship/);
    expect(allProblems(sampleWith({ 'aasx/_rels/aasx-origin.rels': relationships([['s', SPEC, '/aasx/missing.json']]) })).spec).toEqual(['aas-spec relationship s points to /aasx/missing.json, which is not in the package']);
    const text = readAasx(sampleWith({ 'aasx/_rels/aasx-origin.rels': relationships([['s', SPEC, '/aasx/files/manual.pdf']]) }));
    expect(text.problems.spec[0]).toMatch(/is neither JSON nor XML/);
    const relative = readAasx(sampleWith({ 'aasx/_rels/aasx-origin.rels': relationships([['s', SPEC, 'environment/environment.aas.json']]) }));
    expect(relative.specs.map((s) => s.name)).toEqual([`/${SPEC_PART}`]);
  });

  test('relationships: dangling target, outside the package, malformed, duplicate ids, External is not followed', () => {
    const rels = 'aasx/environment/_rels/environment.aas.json.rels';
    expect(allProblems(sampleWith({ [rels]: relationships([['m', SUPPL, '/aasx/files/gone.pdf']]) })).relationships).toEqual([
      `/${rels}: relationship m (${SUPPL}) points to /aasx/files/gone.pdf, which is not in the package`,
    ]);
    expect(allProblems(sampleWith({ [rels]: relationships([['m', SUPPL, '../../../../x.pdf']]) })).relationships[0]).toMatch(/points outside the package/);
    expect(allProblems(sampleWith({ [rels]: '<Relationships' })).relationships[0]).toMatch(/^\/aasx\/environment\/_rels\/environment\.aas\.json\.rels \d+:\d+: /);
    expect(allProblems(sampleWith({ [rels]: relationships([['m', SUPPL, `/${MANUAL_PART}`], ['m', SUPPL, `/${MANUAL_PART}`]]) })).relationships[0]).toMatch(/Id "m" is used twice/);
    const external = relationships([['w', SUPPL, 'https://example.com/manual.pdf']]).replace('/>', ' TargetMode="External"/>');
    expect(allProblems(sampleWith({ [rels]: external })).relationships).toEqual([]);
  });

  test('an entry that is a zip bomb is a ZIP problem; the rest of the package is still read', () => {
    const pkg = readAasx(sampleWith({}, [{ name: 'aasx/files/bomb.bin', data: Buffer.alloc(30 * 1024 * 1024) }]), { zip: { maxEntryBytes: 1024 * 1024 } });
    expect(pkg.problems.zip[0]).toMatch(/aasx\/files\/bomb\.bin: declares \d+ bytes uncompressed/);
    expect(pkg.specs).toHaveLength(1);
  });
});
