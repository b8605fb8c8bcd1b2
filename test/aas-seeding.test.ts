/**
 * Test data (issue 4): under a full profile the suite seeds the pre-load set through the API and removes it
 * again; under a read profile it cannot, and says exactly which identifiers it expected. Run against the
 * reference server started empty, through a target file, as a vendor's server would be.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { aasServerEmpty } from '../fixtures/devices/aas-server/index.js';
import type { RunningAasDevice } from '../harness/model/index.js';
import { readReport, runCli, tempDir } from './support/cli.js';

let server: RunningAasDevice;
let targetFile: string;

beforeAll(async () => {
  server = await aasServerEmpty.start({ faults: [] });
  targetFile = join(tempDir('aas-seeding-target'), 'empty-server.yaml');
  writeFileSync(targetFile, `name: empty-aas-server\nkind: aas\naas:\n  baseUrl: ${server.access.baseUrl}\n`);
});
afterAll(() => server?.stop());

/** Every list the server has, read whole: what the runs left behind. */
async function leftBehind(): Promise<Record<string, number>> {
  const shared = Buffer.from(JSON.stringify({ name: 'manufacturerName', value: 'OI4 Conformance Lab' })).toString('base64url');
  const counts: Record<string, number> = {};
  for (const path of ['/shells', '/submodels', '/shell-descriptors', '/submodel-descriptors', `/lookup/shells?assetIds=${shared}`]) {
    const answer = await fetch(`${server.access.baseUrl}${path}`);
    const body = (await answer.json()) as { result: unknown[] };
    counts[path.split('?')[0]!] = body.result.length;
  }
  return counts;
}

describe('a full profile against an empty server', () => {
  test.each(['submodel-repository-full-3-0', 'aas-registry-full-3-1', 'submodel-registry-full-3-0', 'discovery-full-3-0'])('%s seeds what its checks need, is CONFORMANT, and leaves the server empty', async (profile) => {
    const out = tempDir(`aas-seeding-${profile}`);
    const result = await runCli(['run', '--profile', profile, '--target', targetFile, '--out', out], { timeoutMs: 120_000 });
    const report = readReport(out);
    expect(report.requirements.filter((r) => r.outcome !== 'PASS' && r.outcome !== 'NA').map((r) => `${r.id} ${r.outcome}: ${r.reason}`)).toEqual([]);
    expect(result.code).toBe(0);
    // the seeding is visible in the evidence: the pre-load set was POSTed
    const walk = report.checks.find((c) => c.id === 'aas.pagination.walk')!;
    expect(walk.evidence.map((e) => e.file)).toEqual(['evidence/aas.pagination.walk.har']);
    expect(await leftBehind()).toEqual({ '/shells': 0, '/submodels': 0, '/shell-descriptors': 0, '/submodel-descriptors': 0, '/lookup/shells': 0 });
  }, 150_000);
});

test('a read profile against an empty server cannot seed: NOT_EXECUTED naming the identifiers it expected, INCOMPLETE', async () => {
  const out = tempDir('aas-seeding-read');
  const result = await runCli(['run', '--profile', 'submodel-repository-read-3-1', '--target', targetFile, '--out', out], { timeoutMs: 120_000 });
  const report = readReport(out);
  expect(report.verdict).toBe('INCOMPLETE');
  expect(result.code).toBe(3);
  const walk = report.requirements.find((r) => r.id === 'AAS-PAG-002')!;
  expect(walk.outcome).toBe('NOT_EXECUTED');
  expect(walk.reason).toMatch(/the server holds no submodel "https:\/\/example\.com\/ids\/sm\/oi4c-technical-data-001".*fixtures\/samples\/aas\/environment\.json/);
  // rules that need no data are still decided
  expect(report.requirements.find((r) => r.id === 'AAS-PAG-004')!.outcome).toBe('PASS');
  expect(report.requirements.filter((r) => r.outcome === 'FAIL')).toEqual([]);
  expect(await leftBehind()).toEqual({ '/shells': 0, '/submodels': 0, '/shell-descriptors': 0, '/submodel-descriptors': 0, '/lookup/shells': 0 });
}, 150_000);
