/**
 * The page's style sheet, inlined (the file must open anywhere with no network). System fonts only, light
 * colours only: the printed page is a certificate, and a dark background would waste ink. Print rules put the
 * verdict and identity first on A4, drop the controls, open every collapsed section and keep rows whole.
 */
export const STYLES = `
:root { color-scheme: light; --ink: #1f2328; --muted: #59636e; --line: #d1d9e0; --soft: #f6f8fa; }
.o-PASS, .o-CONFORMANT { --c: #1a7f37; --t: #e6f4ea; }
.o-FAIL, .o-NOT_CONFORMANT { --c: #b3261e; --t: #fdecea; }
.o-ERROR { --c: #7b3fb8; --t: #f3ecfb; }
.o-NOT_EXECUTED, .o-INCOMPLETE { --c: #8a5a00; --t: #fff4d6; }
.o-WAIVED { --c: #0f6f78; --t: #e2f4f5; }
.o-WARN { --c: #b24a00; --t: #ffeedd; }
.o-NA, .o-unknown { --c: #5f6b76; --t: #eef1f4; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0 auto; padding: 24px 28px 48px; max-width: 1280px; color: var(--ink); background: #fff;
  font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
h1 { font-size: 20px; margin: 0 0 12px; }
h2 { font-size: 18px; margin: 28px 0 10px; }
h3 { font-size: 16px; margin: 0 0 8px; }
h4 { font-size: 14px; margin: 14px 0 6px; }
h5 { font-size: 13px; margin: 12px 0 4px; }
h6 { font-size: 12px; margin: 0 0 4px; color: var(--muted); text-transform: uppercase; letter-spacing: .04em; }
code, pre, .topic { font-family: ui-monospace, SFMono-Regular, "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 12px; }
code { overflow-wrap: anywhere; }
a { color: #0550ae; }
.muted { color: var(--muted); }
.hash { font-size: 11px; color: var(--muted); word-break: break-all; }
.doc-title { color: var(--muted); font-weight: normal; }
nav.toc { font-size: 13px; margin: 0 0 16px; }
nav.toc a { margin-right: 14px; }

.banner { border: 1px solid var(--c); border-left: 12px solid var(--c); background: var(--t); border-radius: 6px; padding: 14px 18px; }
.banner-kicker { margin: 0; font-size: 12px; text-transform: uppercase; letter-spacing: .08em; color: var(--muted); }
.verdict-line { margin: 2px 0; }
.verdict { font-size: 30px; font-weight: 800; color: var(--c); letter-spacing: .02em; }
.verdict-words { margin: 0 0 8px; }
.subject { margin: 0 0 8px; }
.mark { display: inline-block; vertical-align: middle; margin-left: 8px; padding: 2px 8px; border-radius: 4px; border: 2px solid; font-size: 13px; font-weight: 700; text-transform: uppercase; }
.mark-quick { color: #8a5a00; border-color: #8a5a00; background: #fff; }
.mark-noncert { color: #b3261e; border-color: #b3261e; background: #fff; }
.mark-text { margin: 6px 0; }
td > .mark:first-child { margin-left: 0; }
.mark-text p { margin: 0; }
.mark-text ul { margin: 4px 0; padding-left: 22px; }
.counts { list-style: none; margin: 10px 0 0; padding: 0; display: flex; flex-wrap: wrap; gap: 8px; }
.count { border: 1px solid var(--c); color: var(--c); background: #fff; border-radius: 4px; padding: 2px 10px; font-weight: 600; }
.count .n { font-size: 16px; }
.count.zero { opacity: .55; font-weight: normal; }

.run-problems { margin-top: 16px; }
.run-errors, .run-notes { border-radius: 6px; padding: 8px 14px; margin: 8px 0; }
.run-errors { border: 1px solid #7b3fb8; border-left: 6px solid #7b3fb8; background: #f8f3fd; }
.run-notes { border: 1px solid var(--line); border-left: 6px solid #59636e; background: var(--soft); }
.run-errors h2, .run-notes h2 { margin: 4px 0; font-size: 15px; }
.run-errors p { margin: 0 0 4px; }
.problem { color: #b3261e; font-weight: 600; }
.fault { color: #b3261e; font-weight: 600; }

.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(330px, 1fr)); gap: 14px; margin-top: 16px; }
.card { border: 1px solid var(--line); border-radius: 6px; padding: 10px 14px; }
.card h2 { margin: 0 0 8px; font-size: 15px; }
.identity-source { margin: 0 0 4px; font-size: 12px; color: var(--muted); overflow-wrap: anywhere; }
.identity + .identity { margin-top: 12px; }

table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; vertical-align: top; padding: 4px 6px; border-bottom: 1px solid var(--line); }
thead th { background: var(--soft); font-size: 12px; color: var(--muted); font-weight: 600; }
table.kv th { width: 11em; font-weight: 600; color: var(--muted); white-space: nowrap; }
table.kv td { overflow-wrap: anywhere; }
.num { text-align: right; white-space: nowrap; }

.filter { border: 1px solid var(--line); border-radius: 6px; padding: 6px 10px; margin: 0 0 10px; display: flex; flex-wrap: wrap; align-items: center; gap: 6px 14px; }
.filter[hidden] { display: none; }
.filter legend { font-size: 12px; color: var(--muted); padding: 0 4px; }
.filter-option { cursor: pointer; white-space: nowrap; }
.filter button { font: inherit; font-size: 12px; padding: 2px 8px; border: 1px solid var(--line); border-radius: 4px; background: #fff; cursor: pointer; }
.filter output { font-size: 12px; color: var(--muted); margin-left: auto; }
tr.filtered-out { display: none; }

.badge, .mini { display: inline-block; border: 1px solid var(--c); color: var(--c); background: var(--t); border-radius: 4px; font-weight: 700; }
.badge { padding: 0 6px; font-size: 12px; }
.mini { padding: 0 4px; font-size: 10px; }
table.requirements td.id { font-family: ui-monospace, SFMono-Regular, "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 12px; }
table.requirements tr.req > td:first-child { border-left: 4px solid var(--c); }
/* fixed widths: a long reason or check id wraps in its own column instead of squeezing the others off the page */
table.requirements { table-layout: fixed; }
table.requirements td.id, table.requirements td.title, table.requirements td.reason, table.requirements td.checks { overflow-wrap: anywhere; }
col.c-id { width: 10%; } col.c-title { width: 25%; } col.c-level { width: 7%; } col.c-scope { width: 10%; }
col.c-outcome { width: 11%; } col.c-reason { width: 24%; } col.c-checks { width: 13%; }
.note { font-size: 12px; color: var(--muted); margin-top: 2px; }
.check-list { list-style: none; margin: 0; padding: 0; }
.check-list code { font-size: 11px; }
.waiver { color: #0f6f78; }
.finding { margin-top: 4px; }

.detail { border: 1px solid var(--line); border-left: 8px solid var(--c); border-radius: 6px; padding: 12px 16px; margin: 14px 0; }
.detail-id { font-family: ui-monospace, SFMono-Regular, "DejaVu Sans Mono", Menlo, Consolas, monospace; }
.expected-seen { display: grid; grid-template-columns: 1fr 1fr; gap: 12px; margin: 10px 0; }
.expected, .seen { border-radius: 4px; padding: 6px 10px; }
.expected { background: #f0f6ff; border: 1px solid #b6d0f5; }
.seen { background: var(--t, #fdecea); border: 1px solid var(--c, #b3261e); }
.expected h4, .seen h4 { margin: 0 0 2px; font-size: 12px; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); }
.expected p, .seen p { margin: 0; overflow-wrap: anywhere; }
.check { border-top: 1px dashed var(--line); margin-top: 12px; padding-top: 6px; }
.check h4 { margin: 4px 0; }
.check-facts { margin: 0; font-size: 12px; color: var(--muted); }
.check-message { margin: 6px 0; overflow-wrap: anywhere; }
table.decisions { margin: 6px 0; font-size: 13px; }
table.decisions tr.this td { background: #fffbe6; }
.undecided-list { columns: 2; font-size: 13px; }

.evidence-file { margin: 10px 0 4px; }
.evidence-file h5 { margin: 8px 0 2px; }
.file-facts { margin: 0 0 4px; font-size: 12px; color: var(--muted); }
table.evidence { font-size: 12px; }
table.evidence tbody.record tr.meta td { border-bottom: none; background: var(--soft); }
table.evidence td.topic { word-break: break-all; }
.dir { white-space: nowrap; font-weight: 600; }
.dir-sent { color: #0550ae; }
.dir-received { color: #1a7f37; }
.status-good { color: #1a7f37; }
.status-bad { color: #b3261e; font-weight: 600; }
pre.payload { margin: 2px 0; padding: 6px 8px; background: #fff; border: 1px solid var(--line); border-radius: 4px; white-space: pre-wrap; word-break: break-all; max-height: 26em; overflow: auto; }
.payload-notes { margin: 2px 0; font-size: 12px; }
.flag { color: #8a5a00; margin-right: 10px; }
.flag.truncated { color: #b24a00; font-weight: 600; }
.cut { color: #b24a00; }
.cut-notes { margin: 4px 0; padding-left: 20px; font-size: 12px; color: #8a5a00; }
.pair { display: grid; grid-template-columns: 1fr 1fr; gap: 10px; }
table.headers { font-size: 11px; margin-bottom: 4px; }
table.headers th { width: 14em; white-space: nowrap; }

table.parameters { width: auto; min-width: 50%; }
table.parameters tr.overridden td { background: #fff4d6; }
details > summary { cursor: pointer; }
details > summary h2 { display: inline; font-size: 16px; }
.suite-files { margin-top: 8px; font-size: 13px; }
#preflight { margin-top: 24px; }
footer { margin-top: 32px; font-size: 12px; color: var(--muted); border-top: 1px solid var(--line); padding-top: 8px; }

@page { size: A4; margin: 14mm 11mm 14mm 11mm; }
@media print {
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  body { max-width: none; padding: 0; font-size: 9pt; }
  code, pre, .topic { font-size: 8pt; }
  .badge { font-size: 7pt; padding: 0 3px; }
  .note, .check-list code, .mini, .muted { font-size: 7pt; }
  table.requirements, table.evidence, table.decisions { font-size: 8pt; }
  h2 { font-size: 13pt; margin-top: 14pt; }
  .no-print, nav.toc, .filter { display: none !important; }
  /* a certificate lists every requirement, whatever the reader filtered on screen */
  tr.filtered-out { display: table-row !important; }
  .banner { background: #fff; }
  .banner, .card, .run-errors, .run-notes { break-inside: avoid; }
  .cards { display: block; }
  .card { margin-bottom: 8pt; }
  thead { display: table-header-group; }
  tr, li, .expected-seen, .check-facts, .evidence-file h5 { break-inside: avoid; }
  h2, h3, h4, h5, h6 { break-after: avoid; }
  pre.payload { max-height: none; overflow: visible; }
  a { color: inherit; text-decoration: none; }
  details > summary { list-style: none; }
  details > summary::-webkit-details-marker { display: none; }
}
/* kept apart: a browser that does not know ::details-content drops only this rule, and the script opens them */
@media print { details::details-content { content-visibility: visible; display: block; } }
`;
