/**
 * Merges concurrent writes into one: `submit()` calls that arrive while a write is in flight are
 * written together by the next one, and each caller resolves (or rejects) with the write that carried
 * its item. Under load this turns N small transactions into one per round trip; alone, a call is
 * written at once, or after `lingerMs` when the caller prefers fewer writes to an early one.
 */
export class GroupCommit<T> {
  private pending: { item: T; resolve: () => void; reject: (error: unknown) => void }[] = [];
  private inFlight = 0;
  private lingering: NodeJS.Timeout | null = null;

  constructor(
    private readonly write: (items: T[]) => Promise<void>,
    /** Writes allowed at once (more than one lets the database use several backends). */
    private readonly maxInFlight = 1,
    /** How long an item arriving when no write is in flight waits for others to join it. */
    private readonly lingerMs = 0,
  ) {}

  submit(item: T): Promise<void> {
    return new Promise((resolve, reject) => {
      this.pending.push({ item, resolve, reject });
      if (this.inFlight >= this.maxInFlight || this.lingering) return;
      if (this.lingerMs <= 0) return this.flush();
      this.lingering = setTimeout(() => {
        this.lingering = null;
        this.flush();
      }, this.lingerMs);
    });
  }

  /** Writes what is waiting now (shutdown), and resolves once every write in flight has settled. */
  async close(): Promise<void> {
    if (this.lingering) clearTimeout(this.lingering);
    this.lingering = null;
    if (this.inFlight < this.maxInFlight) this.flush();
    while (this.inFlight > 0 || this.pending.length > 0) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  private flush(): void {
    const batch = this.pending;
    if (batch.length === 0 || this.lingering) return;
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
