import type { Report, RequirementStatus } from '../../model/index.js';
import { readEvidence, type InlineLimits } from './evidence-read.js';
import { renderEvidence, type InlineBudget } from './evidence-view.js';
import { formatDuration, NEEDS_DETAIL, outcomeClass, plural } from './format.js';
import { fact } from './identity.js';
import { html, type Markup } from './markup.js';
import { badge, detailAnchor, reasonOf } from './requirements.js';

type Check = Report['checks'][number];

interface Context {
  readonly dir: string;
  readonly limits: InlineLimits;
  readonly budget: InlineBudget;
  readonly checks: ReadonlyMap<string, Check>;
  /** check id -> anchor of the section that already shows its evidence: a check deciding several failing requirements is inlined once */
  readonly shownAt: Map<string, { anchor: string; requirement: string }>;
}

function decisions(check: Check, requirement: string): Markup {
  if (check.decisions.length === 0) return html``;
  return html`<table class="decisions"><thead><tr><th>requirement</th><th>outcome</th><th>decision</th></tr></thead><tbody>
${check.decisions.map((d) => html`<tr class="${d.requirement === requirement ? 'this' : ''}"><td><code>${d.requirement}</code></td><td>${badge(d.outcome)}${d.deferred && html` <span class="muted">deferred</span>`}</td><td>${d.message || html`<span class="muted">no message</span>`}</td></tr>`)}
</tbody></table>`;
}

function evidence(check: Check, anchor: string, requirement: string, ctx: Context): Markup {
  const earlier = ctx.shownAt.get(check.id);
  if (earlier) return html`<p class="muted">The evidence of this check is shown under <a href="#${earlier.anchor}">${earlier.requirement}</a>.</p>`;
  ctx.shownAt.set(check.id, { anchor, requirement });
  if (check.evidence.length === 0) return html`<p class="muted">This check recorded no evidence.</p>`;
  return html`${check.evidence.map((e) => renderEvidence(readEvidence(ctx.dir, e.file, ctx.limits), e, ctx.limits, ctx.budget))}`;
}

function checkBlock(id: string, anchor: string, requirement: string, ctx: Context): Markup {
  const check = ctx.checks.get(id);
  if (!check) return html`<div class="check"><h4><code>${id}</code></h4><p class="muted">This check is not in the report: it did not run.</p></div>`;
  return html`<div class="check">
<h4>${badge(check.outcome)} <code>${check.id}</code> ${check.title}</h4>
<p class="check-facts">${check.suite} · ${formatDuration(check.durationMs)}</p>
${check.message && !check.decisions.some((d) => d.message === check.message) && html`<p class="check-message">${check.message}</p>`}
${decisions(check, requirement)}
${evidence(check, anchor, requirement, ctx)}
</div>`;
}

function detail(r: RequirementStatus, index: number, ctx: Context): Markup {
  const anchor = detailAnchor(r.id, index);
  return html`<section class="detail ${outcomeClass(r.outcome)}" id="${anchor}" data-requirement="${r.id}">
<h3>${badge(r.outcome)} <span class="detail-id">${r.id}</span> ${r.title}</h3>
<table class="kv">
${fact('level', r.level)}
${fact('scope', r.group ? `group ${r.group}${r.mandatory ? ' (claimed)' : ' (not claimed)'}` : r.mandatory ? 'mandatory' : 'optional')}
${fact('source', r.source)}
${fact('note', r.note)}
</table>
<div class="expected-seen">
<div class="expected"><h4>Expected</h4><p>${r.title}</p></div>
<div class="seen"><h4>Seen</h4>${r.waiver ? reasonOf(r) : html`<p>${r.reason || 'no message'}</p>`}</div>
</div>
${r.checks.map((id) => checkBlock(id, anchor, r.id, ctx))}
</section>`;
}

/**
 * Requirements no check ran for (a run that failed before its checks) share one reason: listing it once per
 * requirement would bury the page, so they are grouped, each id keeping its own anchor for the table's link.
 */
function undecidedGroup(outcome: string, reason: string, members: readonly { r: RequirementStatus; index: number }[]): Markup {
  return html`<section class="detail ${outcomeClass(outcome)} undecided">
<h3>${badge(outcome)} ${plural(members.length, 'requirement')} without a check that ran</h3>
<div class="seen"><h4>Seen</h4><p>${reason || 'no message'}</p></div>
<ul class="undecided-list">${members.map(({ r, index }) => html`<li id="${detailAnchor(r.id, index)}" data-requirement="${r.id}"><code>${r.id}</code> ${r.title}</li>`)}</ul>
</section>`;
}

/** One section per failing, erroring, waived or warning requirement: expected vs seen, decisions, evidence inline. */
export function failuresSection(dir: string, report: Report, sorted: readonly RequirementStatus[], limits: InlineLimits, budget: InlineBudget): Markup {
  const ctx: Context = { dir, limits, budget, checks: new Map(report.checks.map((c) => [c.id, c])), shownAt: new Map() };
  const sections: Markup[] = [];
  const undecided = new Map<string, { outcome: string; reason: string; members: { r: RequirementStatus; index: number }[] }>();
  sorted.forEach((r, index) => {
    if (!NEEDS_DETAIL.has(r.outcome)) return;
    // a waiver is never folded into a group: its reason and expiry belong to this requirement alone
    if (r.waiver || r.checks.some((id) => ctx.checks.has(id))) {
      sections.push(detail(r, index, ctx));
      return;
    }
    const key = `${r.outcome}\u0000${r.reason}`;
    const group = undecided.get(key) ?? { outcome: r.outcome, reason: r.reason, members: [] };
    group.members.push({ r, index });
    undecided.set(key, group);
  });
  for (const group of undecided.values()) sections.push(undecidedGroup(group.outcome, group.reason, group.members));
  const count = sorted.filter((r) => NEEDS_DETAIL.has(r.outcome)).length;
  return html`<section id="failures"><h2>Failures and warnings <span class="muted">(${count})</span></h2>
${count === 0 ? html`<p class="muted">No requirement failed, erred, was waived or warned.</p>` : sections}
</section>`;
}
