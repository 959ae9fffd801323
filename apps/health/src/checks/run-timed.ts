import { errorText } from './error-text';
import type { TargetDefinition } from '../targets/target-definition';
import type { CheckResult } from './check-result';

/**
 * Runs `probe` under the target's timeout (and the scheduler's cancel signal) and turns its outcome
 * into a CheckResult: up when it resolves in time, down with the error otherwise. The probe gets the
 * combined signal so it can tear its connection down when the time is up.
 */
export async function runTimed(
  target: TargetDefinition,
  cancel: AbortSignal | undefined,
  probe: (signal: AbortSignal) => Promise<void>,
): Promise<CheckResult> {
  const checkedAt = new Date();
  const started = performance.now();
  const timeout = AbortSignal.timeout(target.timeoutMs);
  const signal = cancel ? AbortSignal.any([timeout, cancel]) : timeout;
  let error: string | null = null;
  try {
    await new Promise<void>((resolve, reject) => {
      const onAbort = () =>
        reject(new Error(timeout.aborted ? `timed out after ${target.timeoutMs} ms` : 'cancelled'));
      if (signal.aborted) return onAbort();
      signal.addEventListener('abort', onAbort, { once: true });
      probe(signal)
        .then(resolve, reject)
        .finally(() => signal.removeEventListener('abort', onAbort));
    });
  } catch (failure) {
    error = timeout.aborted ? `timed out after ${target.timeoutMs} ms` : errorText(failure);
  }
  return {
    target: target.name,
    ok: error === null,
    statusCode: null,
    responseTimeMs: Math.round((performance.now() - started) * 10) / 10,
    error,
    checkedAt,
  };
}
