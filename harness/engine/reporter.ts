import { relative } from 'node:path';
import type { Reporter, TestCase, TestModule, TestRunEndReason } from 'vitest/node';
import type { SerializedError } from 'vitest';
import type { CheckResult } from '../model/index.js';
import { PROJECT_ROOT } from '../catalog/project.js';

export interface ProgressListener {
  checkStarted?(info: { index: number; total: number; id: string; title: string }): void;
  checkEnded?(result: CheckResult, info: { index: number; total: number }): void;
}

/**
 * Collects one CheckResult per check that ran. It reads only what the check wrote into its meta; vitest's
 * own pass/fail decides nothing. A test without a result (a crash, vitest's backstop timeout) becomes ERROR.
 */
export class OutcomeCollector implements Reporter {
  readonly results: CheckResult[] = [];
  readonly errors: string[] = [];
  #total = 0;
  #started = 0;

  constructor(private readonly progress: ProgressListener = {}) {}

  /** the modules of the planning pass: counts the checks that will run; false when a module failed to load */
  plan(modules: ReadonlyArray<TestModule>): boolean {
    this.#total = 0;
    for (const module of modules) {
      for (const test of module.children.allTests()) {
        const meta = test.meta();
        if (meta.oi4check && !meta.oi4deselected) this.#total++;
      }
    }
    return modules.every((m) => m.errors().length === 0);
  }

  /** the number of checks a remembered plan says will run */
  expect(total: number): void {
    this.#total = total;
  }

  get total(): number {
    return this.#total;
  }

  onTestCaseReady(test: TestCase): void {
    const meta = test.meta();
    if (!meta.oi4check || meta.oi4deselected) return;
    this.#started++;
    this.progress.checkStarted?.({ index: this.#started, total: Math.max(this.#total, this.#started), id: meta.oi4check.id, title: meta.oi4check.title });
  }

  onTestCaseResult(test: TestCase): void {
    const meta = test.meta();
    if (!meta.oi4check || meta.oi4deselected) return;
    const result = meta.oi4result ?? this.#lostResult(test);
    if (this.results.some((r) => r.id === result.id)) this.errors.push(`check id ${result.id} is declared twice (suite defect)`);
    this.results.push(result);
    this.progress.checkEnded?.(result, { index: this.#started, total: Math.max(this.#total, this.#started) });
  }

  onTestRunEnd(modules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<SerializedError>, reason: TestRunEndReason): void {
    for (const module of modules) {
      for (const error of module.errors()) this.errors.push(`${relative(PROJECT_ROOT, module.moduleId)}: ${firstLine(error.message)}`);
    }
    for (const error of unhandledErrors) this.errors.push(`unhandled error in a check: ${firstLine(error.message)}`);
    if (reason === 'interrupted') this.errors.push('the run was interrupted');
  }

  #lostResult(test: TestCase): CheckResult {
    const declaration = test.meta().oi4check!;
    const errors = test.result().errors ?? [];
    const message = `check ended without a result: ${errors.map((e) => firstLine(e.message)).join('; ') || test.result().state}`;
    return {
      ...declaration,
      suite: relative(PROJECT_ROOT, test.module.moduleId),
      outcome: 'ERROR',
      message,
      decisions: declaration.requirements.map((requirement) => ({ requirement, outcome: 'ERROR' as const, message })),
      durationMs: Math.round(test.diagnostic()?.duration ?? 0),
      evidence: [],
    };
  }
}

function firstLine(text: string | undefined): string {
  return (text ?? '').split('\n')[0] ?? '';
}
