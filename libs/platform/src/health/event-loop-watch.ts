import { Injectable, OnModuleDestroy } from '@nestjs/common';

/**
 * Measures how long the event loop has been unable to run a timer. A loop blocked for longer than
 * the threshold makes liveness fail, so Kubernetes restarts a wedged process, and nothing else does.
 */
@Injectable()
export class EventLoopWatch implements OnModuleDestroy {
  private static readonly TICK_MS = 200;
  private lastTick = Date.now();
  private worstLagMs = 0;
  private readonly timer = setInterval(() => this.tick(), EventLoopWatch.TICK_MS).unref();

  private tick(): void {
    const now = Date.now();
    this.worstLagMs = Math.max(0, now - this.lastTick - EventLoopWatch.TICK_MS);
    this.lastTick = now;
  }

  /** Current lag: the last measured one, or the time since the last tick if the loop is stuck right now. */
  lagMs(): number {
    return Math.max(this.worstLagMs, Date.now() - this.lastTick - EventLoopWatch.TICK_MS, 0);
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }
}
