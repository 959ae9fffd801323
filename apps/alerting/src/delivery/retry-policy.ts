/** Longest wait between two attempts, however many have failed. */
export const MAX_RETRY_DELAY_MS = 60 * 60 * 1000;

/** Exponential backoff: `baseMs` after the first failure, doubling after each further one, capped. */
export function retryDelayMs(failedAttempts: number, baseMs: number, capMs = MAX_RETRY_DELAY_MS): number {
  const exponent = Math.max(0, failedAttempts - 1);
  return Math.min(capMs, baseMs * 2 ** Math.min(exponent, 30));
}

export type FailureOutcome = { kind: 'retry'; delayMs: number } | { kind: 'failed' };

/**
 * What to do after attempt number `attempts` failed: retry later with backoff, or give up when the
 * attempts are used up or the failure is permanent (the receiver rejected the request itself).
 */
export function afterFailure(
  attempts: number,
  retriable: boolean,
  policy: { maxAttempts: number; baseMs: number },
): FailureOutcome {
  if (!retriable || attempts >= policy.maxAttempts) return { kind: 'failed' };
  return { kind: 'retry', delayMs: retryDelayMs(attempts, policy.baseMs) };
}
