import { Injectable } from '@nestjs/common';

/** Where the process is in its life: booting, serving, or draining after SIGTERM. */
@Injectable()
export class LifecycleState {
  private startedAt = Date.now();
  private started = false;
  private drainingSince: number | null = null;
  private readonly drainingListeners: ((since: number) => void)[] = [];

  markStarted(): void {
    this.started = true;
  }

  markDraining(): void {
    if (this.drainingSince !== null) return;
    this.drainingSince = Date.now();
    for (const listener of this.drainingListeners) listener(this.drainingSince);
  }

  /** Called once, synchronously, when draining starts (e.g. to turn another listener's readiness 503). */
  onDraining(listener: (since: number) => void): void {
    this.drainingListeners.push(listener);
  }

  get isStarted(): boolean {
    return this.started;
  }

  get isDraining(): boolean {
    return this.drainingSince !== null;
  }

  /** Milliseconds since SIGTERM, or 0 when not draining. */
  drainingForMs(): number {
    return this.drainingSince === null ? 0 : Date.now() - this.drainingSince;
  }

  uptimeSeconds(): number {
    return Math.round((Date.now() - this.startedAt) / 1000);
  }
}
