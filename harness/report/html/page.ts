import { createHash } from 'node:crypto';
import type { Report } from '../../model/index.js';
import { banner, problems } from './banner.js';
import { INLINE_LIMITS, type InlineLimits } from './evidence-read.js';
import type { InlineBudget } from './evidence-view.js';
import { failuresSection } from './failures.js';
import { FILTER_SCRIPT } from './filter-script.js';
import { NEEDS_DETAIL } from './format.js';
import { targetSection } from './identity.js';
import { html, trusted, type Markup } from './markup.js';
import { preflightSection } from './preflight.js';
import { requirementsSection, sortRequirements } from './requirements.js';
import { parametersSection, runInfoSection } from './run-info.js';
import { STYLES } from './styles.js';

const cspHash = (text: string): string => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

/**
 * Nothing may be fetched, ever: no script, style, font, frame or connection but the page's own. The style sheet
 * and the script are admitted by hash rather than as 'unsafe-inline', so even markup that slipped past escaping
 * could neither run a script nor reach the network; images only as data: URIs.
 */
export function contentSecurityPolicy(): string {
  return [
    "default-src 'none'",
    `script-src ${cspHash(FILTER_SCRIPT)}`,
    `style-src ${cspHash(STYLES)}`,
    'img-src data:',
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}

/**
 * report.html as one self-contained document: verdict and identity first (the printed certificate), then the
 * requirement table, then each failure with its evidence inline. `dir` is the bundle folder holding evidence/.
 */
export function renderReportHtml(dir: string, report: Report, limits: InlineLimits = INLINE_LIMITS): string {
  const budget: InlineBudget = { remaining: limits.maxPageChars };
  const sorted = sortRequirements(report.requirements);
  const failing = sorted.filter((r) => NEEDS_DETAIL.has(r.outcome)).length;
  const title = `${report.verdict}: ${report.profile.id} ${report.profile.version} on ${report.target.name}`;
  const page: Markup = html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy()}">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="oi4-conformance">
<link rel="icon" href="data:,">
<title>${title}</title>
<style>${trusted(STYLES)}</style>
</head>
<body>
<h1>Conformance report <span class="doc-title">· ${report.suite.name} ${report.suite.version}</span></h1>
<nav class="toc no-print"><a href="#requirements">Requirements</a><a href="#failures">Failures and warnings (${failing})</a><a href="#parameters">Run parameters</a><a href="#preflight">Preflight evidence</a></nav>
${banner(report)}
${problems(report)}
${targetSection(report)}
${runInfoSection(report)}
${requirementsSection(report, sorted)}
${failuresSection(dir, report, sorted, limits, budget)}
${parametersSection(report)}
${preflightSection(dir, report, limits, budget)}
<footer>Rendered from <code>report.json</code> (the canonical result; this page is a view of it). Evidence files are in <code>evidence/</code>; <code>manifest.sha256</code> lists the hash of every file of the bundle.</footer>
<script>${trusted(FILTER_SCRIPT)}</script>
</body>
</html>
`;
  return page.text;
}
