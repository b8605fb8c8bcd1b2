import { describe, expect, it } from 'vitest';
import {
  ASSET_TYPES,
  DATA_SET_CLASS_IDS,
  FIRST_APPLICATION_DATA_SET_WRITER_ID,
  MANDATORY_RESOURCES,
  RESERVED_DATA_SET_WRITER_IDS,
  RESOURCES,
  TOPIC_LEVEL_RULES,
  isHealthState,
  isLevelCountAllowed,
  isMethod,
  isReservedDataSetWriterId,
  isResource,
  isServiceType,
} from '../../../harness/protocols/oi4/index.js';

describe('v1.1 constants (facts 2-3, 7.3)', () => {
  it('lists the mandatory resources per asset type', () => {
    expect(MANDATORY_RESOURCES.application).toEqual(['MAM', 'Health', 'License', 'LicenseText', 'PublicationList', 'Profile']);
    expect(MANDATORY_RESOURCES.device).toEqual(['MAM', 'Health', 'Profile', 'ReferenceDesignation']);
    for (const type of ASSET_TYPES) for (const r of MANDATORY_RESOURCES[type]) expect(RESOURCES).toContain(r);
  });

  it('has DataSetClassIds for every mandatory resource and none for Data, Metadata or the AAS placeholder', () => {
    for (const type of ASSET_TYPES) for (const r of MANDATORY_RESOURCES[type]) expect(DATA_SET_CLASS_IDS[r]).toBeDefined();
    expect(Object.keys(DATA_SET_CLASS_IDS)).not.toContain('Data');
    expect(Object.keys(DATA_SET_CLASS_IDS)).not.toContain('Metadata');
    expect(Object.keys(DATA_SET_CLASS_IDS)).not.toContain('AAS');
    expect(DATA_SET_CLASS_IDS.MAM).toBe('360ca8f3-5e66-42a2-8f10-9cdf45f4bf58');
  });

  it('reserves DataSetWriterIds below 10', () => {
    expect(RESERVED_DATA_SET_WRITER_IDS).toEqual({ PaginationRequest: 1, Pagination: 2, Locale: 3 });
    expect(FIRST_APPLICATION_DATA_SET_WRITER_ID).toBe(10);
    expect([0, 1, 2, 3, 9].map(isReservedDataSetWriterId)).toEqual([true, true, true, true, true]);
    expect([10, 65535, -1, 2.5].map(isReservedDataSetWriterId)).toEqual([false, false, false, false]);
  });

  it('narrows only exact v1.1 spellings', () => {
    expect(isServiceType('OTConnector')).toBe(true);
    expect(isServiceType('otconnector')).toBe(false);
    expect(isMethod('Get')).toBe(true);
    expect(isMethod('get')).toBe(false);
    expect(isResource('Metadata')).toBe(true);
    expect(isResource('MetaData')).toBe(false);
    expect(isResource('mam')).toBe(false);
    expect(isHealthState('NORMAL_0')).toBe(true);
    expect(isHealthState(0)).toBe(false);
  });

  it('uses only known methods and resources in the level table', () => {
    for (const rule of TOPIC_LEVEL_RULES) {
      for (const m of rule.methods) expect(isMethod(m)).toBe(true);
      for (const r of rule.resources) expect(isResource(r)).toBe(true);
    }
    expect(isLevelCountAllowed(8, 'Pub', 'Interfaces')).toBe(false);
    expect(isLevelCountAllowed(12, 'Pub', 'Interfaces')).toBe(true);
    expect(isLevelCountAllowed(8, 'Get', 'AAS')).toBe(true);
  });
});
