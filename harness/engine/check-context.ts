import { mqttTargetOf, secretsOf, type Decision, type MqttTarget, type ResolvedTarget } from '../model/index.js';
import type { ActionName } from '../targets/actions.js';
import { requestAction } from './action-channel.js';
import { HarRecorder, MqttLog, OpcUaLog, type Redactor } from '../evidence/index.js';
import { DecisionBook } from './decisions.js';
import type { RunContext } from './run-context.js';

/** Thrown to end a check early; the engine turns it into NA or NOT_EXECUTED for what is undecided. */
export class CheckEnd extends Error {
  override readonly name = 'CheckEnd';
  constructor(
    readonly outcome: 'NA' | 'NOT_EXECUTED',
    readonly reason: string,
    readonly requirements: readonly string[] | undefined,
  ) {
    super(reason);
  }
}

/** What a suite author's check body receives. */
export interface CheckContext {
  readonly checkId: string;
  readonly target: ResolvedTarget;
  /** the target's MQTT side; reading it on a target without a broker ends the check with ERROR (a suite defect) */
  readonly mqtt: MqttTarget;
  readonly parameters: Readonly<Record<string, number>>;
  readonly mode: 'full' | 'quick';
  /** aborted when the check's time is up: pass it to every wait */
  readonly signal: AbortSignal;
  readonly redact: Redactor;
  /** the MQTT evidence of this check; protocol clients record every message sent and received into it */
  readonly mqttLog: MqttLog;
  /** the OPC UA evidence of this check: one summarised record per service call */
  readonly opcuaLog: OpcUaLog;
  /** the HTTP evidence of this check (HAR, credentials redacted); the AAS client records every exchange into it */
  readonly httpLog: HarRecorder;
  /** the profile being run, by id and IRI (a suite shared by several profiles adapts to the one it serves) */
  readonly profile: { readonly id: string; readonly iri?: string };
  /** true when this check declares the requirement (shared helpers decide only what the check declares) */
  declares(requirement: string): boolean;
  /**
   * Has the target perform an action (restart, disconnect, start, stop) and resolves once it is done. When
   * nobody can perform it here, the check ends NOT_EXECUTED with the reason; when it fails, ERROR.
   */
  action(name: ActionName): Promise<void>;
  /** a named parameter's value; a typo is a suite defect and throws */
  parameter(name: string): number;
  /** the requirement is met; `information` says how, when that is worth knowing (a superset profile, say) */
  pass(requirement: string, information?: string): void;
  /** the requirement is not met: FAIL for a MUST, WARN for a SHOULD or MAY. Say what was expected, what was seen and where. */
  fail(requirement: string, message: string): void;
  /** PASS when there are no problems, else a violation listing them */
  verify(requirement: string, problems: readonly string[]): void;
  /** quick mode: leave one requirement to a full run (it shows as deferred and does not count) */
  defer(requirement: string): void;
  /** decide one requirement NA without ending the check */
  notApplicableTo(requirement: string, reason: string): void;
  /** end the check: the given (or all undecided) requirements do not apply to this target */
  notApplicable(reason: string, requirements?: readonly string[]): never;
  /** end the check: the given (or all undecided) requirements could not be decided */
  notExecuted(reason: string, requirements?: readonly string[]): never;
}

export function createCheckContext(options: {
  checkId: string;
  requirements: readonly string[];
  run: RunContext;
  signal: AbortSignal;
  redact: Redactor;
}): { context: CheckContext; book: DecisionBook } {
  const { run, redact } = options;
  const book = new DecisionBook(options.requirements, run.levels);
  const context: CheckContext = {
    checkId: options.checkId,
    target: run.target,
    get mqtt() {
      return mqttTargetOf(run.target);
    },
    parameters: run.parameters,
    mode: run.mode,
    signal: options.signal,
    redact,
    mqttLog: new MqttLog(redact),
    opcuaLog: new OpcUaLog(redact),
    httpLog: new HarRecorder({ secrets: secretsOf(run.target) }),
    profile: { id: run.profileId, ...(run.profileIri !== undefined && { iri: run.profileIri }) },
    declares: (requirement) => options.requirements.includes(requirement),
    async action(name) {
      const outcome = await requestAction(run.actions, name, options.signal);
      if (outcome.performed) return;
      if (outcome.kind === 'unavailable') throw new CheckEnd('NOT_EXECUTED', redact(outcome.reason), undefined);
      throw new Error(redact(outcome.reason));
    },
    parameter(name) {
      const value = run.parameters[name];
      if (value === undefined) throw new Error(`check ${options.checkId} asked for parameter "${name}", which the profile does not define`);
      return value;
    },
    pass: (requirement, information) => book.record(requirement, 'PASS', information ? redact(`information: ${information}`) : ''),
    fail: (requirement, message) => book.record(requirement, book.violation(requirement), redact(message)),
    verify(requirement, problems) {
      if (problems.length === 0) book.record(requirement, 'PASS');
      else for (const problem of problems) book.record(requirement, book.violation(requirement), redact(problem));
    },
    notApplicableTo: (requirement, reason) => book.record(requirement, 'NA', redact(reason)),
    defer: (requirement) => book.defer(requirement, 'quick mode: this part waits on the clock; run with --mode full to decide it'),
    notApplicable(reason, requirements) {
      throw new CheckEnd('NA', redact(reason), requirements);
    },
    notExecuted(reason, requirements) {
      throw new CheckEnd('NOT_EXECUTED', redact(reason), requirements);
    },
  };
  return { context, book };
}

/** Closes the book after the body ended, however it ended. */
export function settleDecisions(book: DecisionBook, checkId: string, ending: unknown, redact: Redactor): Decision[] {
  if (ending instanceof CheckEnd) {
    // an id the check does not declare cannot be decided by it; the undecided rest is handled below
    const targets = (ending.requirements ?? book.undecided()).filter((id) => book.declares(id));
    for (const id of targets) if (!book.has(id)) book.record(id, ending.outcome, ending.reason);
    for (const id of book.undecided()) book.record(id, 'NOT_EXECUTED', `not reached: ${ending.reason}`);
  } else if (ending !== undefined) {
    const message = ending instanceof Error ? ending.message : String(ending);
    for (const id of book.undecided()) book.record(id, 'ERROR', redact(`check ${checkId} stopped: ${message}`));
  } else {
    // a check that finishes without deciding a requirement it declares is a defect of the suite, never a pass
    for (const id of book.undecided()) book.record(id, 'ERROR', `check ${checkId} ended without deciding ${id} (suite defect)`);
  }
  return book.toDecisions();
}
