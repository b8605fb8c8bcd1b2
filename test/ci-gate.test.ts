import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../harness/model/index.js';
import { runCli, type CliResult } from './support/cli.js';

/**
 * The CI gate end to end, through the CLI as a pipeline calls it: waivers, JUnit, diff between two runs and the
 * history of a reports folder. The runs are quick; a fault of the reference application breaks one Config
 * requirement (OI4-CFG-003).
 */

const work = mkdtempSync(join(tmpdir(), 'oi4c-gate-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const BASE = ['run', '--profile', 'oi4-oec-application', '--target', 'embedded:oi4-app', '--mode', 'quick'];
const FAULT = ['--fault', 'config-set-uncorrelated'];

function cli(args: readonly string[]): Promise<CliResult> {
  return runCli(args, { cwd: work, timeoutMs: 90_000 });
}

function reportOf(dir: string): Report {
  return JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as Report;
}

function waivers(name: string, yaml: string): string {
  const file = join(work, name);
  writeFileSync(file, yaml);
  return file;
}

const valid = () => waivers('waivers.yaml', 'waivers:\n  - requirement: OI4-CFG-003\n    reason: "TICKET-42: CorrelationId fixed in firmware 2.4"\n    expires: 2099-12-31\n');

describe('the CI gate: waivers, junit, diff, history', () => {
  // the runs every case below reads: written into reports/ of the work folder, as a pipeline would
  let clean: CliResult;
  let faulty: CliResult;
  let waived: CliResult;
  let needless: CliResult;
  const dirOf = (result: CliResult) => /report: (\S+)/.exec(result.stderr + result.stdout)?.[1] ?? '';

  beforeAll(async () => {
    const file = valid();
    [clean, faulty, waived, needless] = await Promise.all([cli(BASE), cli([...BASE, ...FAULT]), cli([...BASE, ...FAULT, '--waivers', file]), cli([...BASE, '--waivers', file])]);
  }, 120_000);

  it('shows a waived FAIL as WAIVED everywhere, lets the gate pass, and says the run is no certification', () => {
    expect(faulty.code, faulty.stderr).toBe(1);
    expect(waived.code, waived.stderr).toBe(0);
    const report = reportOf(dirOf(waived));
    const row = report.requirements.find((r) => r.id === 'OI4-CFG-003')!;
    expect(row.outcome).toBe('WAIVED');
    expect(row.waiver).toEqual({ reason: 'TICKET-42: CorrelationId fixed in firmware 2.4', expires: '2099-12-31', waivedOutcome: 'FAIL' });
    // what the check saw stays in the report
    expect(row.reason).toMatch(/CorrelationId/);
    expect(report.counts.WAIVED).toBe(1);
    expect(report.verdict).toBe('CONFORMANT');
    expect(report.run.certifying).toBe(false);
    expect(report.run.notCertifyingBecause).toContain('FAIL waived: OI4-CFG-003');
    expect(report.run.waivers).toMatchObject({ file: 'waivers.yaml', applied: ['OI4-CFG-003'] });
    expect(waived.stdout).toMatch(/OI4-CFG-003\s+WAIVED\s+waived until 2099-12-31 \(TICKET-42/);
    const junit = readFileSync(join(dirOf(waived), 'junit.xml'), 'utf8');
    expect(junit).toMatch(/<skipped message="WAIVED: OI4-CFG-003 waived until 2099-12-31 \(TICKET-42/);
    expect(junit).not.toMatch(/<failure message="[^"]*" type="FAIL"/);
  });

  it('writes junit.xml for every run, failing the verdict case when the run is not conformant', () => {
    const junit = readFileSync(join(dirOf(faulty), 'junit.xml'), 'utf8');
    expect(junit).toMatch(/type="FAIL"/);
    expect(junit).toMatch(/<failure message="oi4-oec-application 1.0.0 on [^"]*: NOT_CONFORMANT" type="NOT_CONFORMANT"/);
  });

  it('refuses an expired waiver before anything starts (exit 2, one line)', async () => {
    const expired = waivers('expired.yaml', 'waivers:\n  - requirement: OI4-CFG-003\n    reason: old\n    expires: 2020-01-31\n');
    const result = await cli([...BASE, ...FAULT, '--waivers', expired]);
    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toBe('oi4-conformance: expired.yaml: waivers[0]: the waiver of OI4-CFG-003 expired on 2020-01-31; renew it with a new date and reason, or remove it');
    expect(result.stderr).not.toMatch(/starting/);
  });

  it('names a waiver that was not needed, so a stale one gets removed; the run stays a plain pass', () => {
    expect(needless.code, needless.stderr).toBe(0);
    const report = reportOf(dirOf(needless));
    expect(report.notes).toContain('waiver of OI4-CFG-003 was not needed: its outcome is PASS');
    expect(report.run.waivers?.applied).toEqual([]);
    expect(report.run.notCertifyingBecause?.some((r) => r.includes('waived'))).toBe(false);
    expect(reportOf(dirOf(waived)).notes.some((n) => n.includes('waiver'))).toBe(false);
  });

  it('diff lists the regression with its reason and exits 1; the other way round it is a fix, exit 0', async () => {
    const worse = await cli(['diff', dirOf(clean), dirOf(faulty)]);
    expect(worse.code, worse.stderr).toBe(1);
    expect(worse.stdout).toMatch(/^verdict: CONFORMANT -> NOT_CONFORMANT$/m);
    expect(worse.stdout).toMatch(/regressions \(1\):\n {2}OI4-CFG-003\s+PASS -> FAIL/);
    expect(worse.stdout).toMatch(/CorrelationId/);
    const better = await cli(['diff', join(dirOf(faulty), 'report.json'), dirOf(clean), '--json']);
    expect(better.code, better.stderr).toBe(0);
    const diff = JSON.parse(better.stdout) as { regressions: unknown[]; fixes: { id: string; before: string; after: string }[] };
    expect(diff.regressions).toEqual([]);
    expect(diff.fixes).toEqual([expect.objectContaining({ id: 'OI4-CFG-003', before: 'FAIL', after: 'PASS' })]);
    // a waiver is an accepted FAIL: removing the fault is a fix, adding it back undoes the waiver's need
    const unwaived = await cli(['diff', dirOf(waived), dirOf(faulty)]);
    expect(unwaived.stdout).toMatch(/OI4-CFG-003\s+WAIVED -> FAIL/);
  });

  it('diff refuses what is not a report (exit 2, one line)', async () => {
    const result = await cli(['diff', work, dirOf(clean)]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^oi4-conformance: .*report\.json: not found\n$/);
  });

  it('history lists every run of reports/ with its verdict, and keeps a deleted bundle listed as deleted', async () => {
    const listed = await cli(['history']);
    expect(listed.code, listed.stderr).toBe(0);
    const lines = listed.stdout.trim().split('\n');
    expect(lines).toHaveLength(4);
    expect(lines.filter((l) => / CONFORMANT /.test(l))).toHaveLength(3);
    expect(lines.filter((l) => / NOT_CONFORMANT /.test(l))).toHaveLength(1);
    for (const line of lines) expect(line).toMatch(/oi4-oec-application 1\.0\.0 .*\[quick, non-certifying\]/);
    expect(readFileSync(join(work, 'reports', 'index.jsonl'), 'utf8').trim().split('\n')).toHaveLength(4);

    rmSync(dirOf(faulty), { recursive: true });
    const json = await cli(['history', '--json']);
    const entries = (JSON.parse(json.stdout) as { entries: { verdict: string; present: boolean }[] }).entries;
    expect(entries.filter((e) => !e.present)).toEqual([expect.objectContaining({ verdict: 'NOT_CONFORMANT' })]);
    expect((await cli(['history', '--limit', '1'])).stdout.trim().split('\n')).toHaveLength(1);
    expect((await cli(['history', '--dir', join(work, 'nowhere')])).code).toBe(2);
  });
});
