import type { CheckDeclaration, CheckResult, Level, ResolvedTarget } from '../model/index.js';
import type { ActionChannel } from './action-channel.js';

/**
 * What the main process hands to the check worker for one run (through vitest's provide/inject).
 * It holds the target's secrets; it is never written to a report.
 */
export interface RunContext {
  readonly runId: string;
  /** absolute path of the report directory; checks write evidence/ below it */
  readonly outDir: string;
  readonly mode: 'full' | 'quick';
  readonly profileId: string;
  /** the profile's IRI, when it has one (AAS Part 2 profiles) */
  readonly profileIri?: string;
  readonly target: ResolvedTarget;
  /** resolved parameter values (profile defaults with the target's overrides) */
  readonly parameters: Readonly<Record<string, number>>;
  /** level of every requirement in the catalog, so a check can turn a miss of a SHOULD into WARN */
  readonly levels: Readonly<Record<string, Level>>;
  /** requirement ids the run is restricted to (--only), or null for all of the profile */
  readonly selected: readonly string[] | null;
  /** requirement ids of the profile; a check deciding none of them does not run */
  readonly profileRequirements: readonly string[];
  /** where checks ask the main process to act on the target (restart, disconnect, …) */
  readonly actions: ActionChannel | null;
}

export const RUN_CONTEXT_KEY = 'oi4conformance';

declare module 'vitest' {
  interface ProvidedContext {
    oi4conformance: RunContext;
  }
}

// vitest re-exports TaskMeta from its runner, so the runner's interface is the one to extend
declare module '@vitest/runner' {
  interface TaskMeta {
    /** set at collection: what the check declares */
    oi4check?: CheckDeclaration;
    /** set when the check ends: what it observed */
    oi4result?: CheckResult;
    /** set at collection when --only or the profile leaves the check out */
    oi4deselected?: boolean;
  }
}
