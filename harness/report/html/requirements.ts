import type { Report, RequirementStatus } from '../../model/index.js';
import { NEEDS_DETAIL, outcomeClass, rankOf } from './format.js';
import { anchor, html, type Markup } from './markup.js';

type Check = Report['checks'][number];

/** Failures first (FAIL, ERROR, NOT_EXECUTED, WAIVED, WARN, PASS, NA), then by id: the order of the console summary. */
export function sortRequirements(requirements: readonly RequirementStatus[]): RequirementStatus[] {
  return [...requirements].sort((a, b) => rankOf(a.outcome) - rankOf(b.outcome) || a.id.localeCompare(b.id));
}

/** The anchor of a requirement's detail section; index is its position in the sorted list, so ids never collide. */
export const detailAnchor = (id: string, index: number): string => anchor('detail', id, index);

function breakable(outcome: string): Markup {
  return html`${outcome.split('_').map((word, i) => html`${i > 0 && html`_<wbr>`}${word}`)}`;
}

export function badge(outcome: string): Markup {
  // a break opportunity after each underscore lets NOT_EXECUTED wrap in a narrow printed column; the text is unchanged
  return html`<span class="badge ${outcomeClass(outcome)}">${breakable(outcome)}</span>`;
}

function scope(r: RequirementStatus): Markup {
  if (r.group === undefined) return r.mandatory ? html`mandatory` : html`optional`;
  return r.mandatory ? html`group <strong>${r.group}</strong> <span class="muted">(claimed)</span>` : html`group ${r.group} <span class="muted">(not claimed)</span>`;
}

/** What the row says about the outcome; a waived FAIL shows the waiver and, beside it, the finding it accepts. */
export function reasonOf(r: RequirementStatus): Markup {
  if (r.waiver) {
    return html`<div class="waiver"><strong>Waived until ${r.waiver.expires}:</strong> ${r.waiver.reason}</div><div class="finding"><strong>Finding (${r.waiver.waivedOutcome}):</strong> ${r.reason || 'no message'}</div>`;
  }
  return html`${r.reason}`;
}

function checksCell(r: RequirementStatus, checks: ReadonlyMap<string, Check>): Markup {
  if (r.checks.length === 0) return html`<span class="muted">none</span>`;
  return html`<ul class="check-list">${r.checks.map((id) => {
    const check = checks.get(id);
    return html`<li><code>${id}</code>${check && html` <span class="mini ${outcomeClass(check.outcome)}">${breakable(check.outcome)}</span>`}</li>`;
  })}</ul>`;
}

function row(r: RequirementStatus, index: number, checks: ReadonlyMap<string, Check>): Markup {
  const id = NEEDS_DETAIL.has(r.outcome) ? html`<a href="#${detailAnchor(r.id, index)}">${r.id}</a>` : html`${r.id}`;
  return html`<tr data-outcome="${r.outcome}" data-requirement="${r.id}" class="req ${outcomeClass(r.outcome)}">
<td class="id">${id}</td>
<td class="title">${r.title}${r.note && html`<div class="note">${r.note}</div>`}</td>
<td>${r.level}</td>
<td>${scope(r)}</td>
<td class="outcome">${badge(r.outcome)}${r.waiver && html`<div class="muted">finding: ${r.waiver.waivedOutcome}</div>`}${r.deferred && html`<div class="muted">deferred in quick mode</div>`}</td>
<td class="reason">${reasonOf(r)}</td>
<td class="checks">${checksCell(r, checks)}</td>
</tr>`;
}

/**
 * The outcome filter. It is hidden in the markup and shown by the page script, so a reader without script
 * (or a mail client that strips it) sees every row and no dead controls.
 */
function filter(sorted: readonly RequirementStatus[]): Markup {
  const counts = new Map<string, number>();
  for (const r of sorted) counts.set(r.outcome, (counts.get(r.outcome) ?? 0) + 1);
  return html`<fieldset class="filter no-print" id="outcome-filter" hidden>
<legend>Show requirements with outcome</legend>
${[...counts].map(([outcome, n]) => html`<label class="filter-option"><input type="checkbox" data-outcome="${outcome}" checked> ${badge(outcome)} <span class="muted">${n}</span></label>`)}
<span class="filter-presets"><button type="button" data-preset="all">all</button> <button type="button" data-preset="problems">problems only</button></span>
<output id="filter-status" aria-live="polite"></output>
</fieldset>`;
}

export function requirementsSection(report: Report, sorted: readonly RequirementStatus[]): Markup {
  const checks = new Map(report.checks.map((c) => [c.id, c]));
  return html`<section id="requirements"><h2>Requirements <span class="muted">(${sorted.length})</span></h2>
${filter(sorted)}
${sorted.length === 0 ? html`<p class="muted">The report lists no requirements.</p>` : html`<table class="requirements"><colgroup><col class="c-id"><col class="c-title"><col class="c-level"><col class="c-scope"><col class="c-outcome"><col class="c-reason"><col class="c-checks"></colgroup><thead><tr><th>id</th><th>requirement</th><th>level</th><th>scope</th><th>outcome</th><th>reason</th><th>checks</th></tr></thead>
<tbody>${sorted.map((r, i) => row(r, i, checks))}</tbody></table>`}
</section>`;
}
