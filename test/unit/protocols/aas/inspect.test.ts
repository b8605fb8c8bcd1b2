/** The findings the aas-file suites decide on (suites/aas-file/lib/inspect.ts), without the CLI around them. */
import { describe, expect, test } from 'vitest';
import { inspectBytes, jsonSyntaxError, NO_XML_SDK } from '../../../../suites/aas-file/lib/inspect.js';
import { sampleEnvironment, sampleWith, xmlEnvironment, xmlSample } from './packages.js';

const bytes = (text: string) => new TextEncoder().encode(text);

describe('inspectBytes', () => {
  test('the JSON sample: everything decided, ids, submodel references and File values found', () => {
    const [env] = inspectBytes(bytes(JSON.stringify(sampleEnvironment())), 'json').environments;
    expect(env).toMatchObject({ part: '', format: 'json', syntax: [], root: [], deserialization: [], verification: [], undecidedBecause: undefined, walked: true });
    expect(env!.ids.filter((s) => s.kind === 'submodel').length).toBeGreaterThan(0);
    expect(env!.submodelReferences[0]!.where).toBe('/assetAdministrationShells/0/submodels/0');
    expect(env!.fileValues.map((f) => f.id)).toContain('/aasx/files/manual.pdf');
  });

  test('JSON: locations in a package name the part', () => {
    const inspection = inspectBytes(sampleWith(), 'aasx');
    expect(inspection.environments[0]!.submodelReferences[0]!.where).toBe('/aasx/environment/environment.aas.json#/assetAdministrationShells/0/submodels/0');
  });

  test('JSON: syntax errors carry line:column; not-an-environment roots are AAS-FILE-002', () => {
    expect(inspectBytes(bytes('{\n  "a": ,\n}'), 'json').environments[0]!.syntax).toEqual(['2:8: expected a value, found ","']);
    expect(inspectBytes(bytes(''), 'json').environments[0]!.syntax).toEqual(['the file is empty; expected a JSON object']);
    expect(inspectBytes(bytes('"text"'), 'json').environments[0]!.root).toEqual(['the root is a string; expected an object (Environment)']);
    expect(inspectBytes(bytes('{"name": "x"}'), 'json').environments[0]!.root![0]).toMatch(/has none of assetAdministrationShells, submodels, conceptDescriptions/);
    expect(inspectBytes(bytes('{}'), 'json').environments[0]).toMatchObject({ root: [], deserialization: [], verification: [] });
  });

  test('XML: structure and constraints undecided with the reason; ids, references and files read from the tree', () => {
    const [env] = inspectBytes(bytes(xmlEnvironment({ submodelIds: ['urn:a', 'urn:b'] })), 'xml').environments;
    expect(env).toMatchObject({ syntax: [], root: [], deserialization: undefined, verification: undefined, undecidedBecause: NO_XML_SDK, walked: true });
    expect(env!.ids.map((s) => [s.id, s.kind])).toEqual([
      ['urn:aas:1', 'shell'],
      ['urn:a', 'submodel'],
      ['urn:b', 'submodel'],
    ]);
    expect(env!.submodelReferences.map((s) => s.id)).toEqual(['urn:a']);
    expect(env!.fileValues.map((f) => f.id)).toEqual(['/aasx/files/manual.pdf', '/aasx/files/manual.pdf']);
    expect(inspectBytes(bytes(xmlEnvironment({ namespace: 'https://admin-shell.io/aas/3/1' })), 'xml').environments[0]!.root).toEqual([]);
    expect(inspectBytes(bytes(xmlEnvironment({ root: 'aasenv' })), 'xml').environments[0]!.root![0]).toMatch(/the root is <aasenv>/);
  });

  test('XML in an encoding the checker does not read: AAS-FILE-001 undecided, not failed', () => {
    const [env] = inspectBytes(Buffer.from(xmlEnvironment().replace('UTF-8', 'ISO-8859-1').replace('Docs', 'Dokumente f\u00fcr'), 'latin1'), 'xml').environments;
    expect(env).toMatchObject({ syntax: undefined, root: undefined, walked: false });
    expect(env!.undecidedBecause).toMatch(/declares encoding ISO-8859-1, which this checker does not read/);
  });

  test('AASX: one environment per readable aas-spec part; none when the package is unreadable', () => {
    expect(inspectBytes(xmlSample(), 'aasx').environments.map((e) => e.format)).toEqual(['xml']);
    expect(inspectBytes(bytes('nope'), 'aasx').environments).toEqual([]);
  });

  test('a deeply nested JSON file is a finding, not a crash', () => {
    const deep = '{"submodels": [' + '['.repeat(100_000) + ']'.repeat(100_000) + ']}';
    const [env] = inspectBytes(bytes(deep), 'json').environments;
    expect(env!.deserialization!.length).toBeGreaterThan(0);
  });
});

describe('jsonSyntaxError: the first place JSON breaks, as line:column', () => {
  const cases: [string, string][] = [
    ['{"a": 1,}', '1:9: expected a property name in double quotes, found "}"'],
    ['[1, 2', '1:6: expected "," or "]", found the end of the text'],
    ['{"a" 1}', '1:6: expected ":" after the property name, found "1"'],
    ['{"a": "x\ny"}', '1:9: a control character inside a string (escape it)'],
    ['"\\q"', '1:2: invalid escape \\q'],
    ['"\\u12"', '1:2: \\u must be followed by four hex digits'],
    ['"open', '1:6: a string is not closed'],
    ['{} {}', '1:4: unexpected "{" after the JSON value'],
    ['-', '1:1: an invalid number'],
    ["{'a': 1}", '1:2: expected a property name in double quotes, found "\'"'],
    ['tru', '1:1: expected a value, found "t"'],
    ['\n\n  nul', '3:3: expected a value, found "n"'],
  ];
  for (const [text, expected] of cases) {
    test(JSON.stringify(text), () => {
      expect(() => JSON.parse(text)).toThrow();
      expect(jsonSyntaxError(text)).toBe(expected);
    });
  }

  test('valid JSON has no error, however deep', () => {
    for (const text of ['{}', '[]', '0', '-1.5e+3', '"a\\u00e9\\n"', '{"a": [1, {"b": null}], "c": true}', '['.repeat(100_000) + ']'.repeat(100_000)]) {
      expect(jsonSyntaxError(text), text.slice(0, 20)).toBeUndefined();
    }
  });
});
