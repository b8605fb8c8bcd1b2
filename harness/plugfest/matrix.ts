import { basename } from 'node:path';
import { suiteVersion } from '../catalog/index.js';
import { EXIT_CODES, type RequirementOutcome, type Verdict } from '../model/index.js';
import type { RunRecord } from './cells.js';
import {
  CELL_VERDICTS,
  CROSS_OUTCOMES,
  type CellVerdict,
  type CrossOutcome,
  type CrossTargetResult,
  type HeatMapRow,
  type PlugfestResult,
  type PlugfestTargetResult,
} from './matrix-json.js';
import type { MamObservation } from './observer.js';
import type { PlannedTarget, PlugfestPlan } from './plan.js';
import { PLUGFEST_REQUIREMENTS } from './requirements.js';

/** Worst first, as the console summary orders requirements: a waived FAIL is still a known defect. */
const SEVERITY: readonly RequirementOutcome[] = ['FAIL', 'ERROR', 'NOT_EXECUTED', 'WAIVED', 'WARN', 'PASS', 'NA'];

function worse(a: RequirementOutcome, b: RequirementOutcome): RequirementOutcome {
  return SEVERITY.indexOf(a) <= SEVERITY.indexOf(b) ? a : b;
}

export interface TargetRecords {
  readonly target: PlannedTarget;
  readonly runs: readonly RunRecord[];
}

export interface CrossTargetSection {
  readonly applies: boolean;
  readonly reason: string;
  readonly observation?: MamObservation;
  /** the observer's evidence file, relative to plugfest.json */
  readonly evidence?: string;
  readonly results: readonly CrossTargetResult[];
}

/**
 * requirement × target: the worst outcome over the target's runs. A quick-mode run defers clock-bound requirements
 * (NOT_EXECUTED, deferred); such a status only shows when no run of the target decided the requirement.
 */
function heatMap(targets: readonly TargetRecords[], cross: CrossTargetSection): PlugfestResult['heatMap'] {
  const rows = new Map<string, HeatMapRow>();
  for (const requirement of PLUGFEST_REQUIREMENTS) {
    const cells: HeatMapRow['cells'] = {};
    for (const result of cross.results.filter((r) => r.requirement === requirement.id)) cells[result.target] = { outcome: result.outcome, profiles: [] };
    if (Object.keys(cells).length) rows.set(requirement.id, { requirement: requirement.id, title: requirement.title, cells });
  }
  for (const { target, runs } of targets) {
    const decided = new Map<string, { outcome: RequirementOutcome; profiles: string[] }>();
    const deferred = new Map<string, { outcome: RequirementOutcome; profiles: string[] }>();
    for (const { report } of runs) {
      if (!report) continue;
      for (const status of report.requirements) {
        const into = status.deferred ? deferred : decided;
        const known = into.get(status.id);
        into.set(status.id, known ? { outcome: worse(known.outcome, status.outcome), profiles: [...known.profiles, report.profile.id] } : { outcome: status.outcome, profiles: [report.profile.id] });
        if (!rows.has(status.id)) rows.set(status.id, { requirement: status.id, title: status.title, cells: {} });
      }
    }
    for (const id of new Set([...decided.keys(), ...deferred.keys()])) {
      const cell = decided.get(id);
      const later = deferred.get(id);
      const profiles = [...new Set([...(cell?.profiles ?? []), ...(later?.profiles ?? [])])];
      rows.get(id)!.cells[target.name] = cell ? { outcome: cell.outcome, profiles } : { outcome: later!.outcome, deferred: true, profiles };
    }
  }
  return { targets: targets.map((t) => t.target.name), rows: [...rows.values()] };
}

/** The plugfest's verdict and exit code: any FAIL wins, then anything undecided, else conformant. */
function decide(cells: readonly CellVerdict[], cross: readonly CrossTargetResult[]): { verdict: Verdict; exitCode: 0 | 1 | 3 } {
  if (cells.includes('NOT_CONFORMANT') || cross.some((r) => r.outcome === 'FAIL')) return { verdict: 'NOT_CONFORMANT', exitCode: EXIT_CODES.NOT_CONFORMANT };
  if (cells.some((c) => c !== 'CONFORMANT') || cross.some((r) => r.outcome !== 'PASS')) return { verdict: 'INCOMPLETE', exitCode: EXIT_CODES.INCOMPLETE };
  return { verdict: 'CONFORMANT', exitCode: EXIT_CODES.CONFORMANT };
}

export interface MatrixInput {
  readonly plan: PlugfestPlan;
  readonly targets: readonly TargetRecords[];
  readonly cross: CrossTargetSection;
  readonly brokerUrl?: string;
  readonly startedAt: Date;
  readonly endedAt: Date;
  readonly interrupted: boolean;
  readonly errors: readonly string[];
}

/** Everything plugfest.json holds, from the plan, the run records and the cross-target results. */
export function buildMatrix(input: MatrixInput): PlugfestResult {
  const { plan, cross } = input;
  const targets: PlugfestTargetResult[] = input.targets.map(({ target, runs }) => {
    const appId = runs.map((r) => r.report?.target.appId).find((id): id is string => id !== undefined);
    return {
      name: target.name,
      reference: target.reference,
      kind: target.kind,
      origin: target.origin,
      faults: [...target.faults],
      ...(target.serialNumber !== undefined && { serialNumber: target.serialNumber }),
      sharedBroker: target.onSharedBroker,
      appId: appId ?? null,
      runs: runs.map((r) => r.cell),
    };
  });
  const cells = targets.flatMap((t) => t.runs.map((r) => r.verdict));
  const runCounts = Object.fromEntries(CELL_VERDICTS.map((v) => [v, cells.filter((c) => c === v).length])) as Record<CellVerdict, number>;
  const crossCounts = Object.fromEntries(CROSS_OUTCOMES.map((o) => [o, cross.results.filter((r) => r.outcome === o).length])) as Record<CrossOutcome, number>;
  const observation = cross.observation;
  return {
    formatVersion: 1,
    name: plan.name,
    ...(plan.description !== undefined && { description: plan.description }),
    file: { name: basename(plan.file), sha256: plan.fileSha256 },
    suite: { name: 'oi4-conformance', version: suiteVersion() },
    startedAt: input.startedAt.toISOString(),
    endedAt: input.endedAt.toISOString(),
    durationMs: Math.max(0, Math.round(input.endedAt.getTime() - input.startedAt.getTime())),
    mode: plan.mode,
    concurrency: plan.concurrency,
    broker: input.brokerUrl !== undefined ? { kind: 'embedded', url: input.brokerUrl } : null,
    interrupted: input.interrupted,
    ...decide(cells, cross.results),
    counts: { runs: runCounts, crossTarget: crossCounts },
    requirements: PLUGFEST_REQUIREMENTS.map((r) => ({ ...r })),
    targets,
    crossTarget: {
      applies: cross.applies,
      reason: cross.reason,
      observer: observation
        ? {
            messages: observation.messages,
            distinctMams: observation.variants.length,
            unreadable: observation.unreadable,
            dropped: observation.dropped,
            evidence: cross.evidence ?? null,
            ...(observation.lostBecause !== undefined && { lostBecause: observation.lostBecause }),
          }
        : null,
      results: [...cross.results],
    },
    heatMap: heatMap(input.targets, cross),
    errors: [...input.errors],
  };
}
