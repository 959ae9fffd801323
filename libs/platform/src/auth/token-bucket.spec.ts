import { TokenBuckets } from './token-bucket';

describe('TokenBuckets', () => {
  it('allows a burst, then refills at the rate, per key', () => {
    let now = 0;
    const buckets = new TokenBuckets(() => now);
    const take = (name: string) => buckets.take(name, 2, 3);
    expect([take('a'), take('a'), take('a')]).toEqual([0, 0, 0]);
    expect(take('a')).toBe(1);
    expect(take('b')).toBe(0);
    now += 500;
    expect(take('a')).toBe(0);
    expect(take('a')).toBe(1);
    now += 10_000;
    expect([take('a'), take('a'), take('a'), take('a')]).toEqual([0, 0, 0, 1]);
  });

  it('says how many whole seconds until the next token, with each key its own rate', () => {
    const buckets = new TokenBuckets(() => 0);
    expect(buckets.take('slow', 0.1, 1)).toBe(0);
    expect(buckets.take('slow', 0.1, 1)).toBe(10);
    for (let i = 0; i < 50; i++) expect(buckets.take('fast', 100, 50)).toBe(0);
    expect(buckets.take('fast', 100, 50)).toBe(1);
  });

  it('takes back a refunded token, never past the burst', () => {
    const buckets = new TokenBuckets(() => 0);
    expect([buckets.take('a', 1, 2), buckets.take('a', 1, 2), buckets.take('a', 1, 2)]).toEqual([0, 0, 1]);
    buckets.refund('a', 2);
    expect(buckets.take('a', 1, 2)).toBe(0);
    buckets.refund('a', 2);
    buckets.refund('a', 2);
    buckets.refund('a', 2);
    expect([buckets.take('a', 1, 2), buckets.take('a', 1, 2), buckets.take('a', 1, 2)]).toEqual([0, 0, 1]);
  });
});
