import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import type { Gauge } from 'prom-client';

import { SERVICE_CONFIG } from '@vigil/platform';
import { redactString } from '@vigil/redaction';

import type { HealthConfig } from '../config/health-config';
import { leaseRetryDelayMs, TargetLeases } from '../leases/target-leases.service';
import { TargetStateService } from '../state/target-state.service';
import { activeCronOf } from '../targets/active-cron';
import { nextCronTime, type CronSchedule } from '../targets/cron-schedule';
import type { TargetDefinition } from '../targets/target-definition';
import { TargetCatalog, type CatalogChange } from '../targets/target-catalog';
import { HTTP_PHASES } from '../checks/check-result';
import {
  PROBE_DURATION_SECONDS,
  PROBE_HTTP_DURATION_SECONDS,
  PROBE_HTTP_STATUS_CODE,
  PROBE_SSL_EARLIEST_CERT_EXPIRY,
  PROBE_SUCCESS,
} from '../checks/probe-metrics';
import { CertificateExpiryAlerts } from '../certs/cert-expiry-alerts';
import { TargetChecker } from '../checks/target-checker';

/** The first check of a target starts at a random point within this (or its interval, if shorter). */
const MAX_START_SPREAD_MS = 5000;
/** The longest delay a Node timer takes (2^31 - 1 ms); a longer one would fire at once. */
const MAX_TIMER_MS = 2_147_483_647;

/**
 * Checks every target on its own interval (or, for a target with a cron, at its firings), starting at
 * boot. Start times are spread at random so
 * targets sharing an interval do not fire together, and at most HEALTH_MAX_CONCURRENT_CHECKS checks
 * run at once (the rest wait their turn), so hundreds of targets fit on one replica. A target whose
 * previous check is still running or waiting is skipped for that tick. On shutdown the timers stop,
 * running checks are aborted and awaited, and their results are dropped.
 */
@Injectable()
export class CheckScheduler implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(CheckScheduler.name);
  /** The start timeout, then the interval, of each scheduled target. */
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private unsubscribe: (() => void) | null = null;
  private readonly running = new Map<string, Promise<void>>();
  private readonly stopping = new AbortController();
  private readonly retries = new Set<NodeJS.Timeout>();
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(
    private readonly catalog: TargetCatalog,
    @Inject(SERVICE_CONFIG) private readonly config: HealthConfig,
    private readonly checker: TargetChecker,
    private readonly leases: TargetLeases,
    private readonly states: TargetStateService,
    @InjectMetric(PROBE_SUCCESS) private readonly probeSuccess: Gauge<string>,
    @InjectMetric(PROBE_DURATION_SECONDS) private readonly probeDuration: Gauge<string>,
    @InjectMetric(PROBE_HTTP_STATUS_CODE) private readonly httpStatus: Gauge<string>,
    @InjectMetric(PROBE_HTTP_DURATION_SECONDS) private readonly httpDuration: Gauge<string>,
    @InjectMetric(PROBE_SSL_EARLIEST_CERT_EXPIRY) private readonly certExpiry: Gauge<string>,
    private readonly certificates: CertificateExpiryAlerts,
  ) {}

  onApplicationBootstrap(): void {
    const targets = this.catalog.list();
    for (const target of targets) this.schedule(target);
    this.unsubscribe = this.catalog.onChange((change) => this.follow(change));
    this.logger.log({ targets: targets.length }, 'checks scheduled');
  }

  async onModuleDestroy(): Promise<void> {
    this.unsubscribe?.();
    for (const timer of [...this.timers.values(), ...this.retries]) clearInterval(timer);
    this.timers.clear();
    this.stopping.abort();
    for (const release of this.waiting.splice(0)) release();
    await Promise.all(this.running.values());
    await this.leases.releaseAll();
  }

  /** A target added or replaced at run time is (re)scheduled; a removed one stops being checked. */
  private follow(change: CatalogChange): void {
    if (this.stopping.signal.aborted) return;
    const name = change.kind === 'put' ? change.target.name : change.name;
    const timer = this.timers.get(name);
    if (timer) clearInterval(timer);
    this.timers.delete(name);
    if (change.kind === 'put') this.schedule(change.target);
  }

  /**
   * Starts a target's checks at a random offset, then every interval. Targets that are not checked
   * actively (`checkedActively` false: heartbeats, which are pushed to) are left alone.
   */
  private schedule(target: TargetDefinition): void {
    if (!isCheckedActively(target)) return;
    const cron = activeCronOf(target);
    if (cron !== null) return this.scheduleCron(target, cron);
    const offset = Math.floor(Math.random() * Math.min(target.intervalMs, MAX_START_SPREAD_MS));
    const start = setTimeout(() => {
      const timer = setInterval(() => this.tick(target), target.intervalMs);
      timer.unref();
      this.timers.set(target.name, timer);
      this.tick(target);
    }, offset);
    start.unref();
    this.timers.set(target.name, start);
  }

  /**
   * Checks a cron-scheduled target at each firing (in its time zone), not spread: the query runs when its
   * owner asked. Delays beyond what a Node timer holds (~24.8 days) are waited in steps.
   */
  private scheduleCron(target: TargetDefinition, cron: CronSchedule): void {
    const next = nextCronTime(cron, new Date()).getTime();
    const wait = (): void => {
      const remaining = next - Date.now();
      const timer = setTimeout(
        () => {
          if (remaining > MAX_TIMER_MS) return wait();
          this.scheduleCron(target, cron);
          this.tick(target);
        },
        Math.max(0, Math.min(remaining, MAX_TIMER_MS)),
      );
      timer.unref();
      this.timers.set(target.name, timer);
    };
    wait();
  }

  /**
   * One scheduled check. A target whose lease another replica holds is retried once after half an
   * interval (a `retry` tick), so a dead replica's targets move within two intervals; a cron target is
   * retried just after the dead owner's lease would expire, so that firing's check still runs.
   */
  private tick(target: TargetDefinition, retry = false): void {
    if (this.stopping.signal.aborted || this.running.has(target.name)) return;
    const run = this.checkOnce(target)
      .then((outcome) => {
        if (outcome !== 'not-owner' || retry || this.stopping.signal.aborted) return;
        const timer = setTimeout(() => {
          this.retries.delete(timer);
          this.tick(target, true);
        }, leaseRetryDelayMs(target));
        timer.unref();
        this.retries.add(timer);
      })
      .catch((error: unknown) =>
        this.logger.error(
          { target: target.name, error: redactString(String(error)) },
          'check failed unexpectedly',
        ),
      )
      .finally(() => this.running.delete(target.name));
    this.running.set(target.name, run);
  }

  /** Waits for a free slot among HEALTH_MAX_CONCURRENT_CHECKS; resolves at once on shutdown. */
  private async acquire(): Promise<void> {
    if (this.active < this.config.HEALTH_MAX_CONCURRENT_CHECKS || this.stopping.signal.aborted) {
      this.active += 1;
      return;
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.active += 1;
  }

  private release(): void {
    this.active -= 1;
    this.waiting.shift()?.();
  }

  private async checkOnce(target: TargetDefinition): Promise<'checked' | 'not-owner' | 'stopped'> {
    if (!(await this.leases.holds(target))) return 'not-owner';
    await this.acquire();
    let result;
    try {
      if (this.stopping.signal.aborted) return 'stopped';
      result = await this.checker.check(target, this.stopping.signal);
    } finally {
      this.release();
    }
    if (this.stopping.signal.aborted) return 'stopped';
    this.probeSuccess.set({ target: target.name }, result.ok ? 1 : 0);
    this.probeDuration.set({ target: target.name }, result.responseTimeMs / 1000);
    if (target.kind === 'http') {
      this.httpStatus.set({ target: target.name }, result.statusCode ?? 0);
      for (const phase of HTTP_PHASES)
        this.httpDuration.set({ target: target.name, phase }, (result.phases?.[phase] ?? 0) / 1000);
    }
    if (result.certExpiresAt instanceof Date)
      this.certExpiry.set({ target: target.name }, Math.floor(result.certExpiresAt.getTime() / 1000));
    await this.states.record(target, result);
    await this.certificates.observe(target, result);
    return 'checked';
  }
}

/** Kinds that are pushed to (heartbeats ping the service) rather than checked on an interval. */
const PUSHED_KINDS: ReadonlySet<string> = new Set(['heartbeat']);

export function isCheckedActively(target: TargetDefinition): boolean {
  return !PUSHED_KINDS.has(target.kind);
}
