import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { readYamlFile, type Catalog } from '../catalog/index.js';
import { sha256Hex } from '../evidence/index.js';
import { compileValidator, ConfigError, didYouMean, waiversFileSchema, type RequirementStatus, type Waiver, type WaiversFile } from '../model/index.js';

const validateWaiversFile = compileValidator<WaiversFile>(waiversFileSchema);

export interface LoadedWaivers {
  readonly file: string;
  readonly sha256: string;
  readonly waivers: readonly Waiver[];
}

/** Today as YYYY-MM-DD in UTC, the form expiry dates are compared in. */
export function isoDay(now: Date): string {
  return now.toISOString().slice(0, 10);
}

/**
 * Loads a waivers file and refuses it when it cannot hold: a field missing, an id the catalog does not know, a
 * requirement waived twice, or a waiver past its expiry date. An expired waiver is an error on purpose: a gate
 * must not keep passing on a promise nobody renewed.
 */
export function loadWaivers(file: string, catalog: Catalog, now = new Date()): LoadedWaivers {
  const shown = relative(process.cwd(), file) || file;
  const checked = validateWaiversFile(readYamlFile(file));
  if (!checked.ok) throw new ConfigError(`${shown}: ${checked.problems[0]}${checked.problems.length > 1 ? ` (and ${checked.problems.length - 1} more)` : ''}`);
  const today = isoDay(now);
  const known = [...catalog.requirements.keys()];
  const seen = new Set<string>();
  for (const [index, waiver] of checked.value.waivers.entries()) {
    const where = `${shown}: waivers[${index}]`;
    if (!catalog.get(waiver.requirement)) {
      const hint = didYouMean(waiver.requirement, known);
      throw new ConfigError(`${where}: requirement "${waiver.requirement}" is not in the catalog${hint ? ` (did you mean "${hint}"?)` : ''}`);
    }
    if (seen.has(waiver.requirement)) throw new ConfigError(`${where}: ${waiver.requirement} is waived twice; keep one waiver per requirement`);
    seen.add(waiver.requirement);
    if (waiver.expires < today) {
      throw new ConfigError(`${where}: the waiver of ${waiver.requirement} expired on ${waiver.expires}; renew it with a new date and reason, or remove it`);
    }
  }
  return { file: shown, sha256: sha256Hex(readFileSync(file)), waivers: checked.value.waivers };
}

export interface WaiverApplication {
  readonly statuses: RequirementStatus[];
  /** requirement ids whose FAIL became WAIVED */
  readonly applied: string[];
  /** what the run should say about waivers that changed nothing, so stale ones get removed */
  readonly notes: string[];
}

/**
 * Turns each waived FAIL into WAIVED. The FAIL's reason stays as it was, and the waiver is recorded beside it,
 * so no report hides what the checks saw. A waiver whose requirement did not FAIL is named in a note.
 */
export function applyWaivers(statuses: readonly RequirementStatus[], loaded: LoadedWaivers): WaiverApplication {
  const applied: string[] = [];
  const notes: string[] = [];
  const result = statuses.map((status) => {
    const waiver = loaded.waivers.find((w) => w.requirement === status.id);
    if (!waiver || status.outcome !== 'FAIL') return status;
    applied.push(status.id);
    return { ...status, outcome: 'WAIVED' as const, waiver: { reason: waiver.reason, expires: waiver.expires, waivedOutcome: 'FAIL' as const } };
  });
  for (const waiver of loaded.waivers) {
    if (applied.includes(waiver.requirement)) continue;
    const status = statuses.find((s) => s.id === waiver.requirement);
    notes.push(
      status
        ? `waiver of ${waiver.requirement} was not needed: its outcome is ${status.outcome}`
        : `waiver of ${waiver.requirement} does not apply: the profile does not list it`,
    );
  }
  return { statuses: result, applied, notes };
}
