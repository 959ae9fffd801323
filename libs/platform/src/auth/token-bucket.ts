/**
 * In-memory token buckets, one per key name: `burst` requests at once, refilled at `ratePerSecond`
 * (both given with each request, so a key may have its own). Per replica: with n replicas behind a
 * Service a key may make up to n times the rate.
 */
export class TokenBuckets {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly now: () => number = Date.now,
    private readonly maxKeys = 10_000,
  ) {}

  /** Takes one token for `name`: 0 when allowed, else the whole seconds until one is available. */
  take(name: string, ratePerSecond: number, burst: number): number {
    const bucket = this.refill(name, ratePerSecond, burst);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - bucket.tokens) / ratePerSecond));
  }

  /** Gives back a token taken for work that turned out not to count (never past `burst`). */
  refund(name: string, burst: number): void {
    const bucket = this.buckets.get(name);
    if (bucket) bucket.tokens = Math.min(burst, bucket.tokens + 1);
  }

  private refill(name: string, ratePerSecond: number, burst: number): { tokens: number; at: number } {
    const now = this.now();
    const bucket = this.buckets.get(name) ?? { tokens: burst, at: now };
    bucket.tokens = Math.min(burst, bucket.tokens + ((now - bucket.at) / 1000) * ratePerSecond);
    bucket.at = now;
    this.buckets.delete(name);
    this.buckets.set(name, bucket);
    if (this.buckets.size > this.maxKeys) this.buckets.delete(this.buckets.keys().next().value as string);
    return bucket;
  }
}
