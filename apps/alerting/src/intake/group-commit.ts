/**
 * Merges concurrent writes into one: `submit()` calls that arrive while a write is in flight are
 * written together by the next one, and each caller resolves (or rejects) with the write that carried
 * its item. Under load this turns N small transactions into one per round trip; alone, a call is
 * written at once.
 */
export class GroupCommit<T> {
  private pending: { item: T; resolve: () => void; reject: (error: unknown) => void }[] = [];
  private inFlight = 0;

  constructor(
    private readonly write: (items: T[]) => Promise<void>,
    /** Writes allowed at once (more than one lets the database use several backends). */
    private readonly maxInFlight = 1,
  ) {}

  submit(item: T): Promise<void> {
    return new Promise((resolve, reject) => {
      this.pending.push({ item, resolve, reject });
      if (this.inFlight < this.maxInFlight) this.flush();
    });
  }

  private flush(): void {
    const batch = this.pending;
    if (batch.length === 0) return;
    this.pending = [];
    this.inFlight++;
    this.write(batch.map((entry) => entry.item)).then(
      () => this.settle(batch, null),
      (error: unknown) => this.settle(batch, error ?? new Error('write failed')),
    );
  }

  private settle(batch: { resolve: () => void; reject: (error: unknown) => void }[], error: unknown): void {
    this.inFlight--;
    for (const entry of batch) {
      if (error === null) entry.resolve();
      else entry.reject(error);
    }
    this.flush();
  }
}
