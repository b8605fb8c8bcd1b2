/**
 * What every evidence log shares: records in order, each with a sequence number; a cap on how many are kept,
 * since a hostile target can flood; and what the cap cut counted and stated, never silently dropped.
 */
export abstract class CappedLog<Entry> {
  readonly #records: Entry[] = [];
  readonly #maxRecords: number;
  #seq = 0;
  #dropped = 0;

  protected constructor(maxRecords: number) {
    this.#maxRecords = maxRecords;
  }

  /** The next record's sequence number, or undefined when the cap is reached (the record is counted as dropped). */
  protected admit(): number | undefined {
    const seq = ++this.#seq;
    if (this.#records.length >= this.#maxRecords) {
      this.#dropped++;
      return undefined;
    }
    return seq;
  }

  protected keep(record: Entry): void {
    this.#records.push(record);
  }

  get records(): readonly Entry[] {
    return this.#records;
  }

  /** records seen but not stored because the record cap was reached */
  get dropped(): number {
    return this.#dropped;
  }

  /** every record, stored or not */
  get total(): number {
    return this.#seq;
  }

  /** JSON Lines; a final line states how many records were dropped, if any */
  toJsonLines(): string {
    const lines = this.#records.map((r) => JSON.stringify(r));
    if (this.#dropped > 0) lines.push(JSON.stringify({ dropped: this.#dropped, reason: `record cap of ${this.#maxRecords} reached` }));
    return lines.length ? lines.join('\n') + '\n' : '';
  }
}
