import { describe, expect, test } from 'vitest';
import {
  checkMetamodel,
  relaxFor31,
  verifyAssetAdministrationShell,
  verifyConceptDescription,
  verifyEnvironment,
  verifyReference,
  verifySubmodel,
  verifySubmodelElement,
} from '../../../../harness/protocols/aas/metamodel.js';
import { sampleEnvironment } from './packages.js';

const property = (idShort: string, value = '1') => ({ modelType: 'Property', idShort, valueType: 'xs:int', value });
const list = (items: unknown[]) => ({ modelType: 'SubmodelElementList', idShort: 'List', typeValueListElement: 'Property', valueTypeListElement: 'xs:int', value: items });

describe('metamodel checks with the aas-core3.0 SDK', () => {
  test('the sample environment is clean', () => {
    expect(verifyEnvironment(sampleEnvironment())).toEqual([]);
  });

  test('each class has its entry point', () => {
    expect(verifyAssetAdministrationShell({ modelType: 'AssetAdministrationShell', id: 'urn:a', assetInformation: { assetKind: 'Instance', globalAssetId: 'urn:x' } })).toEqual([]);
    expect(verifySubmodel({ modelType: 'Submodel', id: 'urn:s', submodelElements: [property('p')] })).toEqual([]);
    expect(verifySubmodelElement(property('p'))).toEqual([]);
    expect(verifyConceptDescription({ modelType: 'ConceptDescription', id: 'urn:cd' })).toEqual([]);
    expect(verifyReference({ type: 'ExternalReference', keys: [{ type: 'GlobalReference', value: 'urn:g' }] })).toEqual([]);
    expect(verifyReference({ type: 'ExternalReference', keys: [] })).toEqual([expect.stringMatching(/^\/: Keys must contain at least one item/)]);
  });

  test('deserialisation errors name the JSON pointer', () => {
    const report = checkMetamodel('Environment', { submodels: [{ modelType: 'Submodel', id: 5 }] });
    expect(report.deserialization).toEqual(['/submodels/0/id: Expected a string, but got: number']);
    expect(report.verification).toEqual([]);
    expect(report.instance).toBeUndefined();
    expect(verifySubmodelElement({ modelType: 'NoSuchThing' })[0]).toMatch(/^\/(modelType)?: /);
  });

  test('verification errors name the JSON pointer, one line each', () => {
    const problems = verifySubmodel({ modelType: 'Submodel', id: 'urn:s', idShort: '1bad', submodelElements: [property('p'), property('q', 'abc')] });
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(/^\/idShort: ID-short of Referables shall only feature letters/);
    expect(problems[1]).toMatch(/^\/submodelElements\/1: Value must be consistent with the value type\.$/);
    for (const p of problems) expect(p).not.toMatch(/\n/);
  });

  test('the list is capped with "and N more"', () => {
    const elements = Array.from({ length: 80 }, (_, i) => property(`p${i}`, 'not-an-int'));
    const problems = verifySubmodel({ modelType: 'Submodel', id: 'urn:s', submodelElements: elements });
    expect(problems).toHaveLength(51);
    expect(problems[50]).toBe('and 30 more');
    expect(verifySubmodel({ modelType: 'Submodel', id: 'urn:s', submodelElements: elements }, { maxProblems: 5 })).toHaveLength(6);
  });

  test('3.1: AASd-120 is not reported, and the 3.1 additions to AdministrativeInformation are set aside', () => {
    const submodel = { modelType: 'Submodel', id: 'urn:s', administration: { version: '1', revision: '0', createdAt: '2025-01-01T00:00:00Z', updatedAt: 'x', templateId: 'urn:t' }, submodelElements: [list([property('item')])] };
    const as30 = verifySubmodel(submodel);
    expect(as30.some((p) => /AASd-120/.test(p))).toBe(true);
    expect(verifySubmodel(submodel, { apiVersion: '3.1' })).toEqual([]);
    // other findings remain
    expect(verifySubmodel({ ...submodel, idShort: '1bad' }, { apiVersion: '3.1' })).toHaveLength(1);
  });

  test('relaxFor31 copies without createdAt, updatedAt, templateId, and leaves the input alone', () => {
    const input = { a: [{ administration: { version: '1', createdAt: 'c', templateId: 't' } }], updatedAt: 'u', keep: null };
    expect(relaxFor31(input)).toEqual({ a: [{ administration: { version: '1' } }], keep: null });
    expect(input.a[0]!.administration.createdAt).toBe('c');
    let deep: unknown = { createdAt: 'x' };
    for (let i = 0; i < 50_000; i++) deep = [deep];
    expect(() => relaxFor31(deep)).not.toThrow();
  });

  test('never throws, whatever the input', () => {
    let deep: unknown = property('leaf');
    for (let i = 0; i < 50_000; i++) deep = { modelType: 'SubmodelElementCollection', idShort: 'c', value: [deep] };
    for (const input of [undefined, null, 42, 'text', [], {}, [1, 2], { modelType: 5 }, deep, Symbol('s'), () => 1, 10n]) {
      const problems = verifySubmodelElement(input);
      expect(Array.isArray(problems)).toBe(true);
      expect(problems.length).toBeGreaterThan(0);
      for (const p of problems) expect(p).toMatch(/^\/[^:]*: /);
    }
    expect(verifySubmodelElement(deep)).toEqual(['/: the value could not be deserialized as SubmodelElement: it is nested too deeply']);
  });
});
