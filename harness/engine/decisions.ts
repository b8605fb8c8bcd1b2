import { worstOutcome, type Decision, type Level, type Outcome } from '../model/index.js';

/** How many distinct messages one requirement keeps within one check. */
const MAX_MESSAGES = 5;

interface Entry {
  outcome: Outcome;
  deferred?: boolean;
  messages: string[];
  /** distinct messages beyond the ones kept */
  omitted: Set<string>;
}

/**
 * The decisions of one check, per requirement. A miss of a MUST is FAIL, of a SHOULD or MAY is WARN.
 * Several decisions on the same requirement keep the worst outcome and its messages.
 */
export class DecisionBook {
  readonly #entries = new Map<string, Entry>();

  constructor(
    private readonly declared: readonly string[],
    private readonly levels: Readonly<Record<string, Level>>,
  ) {}

  /** quick mode leaves the requirement undecided on purpose (shown, not counted) */
  defer(requirement: string, message: string): void {
    this.record(requirement, 'NOT_EXECUTED', message);
    const entry = this.#entries.get(requirement)!;
    if (entry.outcome === 'NOT_EXECUTED') entry.deferred = true;
  }

  record(requirement: string, outcome: Outcome, message = ''): void {
    if (!this.declared.includes(requirement)) {
      throw new Error(`check decided ${requirement}, which it does not declare (declared: ${this.declared.join(', ')})`);
    }
    const entry = this.#entries.get(requirement);
    if (!entry) {
      this.#entries.set(requirement, { outcome, messages: message ? [message] : [], omitted: new Set() });
      return;
    }
    const worst = worstOutcome([entry.outcome, outcome])!;
    if (worst !== entry.outcome) {
      // the new outcome is worse: its message explains the requirement now
      entry.outcome = worst;
      entry.messages = message ? [message] : [];
      entry.omitted = new Set();
    } else if (outcome === worst && message && !entry.messages.includes(message)) {
      if (entry.messages.length < MAX_MESSAGES) entry.messages.push(message);
      else entry.omitted.add(message);
    }
  }

  /** the outcome a violation of this requirement earns */
  violation(requirement: string): Outcome {
    return this.levels[requirement] === 'MUST' ? 'FAIL' : 'WARN';
  }

  declares(requirement: string): boolean {
    return this.declared.includes(requirement);
  }

  has(requirement: string): boolean {
    return this.#entries.has(requirement);
  }

  undecided(): string[] {
    return this.declared.filter((id) => !this.#entries.has(id));
  }

  toDecisions(): Decision[] {
    return this.declared
      .filter((id) => this.#entries.has(id))
      .map((id) => {
        const entry = this.#entries.get(id)!;
        const more = entry.omitted.size ? ` (and ${entry.omitted.size} more)` : '';
        return { requirement: id, outcome: entry.outcome, message: entry.messages.join('; ') + more, ...(entry.deferred && { deferred: true }) };
      });
  }
}
