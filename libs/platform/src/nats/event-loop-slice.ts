import { setImmediate as nextTurn } from 'node:timers/promises';

/**
 * Long synchronous batch work (validating, scrubbing) in a consumer shares the event loop with HTTP answers
 * and probes: `yieldIfDue()` between items hands the loop over once the current slice has run `sliceMs`.
 */
export class EventLoopSlice {
  private started = performance.now();

  constructor(private readonly sliceMs: number) {}

  async yieldIfDue(): Promise<void> {
    if (performance.now() - this.started <= this.sliceMs) return;
    await nextTurn();
    this.started = performance.now();
  }
}
