import { createRequire } from 'node:module';
import { join } from 'node:path';
import { createVitest, type TestSequencer, type TestSpecification } from 'vitest/node';
import { PROJECT_ROOT } from '../catalog/project.js';
import { ALLURE_RESULTS } from '../report/allure.js';
import type { CheckResult } from '../model/index.js';
import { planKey, readPlannedTotal, writePlannedTotal } from './plan-cache.js';
import { OutcomeCollector, type ProgressListener } from './reporter.js';
import { RUN_CONTEXT_KEY, type RunContext } from './run-context.js';

export interface CheckRun {
  readonly results: readonly CheckResult[];
  /** run-level problems: suite files that failed to load, crashes */
  readonly errors: readonly string[];
}

/**
 * Runs the suite files of a profile against one target on vitest. One target is shared state, so
 * everything runs serially in one worker; isolation is off so schemas compile once per run.
 */
export async function runChecks(options: {
  suites: readonly string[];
  context: RunContext;
  progress?: ProgressListener;
  /** aborting (Ctrl-C) cancels the remaining checks; what ran so far is kept */
  signal?: AbortSignal;
}): Promise<CheckRun> {
  const collector = new OutcomeCollector(options.progress);
  const checkTimeoutMs = options.context.parameters['checkTimeoutMs'] ?? 30_000;
  // loaded here, not at the top: only a run needs it, and every other command of the CLI starts faster without it
  const { createAllureReporter } = await import('../report/allure-reporter.js');
  const vitest = await createVitest(
    'test',
    {
      config: false,
      root: PROJECT_ROOT,
      include: [...options.suites],
      watch: false,
      // allure-vitest writes the Allure view of the run (labels and evidence the checks give it) into the bundle;
      // its statuses are vitest's, so report/allure.ts later replaces them with the outcomes of the report
      reporters: [collector, createAllureReporter(join(options.context.outDir, ALLURE_RESULTS))],
      // the same absolute path the reporter would add by itself, so it is not added twice
      setupFiles: [allureSetupFile()],
      pool: 'forks',
      maxWorkers: 1,
      fileParallelism: false,
      isolate: false,
      sequence: { concurrent: false, shuffle: false, sequencer: inProfileOrder(options.suites) },
      // a backstop only: every check enforces its own limit (see check.ts), which may be longer
      testTimeout: 0,
      hookTimeout: checkTimeoutMs,
      passWithNoTests: true,
      retry: 0,
      bail: 0,
      silent: true,
      cache: false,
      // transformed suite and harness modules are kept on disk between runs (written atomically, keyed by
      // content), which saves about a second of every run's start-up
      experimental: { fsModuleCache: true, fsModuleCachePath: 'node_modules/.cache/oi4-conformance/modules' },
    },
    { logLevel: 'silent', clearScreen: false, server: { watch: null } },
  );
  try {
    vitest.provide(RUN_CONTEXT_KEY, options.context);
    // plan first: collecting tells how many checks will run, so progress can say how many remain
    const key = planKey({ suites: options.suites, selected: options.context.selected, profileRequirements: options.context.profileRequirements });
    const known = readPlannedTotal(key);
    if (known !== undefined) collector.expect(known);
    else {
      const plan = await vitest.collect();
      // a plan with collection errors is not remembered: the run will report them
      if (collector.plan(plan.testModules) && plan.unhandledErrors.length === 0) writePlannedTotal(key, collector.total);
    }
    const cancel = () => void vitest.cancelCurrentRun('keyboard-input');
    options.signal?.addEventListener('abort', cancel, { once: true });
    try {
      if (!options.signal?.aborted) await vitest.start();
    } finally {
      options.signal?.removeEventListener('abort', cancel);
    }
  } finally {
    await vitest.close();
  }
  return { results: collector.results, errors: collector.errors };
}

function allureSetupFile(): string {
  return createRequire(join(PROJECT_ROOT, 'package.json')).resolve('allure-vitest/setup');
}

/**
 * Suite files in the order the profile lists them (checks that restart or stop the target go last), so
 * two runs of one profile exercise the target in the same order.
 */
function inProfileOrder(suites: readonly string[]): new () => TestSequencer {
  const rank = (file: TestSpecification) => {
    const index = suites.findIndex((suite) => file.moduleId.endsWith(`/${suite}`));
    return index < 0 ? suites.length : index;
  };
  return class InProfileOrder implements TestSequencer {
    shard(files: TestSpecification[]): TestSpecification[] {
      return files;
    }
    sort(files: TestSpecification[]): TestSpecification[] {
      return [...files].sort((a, b) => rank(a) - rank(b) || a.moduleId.localeCompare(b.moduleId));
    }
  };
}
