import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import AllureVitestReporter from 'allure-vitest/reporter';
import type { Writer } from 'allure-js-commons/sdk/reporter';
import type { Reporter, Vitest } from 'vitest/node';

/**
 * The engine's Allure reporter: allure-vitest's, writing into a bundle's allure-results. It runs in the main
 * process beside the OutcomeCollector; the engine loads this module only when a run starts.
 */
export function createAllureReporter(resultsDir: string): Reporter {
  return new BundleAllureReporter(resultsDir);
}

class BundleAllureReporter extends AllureVitestReporter {
  readonly #resultsDir: string;

  constructor(resultsDir: string) {
    super({ resultsDir });
    this.#resultsDir = resultsDir;
  }

  override onInit(vitest: Vitest): void {
    super.onInit(vitest);
    // allure-vitest 3.12 (pinned) keeps its runtime in this field; should a later version not, its own writer stays
    const runtime = (this as unknown as { allureReporterRuntime?: { writer?: Writer } }).allureReporterRuntime;
    if (runtime?.writer) runtime.writer = new PlainAllureWriter(this.#resultsDir);
  }
}

/**
 * Writes allure-results without allure-js-commons' fsync of every file (about a hundred a run: each result and
 * each evidence copy, 100 to 400 ms in all). A bundle is complete only when its manifest is written after the
 * run, so a file a crash kept from the disk shows there; syncing each one made every run slower for nothing.
 */
class PlainAllureWriter implements Writer {
  #made = false;

  constructor(private readonly resultsDir: string) {}

  #path(name: string): string {
    if (!this.#made) mkdirSync(this.resultsDir, { recursive: true });
    this.#made = true;
    return join(this.resultsDir, name);
  }

  writeResult(result: Parameters<Writer['writeResult']>[0]): void {
    writeFileSync(this.#path(`${result.uuid}-result.json`), JSON.stringify(result));
  }

  writeGroup(group: Parameters<Writer['writeGroup']>[0]): void {
    writeFileSync(this.#path(`${group.uuid}-container.json`), JSON.stringify(group));
  }

  writeAttachment(name: string, content: Buffer): void {
    writeFileSync(this.#path(name), content);
  }

  writeAttachmentFromPath(name: string, from: string): void {
    copyFileSync(from, this.#path(name));
  }

  writeGlobals(name: string, globals: Parameters<Writer['writeGlobals']>[1]): void {
    writeFileSync(this.#path(name), JSON.stringify(globals));
  }

  // the run-level files are written from the report afterwards (allure-run-files.ts); the reporter is given none
  writeEnvironmentInfo(): void {}

  writeCategoriesDefinitions(): void {}
}
