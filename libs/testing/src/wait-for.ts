export interface WaitForOptions {
  /** Give up after this many milliseconds (default 10 000). */
  timeoutMs?: number;
  /** Pause between attempts (default 100). */
  intervalMs?: number;
  /** What is awaited, named in the timeout error (default "condition"). */
  description?: string;
}

/** Throw this from a waitFor callback to stop polling at once (e.g. the process being waited on has exited). */
export class GiveUp extends Error {
  override name = 'GiveUp';
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * Polls `fn` until it returns a truthy value without throwing, and returns that value.
 * On timeout throws an Error naming the description and the last error (or last falsy value).
 */
export async function waitFor<T>(fn: () => T | Promise<T>, options: WaitForOptions = {}): Promise<T> {
  const { timeoutMs = 10_000, intervalMs = 100, description = 'condition' } = options;
  const deadline = Date.now() + timeoutMs;
  let last: string;
  for (;;) {
    try {
      const value = await fn();
      if (value) return value;
      last = `last value: ${String(value)}`;
    } catch (err) {
      if (err instanceof GiveUp)
        throw new Error(`Gave up waiting for ${description}: ${err.message}`, { cause: err });
      last = `last error: ${errorMessage(err)}`;
    }
    if (Date.now() >= deadline) {
      throw new Error(`Timed out after ${timeoutMs} ms waiting for ${description} (${last})`);
    }
    await sleep(Math.min(intervalMs, Math.max(0, deadline - Date.now())));
  }
}

/**
 * Resolves with the first item of `items` matching `predicate`, looking at items already there and then at each
 * new one announced through `subscribe`; rejects after `timeoutMs`.
 */
export function waitForItem<T>(
  items: readonly T[],
  subscribe: (listener: (item: T) => void) => () => void,
  predicate: (item: T) => boolean,
  timeoutMs: number,
  description: string,
): Promise<T> {
  const existing = items.find(predicate);
  if (existing !== undefined) return Promise.resolve(existing);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      unsubscribe();
      reject(
        new Error(`Timed out after ${timeoutMs} ms waiting for ${description} (${items.length} received)`),
      );
    }, timeoutMs);
    const unsubscribe = subscribe((item) => {
      if (!safely(predicate, item)) return;
      clearTimeout(timer);
      unsubscribe();
      resolve(item);
    });
  });
}

function safely<T>(predicate: (item: T) => boolean, item: T): boolean {
  try {
    return predicate(item);
  } catch {
    return false;
  }
}
