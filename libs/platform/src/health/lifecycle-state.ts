import { Injectable } from '@nestjs/common';

/** Where the process is in its life: booting, serving, or draining after SIGTERM. */
@Injectable()
export class LifecycleState {
  private startedAt = Date.now();
  private started = false;
  private drainingSince: number | null = null;

  markStarted(): void {
    this.started = true;
  }

  markDraining(): void {
    this.drainingSince ??= Date.now();
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
