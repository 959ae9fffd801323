import { monitorEventLoopDelay } from 'node:perf_hooks';

/** The longest the event loop was blocked while `work` ran, in ms (sampled every 5 ms). */
export async function measureEventLoopBlock<T>(
  work: () => Promise<T>,
): Promise<{ result: T; maxBlockMs: number }> {
  const histogram = monitorEventLoopDelay({ resolution: 5 });
  histogram.enable();
  try {
    const result = await work();
    // One more turn of the loop, so a block at the very end of `work` is sampled too.
    await new Promise((resolve) => setTimeout(resolve, 10));
    return { result, maxBlockMs: histogram.max / 1e6 };
  } finally {
    histogram.disable();
  }
}

/**
 * Runs `work` and fails when it blocked the event loop for more than `limitMs`. A block is retried
 * `attempts - 1` more times before it counts: work that blocks does so every time, while a 2-core
 * machine running other suites sometimes takes the CPU away from this process for as long.
 */
export async function expectNoEventLoopBlock<T>(
  what: string,
  work: () => Promise<T>,
  { limitMs = 100, attempts = 3 }: { limitMs?: number; attempts?: number } = {},
): Promise<T> {
  const seen: number[] = [];
  for (let attempt = 1; ; attempt++) {
    const { result, maxBlockMs } = await measureEventLoopBlock(work);
    if (maxBlockMs <= limitMs) return result;
    seen.push(Math.round(maxBlockMs));
    if (attempt >= attempts) {
      throw new Error(
        `${what} blocked the event loop for ${seen.join(', ')} ms in ${attempts} runs (limit ${limitMs} ms)`,
      );
    }
  }
}
