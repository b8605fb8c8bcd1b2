import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { createRedactor, HarRecorder, MqttLog, OpcUaLog } from '../../../../harness/evidence/index.js';
import type { AasFileTarget, ResolvedTarget } from '../../../../harness/model/index.js';
import { aasFileFormatOf, aasFilePreflight } from '../../../../harness/protocols/aas/file-preflight.js';

const dir = mkdtempSync(join(tmpdir(), 'oi4c-preflight-'));
const redact = createRedactor([]);

function target(path: string): AasFileTarget {
  return { kind: 'aas-file', name: 't', origin: 'file', reference: path, parameters: {}, claims: [], actions: {}, faults: [], file: { path, shown: `shown/${path.split('/').pop()}` } };
}

function preflight(t: ResolvedTarget, parameters: Record<string, number> = {}) {
  return aasFilePreflight({ target: t, parameters, log: new MqttLog(redact), opcuaLog: new OpcUaLog(redact), har: new HarRecorder({ secrets: [] }) });
}

describe('aasFilePreflight', () => {
  test('identity: name, bytes, sha256, format', async () => {
    const path = join(dir, 'env.json');
    writeFileSync(path, '{}');
    const found = await preflight(target(path));
    expect(found.identities).toEqual([{ source: 'file shown/env.json', fields: { name: 'env.json', bytes: '2', sha256: createHash('sha256').update('{}').digest('hex'), format: 'json' } }]);
    expect(found.target.kind).toBe('aas-file');
  });

  test('one clear line for what cannot be checked', async () => {
    await expect(preflight(target(join(dir, 'missing.aasx')))).rejects.toThrow(/^shown\/missing\.aasx does not exist$/);
    await expect(preflight(target(dir))).rejects.toThrow(/is not a regular file/);
    const big = join(dir, 'big.xml');
    writeFileSync(big, 'x'.repeat(100));
    await expect(preflight(target(big), { maxFileBytes: 10 })).rejects.toThrow(/is 100 bytes; the limit is 10 \(maxFileBytes\)/);
    const other = join(dir, 'model.txt');
    writeFileSync(other, 'x');
    await expect(preflight(target(other))).rejects.toThrow(/expected a \.json, \.xml or \.aasx file/);
  });

  test('format by extension, case-insensitive', () => {
    expect(aasFileFormatOf('a/B.AASX')).toBe('aasx');
    expect(aasFileFormatOf('x.json')).toBe('json');
    expect(aasFileFormatOf('x.xml')).toBe('xml');
    expect(aasFileFormatOf('x.zip')).toBeUndefined();
  });
});
