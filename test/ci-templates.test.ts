import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ROOT } from './support/cli.js';

/**
 * The CI integrations: the GitHub composite action and the GitLab template are thin wrappers around ci/gate.sh.
 * The wrappers are checked for wiring (every variable the script reads is passed on, inputs never pasted into a
 * command line), and the script itself is run as a pipeline would run it.
 */

const GATE = join(ROOT, 'ci', 'gate.sh');
const work = mkdtempSync(join(tmpdir(), 'oi4c-ci-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** the OI4C_* variables the script documents and reads */
const scriptVariables = [...new Set(readFileSync(GATE, 'utf8').match(/OI4C_[A-Z_]+/g) ?? [])].filter((v) => !['OI4C_VERDICT', 'OI4C_EXIT_CODE', 'OI4C_REPORT_DIR'].includes(v));

interface Step {
  readonly id?: string;
  readonly uses?: string;
  readonly run?: string;
  readonly env?: Record<string, string>;
  readonly if?: string;
}

function gate(env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn('bash', [GATE], { cwd: work, env: { ...process.env, NO_COLOR: '1', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 90_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

describe('action.yml (GitHub composite action)', () => {
  const action = parse(readFileSync(join(ROOT, 'action.yml'), 'utf8')) as {
    inputs: Record<string, { required?: boolean; default?: string }>;
    outputs: Record<string, { value: string }>;
    runs: { using: string; steps: Step[] };
  };
  const gateStep = action.runs.steps.find((s) => s.id === 'gate')!;

  it('is a composite action whose gate step runs ci/gate.sh with every variable the script reads', () => {
    expect(action.runs.using).toBe('composite');
    expect(action.inputs['profile']?.required).toBe(true);
    expect(action.inputs['target']?.required).toBe(true);
    expect(gateStep.run).toContain('$GITHUB_ACTION_PATH/ci/gate.sh');
    const passed = Object.keys(gateStep.env ?? {});
    // the dotenv file is GitLab's; GitHub gets the same values through GITHUB_OUTPUT
    expect(scriptVariables.filter((v) => v !== 'OI4C_DOTENV').sort()).toEqual(passed.sort());
    for (const value of Object.values(gateStep.env ?? {})) expect(value).toMatch(/^\$\{\{ inputs\.[a-z-]+ \}\}$/);
  });

  it('never pastes an input into a command line, and uploads the bundle whatever the verdict', () => {
    for (const step of action.runs.steps) expect(step.run ?? '').not.toMatch(/\$\{\{\s*inputs\./);
    const upload = action.runs.steps.find((s) => s.uses?.startsWith('actions/upload-artifact'));
    expect(upload?.if).toMatch(/^always\(\)/);
    for (const output of ['verdict', 'exit-code', 'report-dir']) expect(action.outputs[output]?.value).toMatch(/steps\.gate\.outputs\.OI4C_/);
  });
});

describe('the GitLab template', () => {
  const template = parse(readFileSync(join(ROOT, 'ci', 'gitlab', 'oi4-conformance.gitlab-ci.yml'), 'utf8')) as Record<
    string,
    { variables: Record<string, string>; script: string[]; artifacts: { when: string; reports: { junit: string; dotenv: string } } }
  >;
  const job = template['.oi4-conformance']!;

  it('is a hidden job to extend, running ci/gate.sh with every variable the script reads', () => {
    expect(job.script.at(-1)).toContain('/ci/gate.sh');
    for (const variable of scriptVariables) expect(Object.keys(job.variables)).toContain(variable);
  });

  it('keeps the bundle, the JUnit report and the verdict as dotenv whatever the verdict', () => {
    expect(job.artifacts.when).toBe('always');
    expect(job.artifacts.reports.junit).toBe('$OI4C_OUT/junit.xml');
    expect(job.artifacts.reports.dotenv).toBe('$OI4C_DOTENV');
  });
});

describe('ci/gate.sh', () => {
  it('runs the profile, passes waivers, claims and parameters on, and reports the verdict as step outputs and dotenv', async () => {
    const outputs = join(work, 'github-output');
    writeFileSync(join(work, 'waivers.yaml'), 'waivers:\n  - requirement: OI4-CFG-003\n    reason: TICKET-1\n    expires: 2099-01-01\n');
    const result = await gate({
      OI4C_PROFILE: 'oi4-oec-application',
      OI4C_TARGET: 'embedded:oi4-app',
      OI4C_MODE: 'quick',
      OI4C_OUT: 'out/gate',
      OI4C_WAIVERS: 'waivers.yaml',
      OI4C_CLAIMS: 'config',
      OI4C_PARAMS: 'healthIntervalMs=2000, healthToleranceMs=1000',
      OI4C_DOTENV: 'gate.env',
      GITHUB_OUTPUT: outputs,
    });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/oi4-conformance gate: CONFORMANT \(exit 0\), report in out\/gate\n$/);
    const expected = 'OI4C_VERDICT=CONFORMANT\nOI4C_EXIT_CODE=0\nOI4C_REPORT_DIR=out/gate\n';
    expect(readFileSync(outputs, 'utf8')).toBe(expected);
    expect(readFileSync(join(work, 'gate.env'), 'utf8')).toBe(expected);
    const report = JSON.parse(readFileSync(join(work, 'out', 'gate', 'report.json'), 'utf8')) as {
      run: { waivers?: { file: string }; parameters: Record<string, { value: number }> };
      profile: { claimedGroups: string[] };
    };
    expect(report.run.waivers?.file).toBe('waivers.yaml');
    expect(report.run.parameters['healthIntervalMs']?.value).toBe(2000);
    expect(report.profile.claimedGroups).toContain('config');
  });

  it('passes a configuration error on as exit 2 with NO_REPORT, and refuses to start without a profile', async () => {
    const outputs = join(work, 'github-output-error');
    const typo = await gate({ OI4C_PROFILE: 'oi4-oec-aplication', OI4C_TARGET: 'embedded:oi4-app', OI4C_OUT: 'out/typo', GITHUB_OUTPUT: outputs });
    expect(typo.code).toBe(2);
    expect(typo.stderr).toMatch(/did you mean "oi4-oec-application"/);
    expect(readFileSync(outputs, 'utf8')).toBe('OI4C_VERDICT=NO_REPORT\nOI4C_EXIT_CODE=2\nOI4C_REPORT_DIR=out/typo\n');
    const none = await gate({ OI4C_PROFILE: '', OI4C_TARGET: 'embedded:oi4-app' });
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/set the profile and the target/);
  });
});
