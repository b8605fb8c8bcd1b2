/** The AAS profiles from the command line: chosen by id or IRI, their evidence as HAR, and mistakes said in one line. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { readReport, runCli, tempDir } from './support/cli.js';

const IRI = 'https://admin-shell.io/aas/API/3/1/DiscoveryServiceSpecification/SSP-002';

test('run --profile takes a profile IRI; every check leaves its exchanges as HAR, shown in report.html', async () => {
  const out = tempDir('aas-cli-iri');
  const result = await runCli(['run', '--profile', IRI, '--target', 'embedded:aas-server', '--out', out]);
  expect(result.code, result.stderr).toBe(0);
  const report = readReport(out);
  expect(report.profile.id).toBe('discovery-read-3-1');
  expect(report.target.kind).toBe('aas');
  expect(report.target.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/reference\/api\/v3$/);
  for (const check of report.checks) {
    expect(check.evidence.map((e) => e.file), check.id).toEqual([`evidence/${check.id}.har`]);
    const har = JSON.parse(readFileSync(join(out, check.evidence[0]!.file), 'utf8')) as { log: { entries: { request: { url: string } }[] } };
    expect(har.log.entries.length, check.id).toBeGreaterThan(0);
    expect(har.log.entries.every((e) => e.request.url.includes('/reference/api/v3/')), check.id).toBe(true);
  }
  expect(existsSync(join(out, 'evidence', 'preflight.har'))).toBe(true);
  const html = readFileSync(join(out, 'report.html'), 'utf8');
  expect(html).toContain('/lookup/shellsByAssetLink');
  expect(html).toContain('AAS GET /description of http://127.0.0.1');
}, 120_000);

test('profiles lists the IRIs; a wrong IRI, a wrong kind of target and a misspelt fault are one line each (exit 2)', async () => {
  const listed = await runCli(['profiles', '--json']);
  const profiles = JSON.parse(listed.stdout) as { id: string; iri?: string }[];
  expect(profiles.find((p) => p.id === 'discovery-read-3-1')?.iri).toBe(IRI);
  expect(profiles.filter((p) => p.iri?.startsWith('https://admin-shell.io/aas/API/3/')).length).toBe(19);

  const cases = [
    { args: ['run', '--profile', IRI.replace('SSP-002', 'SSP-009'), '--target', 'embedded:aas-server'], says: /unknown profile "https:\/\/admin-shell\.io\/.*SSP-009"/ },
    { args: ['run', '--profile', 'aas-repository-read-3-0', '--target', 'embedded:oi4-app'], says: /profile aas-repository-read-3-0 tests aas targets; embedded:oi4-app is a oi4-mqtt target/ },
    { args: ['run', '--profile', 'oi4-oec-application', '--target', 'embedded:aas-server'], says: /tests oi4-mqtt targets; embedded:aas-server is a aas target/ },
    { args: ['run', '--profile', 'aas-repository-read-3-0', '--target', 'embedded:aas-server', '--fault', 'page-overlapp'], says: /unknown fault "page-overlapp" for aas-server \(did you mean "page-overlap"\?\)/ },
  ];
  for (const { args, says } of cases) {
    const result = await runCli(args);
    expect(result.code, args.join(' ')).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(says);
  }
}, 60_000);

test('reference aas-server --list-faults names each fault\'s requirements and the profiles it shows in', async () => {
  const result = await runCli(['reference', 'aas-server', '--list-faults', '--json']);
  const faults = JSON.parse(result.stdout) as { name: string; breaks: string[]; profiles?: string[] }[];
  expect(faults.length).toBeGreaterThanOrEqual(40);
  for (const fault of faults) expect(fault.profiles?.length, fault.name).toBeGreaterThan(0);
});
