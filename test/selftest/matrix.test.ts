/**
 * The self-test matrix (DESIGN.md section 8): the profile against the clean reference device must be
 * CONFORMANT with nothing failing, and every fault of the device must turn exactly its declared
 * requirements to FAIL (MUST) or WARN (SHOULD) and fail nothing else. This is how every check proves it can fail.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { loadLibrary } from '../../harness/catalog/index.js';
import { sha256Hex } from '../../harness/evidence/index.js';
import { validateReport } from '../../harness/report/index.js';
import { ROOT, readReport, runCli, tempDir } from '../support/cli.js';

const PROFILE = 'oi4-oec-application';
// The reference device answers within milliseconds; a shorter wait keeps faults that never answer quick.
const FAST = ['--param', 'responseTimeoutMs=1000', '--param', 'silenceWindowMs=300'];

interface ListedFault {
  name: string;
  description: string;
  breaks: string[];
}

// the fault list exactly as a lab would get it: from the CLI
const faults = JSON.parse(
  execFileSync(process.execPath, [join(ROOT, 'bin', 'oi4-conformance.mjs'), 'reference', 'oi4-app', '--list-faults', '--json'], { cwd: ROOT, encoding: 'utf8' }),
) as ListedFault[];
const library = loadLibrary();
const profile = library.profiles.find((p) => p.id === PROFILE)!;
const levelOf = (id: string) => library.catalog.get(id)!.level;

describe('clean reference device', () => {
  let dir: string;
  let result: Awaited<ReturnType<typeof runCli>>;
  beforeAll(async () => {
    dir = tempDir('clean');
    result = await runCli(['run', '--profile', PROFILE, '--target', 'embedded:oi4-app', '--out', dir]);
  });

  test('is CONFORMANT with no FAIL, exit code 0', () => {
    expect(result.killed).toBe(false);
    expect(result.code, result.stderr).toBe(0);
    const report = readReport(dir);
    expect(report.verdict).toBe('CONFORMANT');
    expect(report.requirements.filter((r) => r.outcome !== 'PASS' && r.outcome !== 'NA')).toEqual([]);
    expect(report.errors).toEqual([]);
    expect(report.run.certifying).toBe(true);
    expect(result.stdout).toMatch(/verdict: CONFORMANT/);
  });

  test('writes a report bundle: schema-valid report.json, junit.xml, evidence and a manifest over every file', () => {
    const report = readReport(dir);
    const checked = validateReport(report);
    expect(checked.ok ? [] : checked.problems).toEqual([]);
    expect(report.target.identity?.fields['ProductCode']).toBe('REF-APP#1');
    const junit = readFileSync(join(dir, 'junit.xml'), 'utf8');
    expect(junit).toMatch(/<testsuites name="oi4-conformance oi4-oec-application"/);
    expect(junit.match(/<testcase /g)?.length).toBe(report.checks.length + 1);
    for (const check of report.checks) for (const e of check.evidence) expect(existsSync(join(dir, e.file)), e.file).toBe(true);
    const manifest = readFileSync(join(dir, 'manifest.sha256'), 'utf8').trim().split('\n');
    expect(manifest.map((l) => l.slice(66))).toEqual(expect.arrayContaining(['report.json', 'junit.xml', 'evidence/preflight.jsonl']));
    for (const line of manifest) {
      const [hash, file] = [line.slice(0, 64), line.slice(66)];
      expect(sha256Hex(readFileSync(join(dir, file))), file).toBe(hash);
    }
  });

  test('every testable requirement of the profile is decided by at least one check', () => {
    const report = readReport(dir);
    const undecided = report.requirements.filter((r) => library.catalog.get(r.id)!.testable && r.checks.length === 0).map((r) => r.id);
    expect(undecided).toEqual([]);
  });

  test('every requirement a check decides is broken by some fault (a check that cannot fail is a defect)', () => {
    const broken = new Set(faults.flatMap((f) => f.breaks));
    const decided = readReport(dir).requirements.filter((r) => r.checks.length > 0).map((r) => r.id);
    expect(decided.filter((id) => !broken.has(id))).toEqual([]);
  });
});

describe('faults of the reference device', () => {
  test('the fault catalog names only requirements of the profile, and there are at least 25 faults', () => {
    expect(faults.length).toBeGreaterThanOrEqual(25);
    for (const fault of faults) {
      expect(fault.breaks.length, fault.name).toBeGreaterThan(0);
      for (const id of fault.breaks) expect(profile.requirements, `${fault.name} breaks ${id}`).toContain(id);
    }
  });

  test.concurrent.each(faults.map((f) => [f.name, f] as const))('%s turns exactly its declared requirements', async (_, fault) => {
    const dir = tempDir(fault.name);
    const result = await runCli(['run', '--profile', PROFILE, '--target', 'embedded:oi4-app', '--fault', fault.name, '--out', dir, ...FAST], { timeoutMs: 150_000 });
    expect(result.killed, `${fault.name} hung`).toBe(false);
    const report = readReport(dir);
    const outcomes = Object.fromEntries(report.requirements.map((r) => [r.id, r.outcome]));
    const expected = Object.fromEntries(fault.breaks.map((id) => [id, levelOf(id) === 'MUST' ? 'FAIL' : 'WARN']));
    expect(Object.fromEntries(fault.breaks.map((id) => [id, outcomes[id]])), JSON.stringify(report.requirements.filter((r) => fault.breaks.includes(r.id)).map((r) => r.reason))).toEqual(expected);
    const otherFailures = report.requirements.filter((r) => r.outcome === 'FAIL' && !fault.breaks.includes(r.id)).map((r) => `${r.id}: ${r.reason}`);
    expect(otherFailures).toEqual([]);
    const breaksMust = fault.breaks.some((id) => levelOf(id) === 'MUST');
    expect(report.verdict).toBe(breaksMust ? 'NOT_CONFORMANT' : 'CONFORMANT');
    expect(result.code).toBe(breaksMust ? 1 : 0);
    expect(report.run.certifying).toBe(false);
    const checked = validateReport(report);
    expect(checked.ok ? [] : checked.problems).toEqual([]);
  });
});
