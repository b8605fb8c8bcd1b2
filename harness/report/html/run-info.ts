import type { Report } from '../../model/index.js';
import { formatDuration, plural } from './format.js';
import { fact } from './identity.js';
import { html, type Markup } from './markup.js';

const hash = (sha256: string): Markup => html`<code class="hash">${sha256}</code>`;

/** What was certified against and with what: the profile, the suite that ran (by hash), and the run itself. */
export function runInfoSection(report: Report): Markup {
  const { profile, suite, run } = report;
  return html`<section id="run" class="cards">
<div class="card"><h2>Profile</h2><table class="kv">
${fact('id', html`<code>${profile.id}</code>`)}
${fact('title', profile.title)}
${fact('version', profile.version)}
${fact('guideline', `${profile.guideline.name} ${profile.guideline.version}`)}
${fact('sha256', hash(profile.sha256))}
</table></div>
<div class="card"><h2>Suite</h2><table class="kv">
${fact('name', suite.name)}
${fact('version', suite.version)}
${fact('sha256', hash(suite.sha256))}
</table>
<details class="suite-files"><summary>${plural(suite.files.length, 'suite file')} with their hashes</summary>
<table class="files"><thead><tr><th>file</th><th>sha256</th></tr></thead><tbody>${suite.files.map((f) => html`<tr><td><code>${f.path}</code></td><td>${hash(f.sha256)}</td></tr>`)}</tbody></table>
</details></div>
<div class="card"><h2>Run</h2><table class="kv">
${fact('run id', html`<code>${run.id}</code>`)}
${fact('started', run.startedAt)}
${fact('ended', run.endedAt)}
${fact('duration', `${formatDuration(run.durationMs)} (reaching the target ${formatDuration(run.phases.preflightMs)}, checks ${formatDuration(run.phases.checksMs)})`)}
${fact('mode', run.mode === 'quick' ? html`<span class="mark mark-quick">quick</span>` : 'full')}
${fact('selection', run.only !== null && html`only <code>${run.only}</code>`)}
${fact('environment', `Node ${run.environment.node} on ${run.environment.platform} ${run.environment.arch}`)}
${run.waivers && fact('waivers', html`<code>${run.waivers.file}</code><br>sha256 ${hash(run.waivers.sha256)}<br>applied to ${run.waivers.applied.length > 0 ? run.waivers.applied.join(', ') : 'no requirement'}`)}
</table></div>
</section>`;
}

/** The timing parameters the run used; an overridden guideline parameter is what makes a run non-certifying. */
export function parametersSection(report: Report): Markup {
  const entries = Object.entries(report.run.parameters).sort(([a], [b]) => a.localeCompare(b));
  return html`<section id="parameters"><h2>Run parameters</h2>
${entries.length === 0 ? html`<p class="muted">The run used no parameters.</p>` : html`<table class="parameters"><thead><tr><th>parameter</th><th>value</th><th>kind</th><th>overridden</th></tr></thead><tbody>
${entries.map(([name, p]) => html`<tr class="${p.overridden ? 'overridden' : ''}"><td><code>${name}</code></td><td class="num">${p.value}</td><td>${p.kind}</td><td>${p.overridden ? html`<strong>yes</strong>${p.kind === 'guideline' && ' (the guideline value was changed)'}` : 'no'}</td></tr>`)}
</tbody></table>`}
</section>`;
}
