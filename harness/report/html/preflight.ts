import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { readEvidence, type InlineLimits } from './evidence-read.js';
import { renderEvidence, type InlineBudget } from './evidence-view.js';
import { html, type Markup } from './markup.js';

const PREFLIGHT_FILES = ['evidence/preflight.jsonl', 'evidence/preflight.opcua.jsonl', 'evidence/preflight.har'] as const;

/**
 * What was exchanged while reaching the target, before any check: no check owns it, so report.json does not
 * list it. It is collapsed (rarely needed once the run got going) but decisive when the run failed right there.
 */
export function preflightSection(dir: string, report: { readonly errors: readonly string[] }, limits: InlineLimits, budget: InlineBudget): Markup {
  // the run writes a preflight file only when there was traffic: a missing one is no problem to report
  const present = PREFLIGHT_FILES.filter((file) => existsSync(join(dir, file)));
  const open = report.errors.length > 0;
  return html`<section id="preflight"><details class="preflight"${open && html` open`}>
<summary><h2>Preflight evidence <span class="muted">(reaching the target and reading its identity)</span></h2></summary>
${present.length === 0 ? html`<p class="muted">No preflight traffic was recorded.</p>` : present.map((file) => renderEvidence(readEvidence(dir, file, limits), undefined, limits, budget))}
</details></section>`;
}
