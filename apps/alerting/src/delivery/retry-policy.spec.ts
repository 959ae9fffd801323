import { afterFailure, MAX_RETRY_DELAY_MS, retryDelayMs } from './retry-policy';

describe('retryDelayMs', () => {
  it('waits the base delay after the first failure and doubles after each further one', () => {
    expect([1, 2, 3, 4, 5].map((n) => retryDelayMs(n, 1000))).toEqual([1000, 2000, 4000, 8000, 16000]);
  });

  it('never waits longer than the cap, even after very many failures', () => {
    expect(retryDelayMs(40, 1000)).toBe(MAX_RETRY_DELAY_MS);
    expect(retryDelayMs(10_000, 1000)).toBe(MAX_RETRY_DELAY_MS);
    expect(retryDelayMs(5, 1000, 3000)).toBe(3000);
  });
});

describe('afterFailure', () => {
  const policy = { maxAttempts: 3, baseMs: 500 };

  it('retries with backoff while attempts remain', () => {
    expect(afterFailure(1, true, policy)).toEqual({ kind: 'retry', delayMs: 500 });
    expect(afterFailure(2, true, policy)).toEqual({ kind: 'retry', delayMs: 1000 });
  });

  it('gives up when the last attempt failed', () => {
    expect(afterFailure(3, true, policy)).toEqual({ kind: 'failed' });
  });

  it('gives up at once on a permanent failure', () => {
    expect(afterFailure(1, false, policy)).toEqual({ kind: 'failed' });
  });
});
