import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';

import { redactString } from '@vigil/redaction';

import { SERVICE_CONFIG } from '../config/config.tokens';
import type { PlatformConfig } from '../config/platform-config';
import { errorMessage } from '../errors/error-message';

export type DependencyStatus = 'up' | 'down' | 'unknown';

/** Figures a component shows beside its status in /health/detailed (e.g. a queue's length). */
export type DependencyDetails = Record<string, number | string | boolean | null>;

export interface DependencyCheck {
  /** Component name shown in probes, e.g. `nats`, `postgres`. */
  name: string;
  /** Resolves when the dependency answers; throws (or hangs past the timeout) when it does not. */
  run(): Promise<void>;
  /** Whether readiness depends on it (default true). */
  critical?: boolean;
  timeoutMs?: number;
  /** What it shows as `details` in /health/detailed, read when that is answered (keep it cheap). */
  details?: () => DependencyDetails;
}

export interface DependencyState {
  name: string;
  status: DependencyStatus;
  critical: boolean;
  response_time_ms: number | null;
  checked_at: string | null;
  last_error: string | null;
  details?: DependencyDetails;
}

/**
 * Runs every registered dependency check in the background on an interval, each with its own
 * timeout, and keeps the last result. Probes read this cache, so a probe never waits on NATS or
 * Postgres, even when one of them hangs.
 */
@Injectable()
export class DependencyMonitor implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(DependencyMonitor.name);
  private readonly checks = new Map<string, RegisteredCheck>();
  private readonly states = new Map<string, DependencyState>();
  private readonly inFlight = new Set<string>();
  private timer: NodeJS.Timeout | null = null;
  private changes = 0;

  constructor(@Inject(SERVICE_CONFIG) private readonly config: PlatformConfig) {}

  register(check: DependencyCheck): void {
    const full = { critical: true, timeoutMs: this.config.HEALTH_CHECK_TIMEOUT_MS, ...check };
    this.checks.set(check.name, full);
    this.changes += 1;
    this.states.set(check.name, {
      name: check.name,
      status: 'unknown',
      critical: full.critical,
      response_time_ms: null,
      checked_at: null,
      last_error: null,
    });
  }

  onApplicationBootstrap(): void {
    void this.runAll();
    this.timer = setInterval(() => void this.runAll(), this.config.HEALTH_CHECK_INTERVAL_MS);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** Bumped on every recorded result: readers may cache what they derive from a snapshot until it changes. */
  get version(): number {
    return this.changes;
  }

  snapshot(): DependencyState[] {
    return [...this.states.values()].map((s) => {
      const details = this.checks.get(s.name)?.details;
      return details ? { ...s, details: details() } : { ...s };
    });
  }

  /** Critical components that are not up (unknown counts as not up: readiness waits for a first pass). */
  failing(): DependencyState[] {
    return [...this.states.values()].filter((s) => s.critical && s.status !== 'up').map((s) => ({ ...s }));
  }

  async runAll(): Promise<void> {
    await Promise.all([...this.checks.values()].map((check) => this.runOne(check)));
  }

  private async runOne(check: RegisteredCheck): Promise<void> {
    // A check still pending from an earlier pass (a hung dependency) is not stacked again;
    // its timeout already marked the component down.
    if (this.inFlight.has(check.name)) return;
    this.inFlight.add(check.name);
    const started = performance.now();
    const attempt = check.run();
    try {
      await withTimeout(
        attempt,
        check.timeoutMs,
        `${check.name} check timed out after ${check.timeoutMs} ms`,
      );
      this.record(check.name, 'up', started, null);
    } catch (error) {
      this.record(check.name, 'down', started, errorMessage(error));
    } finally {
      void attempt.catch(() => undefined).finally(() => this.inFlight.delete(check.name));
    }
  }

  private record(name: string, status: DependencyStatus, started: number, error: string | null): void {
    const previous = this.states.get(name);
    if (!previous) return;
    if (previous.status !== status && previous.status !== 'unknown') {
      const fields = { component: name, from: previous.status, to: status };
      if (status === 'down') this.logger.warn({ ...fields, error }, 'dependency down');
      else this.logger.log(fields, 'dependency recovered');
    }
    this.changes += 1;
    this.states.set(name, {
      ...previous,
      status,
      response_time_ms: Math.round((performance.now() - started) * 10) / 10,
      checked_at: new Date().toISOString(),
      last_error: error === null ? (status === 'up' ? null : previous.last_error) : redactString(error),
    });
  }
}

type RegisteredCheck = Required<Omit<DependencyCheck, 'details'>> & Pick<DependencyCheck, 'details'>;

function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
