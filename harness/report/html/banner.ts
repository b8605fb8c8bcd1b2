import type { Report } from '../../model/index.js';
import { outcomeClass, rankOf } from './format.js';
import { html, type Markup } from './markup.js';

const VERDICT_WORDS: Readonly<Record<string, string>> = {
  CONFORMANT: 'every requirement of the profile that applies to this target passed',
  NOT_CONFORMANT: 'at least one requirement of the profile failed',
  INCOMPLETE: 'the run could not decide every requirement of the profile',
};

/**
 * The first thing on the page and on the printed certificate: the verdict, and beside it everything that
 * limits what the verdict is worth (quick mode, a non-certifying run and why), then the counts per outcome.
 */
export function banner(report: Report): Markup {
  const { run } = report;
  const quick = run.mode === 'quick';
  const because = run.notCertifyingBecause ?? [];
  // counts in table order; WAIVED only appears in reports written since waivers exist
  const counts = Object.entries(report.counts as Record<string, number>).sort(([a], [b]) => rankOf(a) - rankOf(b));
  return html`<header class="banner ${outcomeClass(report.verdict)}" id="verdict">
<p class="banner-kicker">Conformance verdict</p>
<p class="verdict-line"><span class="verdict" data-verdict="${report.verdict}">${report.verdict}</span>${quick && html` <span class="mark mark-quick">quick mode</span>`}${!run.certifying && html` <span class="mark mark-noncert">non-certifying</span>`}</p>
<p class="verdict-words">${Object.hasOwn(VERDICT_WORDS, report.verdict) ? VERDICT_WORDS[report.verdict] : ''}</p>
<p class="subject"><strong>${report.profile.title}</strong> (<code>${report.profile.id}</code> ${report.profile.version}) on <strong>${report.target.name}</strong></p>
${quick && html`<p class="mark-text">Quick mode: checks that wait on the clock or drive the target were not run; the requirements they decide are listed as not executed.</p>`}
${!run.certifying && html`<div class="mark-text"><p><strong>Not a certification.</strong> This run cannot certify the target because:</p><ul>${because.length > 0 ? because.map((b) => html`<li>${b}</li>`) : html`<li>the report gives no reason</li>`}</ul></div>`}
<ul class="counts" aria-label="requirements per outcome">${counts.map(([outcome, n]) => html`<li class="count ${outcomeClass(outcome)}${n === 0 ? ' zero' : ''}"><span class="n">${n}</span> ${outcome}</li>`)}</ul>
</header>`;
}

/** Run errors (the harness or the environment failed) and notes (e.g. why the identity is missing): never hidden. */
export function problems(report: Report): Markup {
  if (report.errors.length === 0 && report.notes.length === 0) return html``;
  return html`<section class="run-problems" id="run-errors">
${report.errors.length > 0 && html`<div class="run-errors"><h2>Run errors</h2><p>The harness or the environment failed; requirements the run could not decide are ERROR, and the verdict cannot be CONFORMANT.</p><ul>${report.errors.map((e) => html`<li>${e}</li>`)}</ul></div>`}
${report.notes.length > 0 && html`<div class="run-notes"><h2>Notes</h2><ul>${report.notes.map((n) => html`<li>${n}</li>`)}</ul></div>`}
</section>`;
}
