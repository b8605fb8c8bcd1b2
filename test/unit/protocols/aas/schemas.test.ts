import { describe, expect, test } from 'vitest';
import { part2SchemaLoadCount, validatePart2 } from '../../../../harness/protocols/aas/schemas.js';

const endpoint = { interface: 'AAS-3.0', protocolInformation: { href: 'https://example.com/shells/abc', endpointProtocol: 'HTTP', endpointProtocolVersion: ['1.1'] } };

describe('Part 2 schemas', () => {
  test('Result and Message: messageType and text required, the rest lenient but checked when present', () => {
    expect(validatePart2('Result', { messages: [{ messageType: 'Error', text: 'not found' }] })).toEqual([]);
    expect(validatePart2('Result', { messages: [{ messageType: 'Error', text: 'x', code: '404', correlationId: 'c-1', timestamp: '2025-03-01T12:00:00.5Z' }] })).toEqual([]);
    expect(validatePart2('Result', {})).toEqual(['/: messages is missing']);
    expect(validatePart2('Result', { messages: [{ text: 'x' }] })).toEqual(['/messages/0: messageType is missing']);
    expect(validatePart2('Message', { messageType: 'Fatal', text: 'x' })[0]).toMatch(/^\/messageType: must be equal to one of the allowed values \("Undefined", "Info", "Warning", "Error", "Exception"\)$/);
    expect(validatePart2('Message', { messageType: 'Info', text: 'x', code: '' })[0]).toMatch(/^\/code: /);
    expect(validatePart2('Message', { messageType: 'Info', text: 'x', code: 'c'.repeat(33) })[0]).toMatch(/^\/code: /);
    expect(validatePart2('Message', { messageType: 'Info', text: 'x', correlationId: 'c'.repeat(129) })[0]).toMatch(/^\/correlationId: /);
    expect(validatePart2('Message', { messageType: 'Info', text: 'x', timestamp: '2025-03-01T12:00:00+01:00' })[0]).toMatch(/^\/timestamp: must match pattern/);
    expect(validatePart2('Message', { messageType: 'Info', text: 'x', timestamp: '2025-03-01T24:00:00Z' })).toEqual([]);
  });

  test('PagedResult: result and paging_metadata required; cursor never empty', () => {
    expect(validatePart2('PagedResult', { result: [], paging_metadata: {} })).toEqual([]);
    expect(validatePart2('PagedResult', { result: [1], paging_metadata: { cursor: 'abc' } })).toEqual([]);
    expect(validatePart2('PagedResult', { result: [] })).toEqual(['/: paging_metadata is missing']);
    expect(validatePart2('PagedResult', { result: [], pagingMetadata: {} })).toEqual(['/: paging_metadata is missing']);
    expect(validatePart2('PagedResult', { result: [], paging_metadata: { cursor: '' } })[0]).toMatch(/^\/paging_metadata\/cursor: /);
    expect(validatePart2('PagedResult', { result: {}, paging_metadata: {} })[0]).toMatch(/^\/result: must be array/);
  });

  test('ServiceDescription: at least one profile', () => {
    expect(validatePart2('ServiceDescription', { profiles: ['https://admin-shell.io/aas/API/3/0/AssetAdministrationShellRepositoryServiceSpecification/SSP-002'] })).toEqual([]);
    expect(validatePart2('ServiceDescription', { profiles: [] })[0]).toMatch(/^\/profiles: must NOT have fewer than 1 items/);
    expect(validatePart2('ServiceDescription', { profiles: [3] })[0]).toMatch(/^\/profiles\/0: must be string/);
  });

  test('descriptors, endpoints and protocol information', () => {
    const submodel = { id: 'urn:sm', endpoints: [endpoint], semanticId: { type: 'ExternalReference', keys: [{ type: 'GlobalReference', value: 'urn:sem' }] } };
    expect(validatePart2('SubmodelDescriptor', submodel)).toEqual([]);
    expect(validatePart2('SubmodelDescriptor', { id: 'urn:sm' })).toEqual(['/: endpoints is missing']);
    expect(validatePart2('SubmodelDescriptor', { id: 'urn:sm', endpoints: [] })[0]).toMatch(/^\/endpoints: must NOT have fewer than 1 items/);
    const shell = { id: 'urn:aas', idShort: 'Shell', assetKind: 'Instance', globalAssetId: 'urn:asset', specificAssetIds: [{ name: 'serial', value: '1' }], endpoints: [endpoint], submodelDescriptors: [submodel] };
    expect(validatePart2('AssetAdministrationShellDescriptor', shell)).toEqual([]);
    expect(validatePart2('AssetAdministrationShellDescriptor', { id: 'urn:aas' })).toEqual([]);
    expect(validatePart2('AssetAdministrationShellDescriptor', { ...shell, assetKind: 'Thing' })[0]).toMatch(/^\/assetKind: /);
    expect(validatePart2('AssetAdministrationShellDescriptor', { ...shell, id: '' })[0]).toMatch(/^\/id: /);
    expect(validatePart2('AssetAdministrationShellDescriptor', { ...shell, submodelDescriptors: [{ id: 'x' }] })).toEqual(['/submodelDescriptors/0: endpoints is missing']);
    expect(validatePart2('Endpoint', { interface: 'AAS-3.0', protocolInformation: {} })).toEqual(['/protocolInformation: href is missing']);
    expect(validatePart2('Endpoint', { interface: 'x'.repeat(129), protocolInformation: { href: 'h' } })[0]).toMatch(/^\/interface: /);
    expect(validatePart2('ProtocolInformation', { href: 'h', securityAttributes: [{ type: 'NONE', key: 'k', value: 'v' }] })).toEqual([]);
    expect(validatePart2('ProtocolInformation', { href: 'h', securityAttributes: [{ type: 'BASIC', key: 'k' }] })).toEqual(['/securityAttributes/0: value is missing', expect.stringMatching(/^\/securityAttributes\/0\/type: /)]);
    expect(validatePart2('ProtocolInformation', { href: 'h', endpointProtocolVersion: '1.1' })[0]).toMatch(/^\/endpointProtocolVersion: must be array/);
  });

  test('SpecificAssetId, Reference, Key, PathList', () => {
    expect(validatePart2('SpecificAssetId', { name: 'serial' })).toEqual(['/: value is missing']);
    expect(validatePart2('Reference', { type: 'ModelReference', keys: [{ type: 'Submodel', value: 'urn:sm' }] })).toEqual([]);
    expect(validatePart2('Reference', { type: 'ModelReference', keys: [] })[0]).toMatch(/^\/keys: /);
    expect(validatePart2('Key', { type: 'Nothing', value: 'v' })[0]).toMatch(/^\/type: /);
    expect(validatePart2('PathList', ['a', 'a.b', 'a.b[0]'])).toEqual([]);
    expect(validatePart2('PathList', ['a', 1])[0]).toMatch(/^\/1: must be string/);
  });

  test('compiled once per process', () => {
    validatePart2('PathList', []);
    validatePart2('Result', { messages: [] });
    expect(part2SchemaLoadCount()).toBe(1);
  });
});
