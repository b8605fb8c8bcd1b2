import type { RequirementOutcome, Report } from '../model/index.js';

const ORDER: readonly RequirementOutcome[] = ['FAIL', 'ERROR', 'NOT_EXECUTED', 'WAIVED', 'WARN', 'PASS', 'NA'];

export interface ConsoleStyle {
  readonly color: boolean;
  readonly width: number;
}

const COLORS: Record<RequirementOutcome | 'bold', string> = {
  FAIL: '\x1b[31m',
  ERROR: '\x1b[35m',
  NOT_EXECUTED: '\x1b[33m',
  WARN: '\x1b[33m',
  WAIVED: '\x1b[36m',
  PASS: '\x1b[32m',
  NA: '\x1b[2m',
  bold: '\x1b[1m',
};

function paint(style: ConsoleStyle, key: keyof typeof COLORS, text: string): string {
  return style.color ? `${COLORS[key]}${text}\x1b[0m` : text;
}

function clip(text: string, width: number): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length <= width ? oneLine : `${oneLine.slice(0, Math.max(0, width - 1))}…`;
}

/** The end-of-run summary: requirement, outcome, message (worst first), then the verdict. */
export function renderSummary(report: Report, style: ConsoleStyle): string {
  const rows = [...report.requirements].sort((a, b) => ORDER.indexOf(a.outcome) - ORDER.indexOf(b.outcome) || a.id.localeCompare(b.id));
  const idWidth = Math.max(11, ...rows.map((r) => r.id.length));
  const outcomeWidth = 12;
  const messageWidth = Math.max(20, style.width - idWidth - outcomeWidth - 4);
  const lines = [
    '',
    `${'requirement'.padEnd(idWidth)}  ${'outcome'.padEnd(outcomeWidth)}  message`,
    `${'-'.repeat(idWidth)}  ${'-'.repeat(outcomeWidth)}  ${'-'.repeat(Math.min(messageWidth, 40))}`,
    ...rows.map(
      (r) =>
        `${r.id.padEnd(idWidth)}  ${paint(style, r.outcome, r.outcome.padEnd(outcomeWidth))}  ${clip(r.outcome === 'PASS' ? r.title : r.waiver ? `waived until ${r.waiver.expires} (${r.waiver.reason}): ${r.reason}` : r.reason || r.title, messageWidth)}`,
    ),
    '',
    Object.entries(report.counts)
      .filter(([, n]) => n > 0)
      .map(([o, n]) => `${n} ${o}`)
      .join(', '),
  ];
  for (const note of report.notes) lines.push(`note: ${clip(note, style.width - 6)}`);
  for (const error of report.errors) lines.push(paint(style, 'ERROR', `run error: ${clip(error, style.width - 11)}`));
  const certifying = report.run.certifying ? '' : ` (not a certification: ${(report.run.notCertifyingBecause ?? []).join('; ')})`;
  const verdictKey: RequirementOutcome = report.verdict === 'CONFORMANT' ? 'PASS' : report.verdict === 'NOT_CONFORMANT' ? 'FAIL' : 'NOT_EXECUTED';
  lines.push(
    paint(style, 'bold', `verdict: `) +
      paint(style, verdictKey, report.verdict) +
      ` — ${report.profile.id} ${report.profile.version} on ${report.target.name}${certifying}`,
  );
  return lines.join('\n') + '\n';
}
