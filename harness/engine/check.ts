import { setMaxListeners } from 'node:events';
import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import * as allure from 'allure-js-commons';
import { inject, test } from 'vitest';
import { createRedactor, sha256Hex } from '../evidence/index.js';
import { secretsOf, worstOutcome, type CheckDeclaration, type CheckResult, type EvidenceFile } from '../model/index.js';
import { PROJECT_ROOT } from '../catalog/project.js';
import { createCheckContext, settleDecisions, type CheckContext } from './check-context.js';
import { RUN_CONTEXT_KEY, type RunContext } from './run-context.js';

const CHECK_ID = /^[a-z0-9]+(?:[.-][a-z0-9]+)*$/;

/**
 * Declares one check: the rule in plain words, the requirement ids it decides, and the body that
 * exercises the target. Outcomes come from the body's decisions, never from vitest's pass/fail.
 */
export function check(declaration: CheckDeclaration, body: (ctx: CheckContext) => Promise<void>): void {
  const run = inject(RUN_CONTEXT_KEY);
  if (!CHECK_ID.test(declaration.id)) throw new Error(`check id "${declaration.id}" must be dotted lowercase words`);
  if (declaration.requirements.length === 0) throw new Error(`check ${declaration.id} declares no requirement`);
  for (const id of declaration.requirements) {
    if (!run.levels[id]) throw new Error(`check ${declaration.id} declares ${id}, which is not in the catalog`);
  }
  const wanted = run.selected ?? run.profileRequirements;
  // a group the target does not claim is not exercised at all: its requirements show NA, not a FAIL nobody asked for
  const claimed = declaration.group === undefined || run.target.claims.includes(declaration.group);
  const selected = claimed && declaration.requirements.some((id) => wanted.includes(id));
  for (const name of declaration.waits ?? []) {
    if (run.parameters[name] === undefined) throw new Error(`check ${declaration.id} waits on parameter "${name}", which the profile does not define`);
  }
  const checkTimeoutMs = (run.parameters['checkTimeoutMs'] ?? 30_000) + (declaration.waits ?? []).reduce((sum, name) => sum + run.parameters[name]!, 0);
  const decl: CheckDeclaration = { ...declaration, requirements: [...declaration.requirements] };
  if (run.mode === 'quick' && decl.slow) {
    // still reported, so the report shows what a full run would add
    test(declaration.title, { meta: { oi4check: decl } }, async ({ task }) => {
      await describeForAllure(decl, run, relative(PROJECT_ROOT, task.file.filepath));
      const message = 'quick mode: this check waits on the clock or drives the target; run with --mode full to decide it';
      task.meta.oi4result = {
        ...decl,
        suite: relative(PROJECT_ROOT, task.file.filepath),
        outcome: 'NOT_EXECUTED',
        message,
        decisions: decl.requirements.map((requirement) => ({ requirement, outcome: 'NOT_EXECUTED' as const, message, deferred: true })),
        durationMs: 0,
        evidence: [],
      };
      await attachForAllure(task.meta.oi4result, run.outDir);
    });
    return;
  }
  if (!selected) {
    test.skip(declaration.title, { meta: { oi4check: decl, oi4deselected: true } }, () => {});
    return;
  }
  // vitest's own timeout is a backstop only; the check's deadline below keeps its evidence when it fires
  test(declaration.title, { meta: { oi4check: decl }, timeout: checkTimeoutMs + 10_000 }, async ({ task }) => {
    // first, so even a check that never ends (vitest's backstop) is labelled in the Allure view
    await describeForAllure(decl, run, relative(PROJECT_ROOT, task.file.filepath));
    const started = performance.now();
    const redact = createRedactor(secretsOf(run.target));
    const deadline = new AbortController();
    // a check may wait on many answers at once, each wait listening for the deadline
    setMaxListeners(256, deadline.signal);
    const { context, book } = createCheckContext({
      checkId: decl.id,
      requirements: decl.requirements,
      run,
      signal: deadline.signal,
      redact,
    });
    let ending: unknown;
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        body(context),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => {
            const error = new Error(`did not finish within its time limit (${checkTimeoutMs} ms: checkTimeoutMs${decl.waits?.length ? ` + ${decl.waits.join(' + ')}` : ''})`);
            deadline.abort(error);
            reject(error);
          }, checkTimeoutMs);
        }),
      ]);
    } catch (error) {
      ending = error ?? new Error('unknown error');
    } finally {
      clearTimeout(timer);
      if (!deadline.signal.aborted) deadline.abort(new Error('check ended'));
    }
    const decisions = settleDecisions(book, decl.id, ending, redact);
    const evidence = writeEvidence(run.outDir, decl.id, context);
    const outcome = worstOutcome(decisions.map((d) => d.outcome)) ?? 'ERROR';
    const result: CheckResult = {
      ...decl,
      suite: relative(PROJECT_ROOT, task.file.filepath),
      outcome,
      message: decisions.find((d) => d.outcome === outcome)?.message ?? '',
      decisions,
      durationMs: Math.round(performance.now() - started),
      evidence,
    };
    task.meta.oi4result = result;
    await attachForAllure(result, run.outDir);
  });
}

const SEVERITY = { MUST: 'critical', SHOULD: 'normal', MAY: 'minor' } as const;

/**
 * The Allure view of a check (allure-vitest): what it decides, for which profile and target, grouped profile ->
 * suite file -> check. Its status and the requirement sources are filled in from the report afterwards
 * (report/allure.ts), because our outcomes, not vitest's pass/fail, are the result.
 */
function describeForAllure(decl: CheckDeclaration, run: RunContext, suite: string): PromiseLike<void> {
  const levels = decl.requirements.map((id) => run.levels[id]);
  // a check deciding a MUST and a MAY matters as much as the MUST
  const severity = levels.includes('MUST') ? SEVERITY.MUST : levels.includes('SHOULD') ? SEVERITY.SHOULD : SEVERITY.MAY;
  return allure.labels(
    { name: 'check', value: decl.id },
    ...decl.requirements.map((id) => ({ name: 'requirement', value: id })),
    { name: 'profile', value: run.profileId },
    { name: 'target', value: run.target.name },
    { name: 'severity', value: severity },
    ...(decl.group ? [{ name: 'group', value: decl.group }] : []),
    { name: 'parentSuite', value: run.profileId },
    { name: 'suite', value: suite },
    // the behaviours view: profile -> guideline area (the suite file) -> requirement
    { name: 'epic', value: run.profileId },
    { name: 'feature', value: basename(suite).replace(/\.suite\.ts$/, '') },
    ...decl.requirements.map((id) => ({ name: 'story', value: id })),
  );
}

/** The check's evidence files and message, as Allure attachments (the files are copied when the run ends). */
async function attachForAllure(result: CheckResult, outDir: string): Promise<void> {
  for (const evidence of result.evidence) {
    // JSON Lines and HAR are text: shown inline by Allure rather than offered as a download
    const contentType = evidence.file.endsWith('.har') ? 'application/json' : 'text/plain';
    await allure.attachmentPath(basename(evidence.file), join(outDir, evidence.file), { contentType });
  }
  if (result.message) await allure.attachment('message', result.message, 'text/plain');
}

function writeEvidence(outDir: string, checkId: string, ctx: CheckContext): EvidenceFile[] {
  const logs = [
    { log: ctx.mqttLog, file: `evidence/${checkId}.jsonl`, text: () => ctx.mqttLog.toJsonLines() },
    { log: ctx.opcuaLog, file: `evidence/${checkId}.opcua.jsonl`, text: () => ctx.opcuaLog.toJsonLines() },
    { log: ctx.httpLog, file: `evidence/${checkId}.har`, text: () => ctx.httpLog.toHar() },
  ];
  const files: EvidenceFile[] = [];
  for (const { log, file, text: render } of logs) {
    if (log.total === 0) continue;
    mkdirSync(join(outDir, 'evidence'), { recursive: true });
    const text = render();
    writeFileSync(join(outDir, file), text);
    files.push({ file, sha256: sha256Hex(text), records: log.records.length, dropped: log.dropped });
  }
  return files;
}
