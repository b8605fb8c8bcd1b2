import type { Outcome } from './outcome.js';

/** What one check decided about one requirement. */
export interface Decision {
  readonly requirement: string;
  readonly outcome: Outcome;
  /** for PASS empty or information ("information: …"); otherwise expected vs seen and where */
  readonly message: string;
  /** quick mode left this undecided on purpose: shown, but not counted in a quick verdict */
  readonly deferred?: boolean;
}

export interface EvidenceFile {
  /** path relative to the report directory, e.g. evidence/oi4.get-pub.mam.summarised.jsonl */
  readonly file: string;
  readonly sha256: string;
  readonly records: number;
  /** records not stored because a cap was reached */
  readonly dropped: number;
}

/** The static declaration of a check, known at collection time. */
export interface CheckDeclaration {
  /** stable, dotted, lowercase: oi4.get-pub.mam.summarised */
  readonly id: string;
  /** the rule in plain words */
  readonly title: string;
  /** requirement ids this check decides */
  readonly requirements: readonly string[];
  /**
   * The optional group the check belongs to: it runs only when the target claims the group. It may still
   * declare mandatory requirements (the envelope of the group's answers), which it decides only when it runs.
   */
  readonly group?: string;
  /** checks that must wait on the clock (heartbeats, lifecycle): skipped in quick mode */
  readonly slow?: boolean;
  /**
   * Parameters the check waits on (a name may repeat): its time limit is checkTimeoutMs plus their sum,
   * so a check that must see three 60 s heartbeats is not cut off at 30 s.
   */
  readonly waits?: readonly string[];
}

/** What a check observed, sent from the check worker to the main process. */
export interface CheckResult extends CheckDeclaration {
  /** suite file relative to the project root */
  readonly suite: string;
  readonly outcome: Outcome;
  readonly message: string;
  readonly decisions: readonly Decision[];
  readonly durationMs: number;
  readonly evidence: readonly EvidenceFile[];
}
