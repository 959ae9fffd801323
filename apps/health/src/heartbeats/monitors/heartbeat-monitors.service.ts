import { Inject, Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { randomBytes } from 'node:crypto';

import type { TargetStatus } from '@vigil/contracts';
import { errorMessage, SERVICE_CONFIG } from '@vigil/platform';
import { redactString } from '@vigil/redaction';

import { publicUrlOf, type HealthConfig } from '../../config/health-config';
import type { HeartbeatTarget } from '../../targets/heartbeat-definition';
import { TargetCatalog } from '../../targets/target-catalog';
import { describeValueCondition } from '../../targets/value-condition';
import { nextDueAt } from '../evaluation/heartbeat-rules';
import {
  HeartbeatMonitorRepository,
  type MonitorDetails,
  type MonitorOrigin,
} from './heartbeat-monitor.repository';
import { parseMonitorBody, type MonitorBodyProblem } from './monitor-body';

/** How often a replica picks up monitors other replicas created or deleted. */
export const MONITOR_REFRESH_MS = 10_000;

/** A monitor as GET /api/heartbeats shows it (snake_case, times ISO-8601). */
export interface HeartbeatMonitorView {
  name: string;
  origin: MonitorOrigin;
  schedule: { period_s: number } | { cron: string; timezone: string };
  grace_s: number;
  min_duration_s: number | null;
  max_duration_s: number | null;
  value: string | null;
  status: TargetStatus;
  since: string | null;
  last_error: string | null;
  last_ping_at: string | null;
  last_success_at: string | null;
  /** When the next success is expected; late once grace_s has passed after it. */
  next_due_at: string;
  created_at: string;
  /** The URL the job pings (its token is the credential): shown to keys with monitors:write only. */
  ping_url?: string;
}

export class InvalidMonitorError extends Error {
  constructor(readonly problem: MonitorBodyProblem) {
    super(problem.message);
  }
}
export class MonitorConflictError extends Error {}
export class MonitorNotFoundError extends Error {}

/**
 * Heartbeat monitors: the targets file's are written into heartbeat_monitors at boot (each gets a token:
 * configured, or generated once and kept), the API's are created and deleted there, and every replica
 * puts the API's into the TargetCatalog at boot and every 10 s. A create or delete goes through the
 * catalog too, whose listeners (evaluator, ping token index) see it at once on this replica.
 */
@Injectable()
export class HeartbeatMonitors implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(HeartbeatMonitors.name);
  /** The targets file's monitors, captured before any API monitor enters the catalog. */
  private readonly fileMonitors: HeartbeatTarget[];
  /** Names of the API monitors this replica has put into the catalog. */
  private readonly apiNames = new Set<string>();
  private fileSynced = false;
  private timer: NodeJS.Timeout | null = null;
  private refreshing: Promise<void> | null = null;

  constructor(
    private readonly catalog: TargetCatalog,
    private readonly repository: HeartbeatMonitorRepository,
    @Inject(SERVICE_CONFIG) private readonly config: HealthConfig,
  ) {
    this.fileMonitors = catalog.list().filter((t): t is HeartbeatTarget => t.kind === 'heartbeat');
  }

  async onModuleInit(): Promise<void> {
    await this.refresh();
    this.timer = setInterval(() => void this.refresh(), MONITOR_REFRESH_MS);
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.refreshing;
  }

  /** Syncs the file's monitors (until that succeeded once) and follows the API's; never throws. */
  refresh(): Promise<void> {
    this.refreshing ??= this.syncAndLoad()
      .catch((error: unknown) =>
        this.logger.error({ error: redactString(errorMessage(error)) }, 'heartbeat monitors not refreshed'),
      )
      .finally(() => {
        this.refreshing = null;
      });
    return this.refreshing;
  }

  async create(body: unknown, showPingUrl: boolean): Promise<HeartbeatMonitorView> {
    const parsed = parseMonitorBody(body);
    if (!parsed.ok) throw new InvalidMonitorError(parsed.problem);
    const { target, definition } = parsed;
    if (this.catalog.get(target.name))
      throw new MonitorConflictError(`a target named ${target.name} exists already`);
    const token = generateToken();
    if (!(await this.repository.insertApiMonitor(target.name, token, definition)))
      throw new MonitorConflictError(`a heartbeat monitor named ${target.name} exists already`);
    this.apiNames.add(target.name);
    this.catalog.put(target);
    this.logger.log({ monitor: target.name }, 'heartbeat monitor created');
    return this.get(target.name, showPingUrl);
  }

  async remove(name: string): Promise<void> {
    const outcome = await this.repository.deleteApiMonitor(name);
    if (outcome === 'file' || (outcome === 'missing' && this.fileMonitors.some((t) => t.name === name)))
      throw new MonitorConflictError(`${name} is defined in the targets file; remove it there`);
    if (outcome === 'missing') throw new MonitorNotFoundError(`no heartbeat monitor named ${name}`);
    this.apiNames.delete(name);
    this.catalog.remove(name);
    this.logger.log({ monitor: name }, 'heartbeat monitor deleted');
  }

  async list(showPingUrl: boolean): Promise<HeartbeatMonitorView[]> {
    const targets = this.heartbeats();
    const details = await this.repository.details(targets.map((t) => t.name));
    return targets.flatMap((target) => {
      const row = details.get(target.name);
      return row ? [this.view(target, row, showPingUrl)] : [];
    });
  }

  async get(name: string, showPingUrl: boolean): Promise<HeartbeatMonitorView> {
    const target = this.catalog.get(name);
    const row = target?.kind === 'heartbeat' ? (await this.repository.details([name])).get(name) : undefined;
    if (target?.kind !== 'heartbeat' || !row)
      throw new MonitorNotFoundError(`no heartbeat monitor named ${name}`);
    return this.view(target, row, showPingUrl);
  }

  private heartbeats(): HeartbeatTarget[] {
    return this.catalog.list().filter((t): t is HeartbeatTarget => t.kind === 'heartbeat');
  }

  private async syncAndLoad(): Promise<void> {
    if (!this.fileSynced) {
      for (const target of this.fileMonitors)
        await this.repository.syncFileMonitor(target.name, target.token, generateToken());
      this.fileSynced = true;
    }
    await this.loadApiMonitors();
  }

  /** Puts new or changed API monitors into the catalog and removes the ones deleted meanwhile. */
  private async loadApiMonitors(): Promise<void> {
    const rows = await this.repository.apiMonitors();
    const seen = new Set<string>();
    for (const row of rows) {
      if (this.fileMonitors.some((t) => t.name === row.name)) continue; // the file's definition wins
      const parsed = parseMonitorBody(row.definition);
      if (!parsed.ok) {
        this.logger.error(
          { monitor: row.name, problem: parsed.problem.message },
          'stored heartbeat monitor unreadable',
        );
        continue;
      }
      seen.add(row.name);
      const current = this.catalog.get(row.name);
      if (current && JSON.stringify(current) === JSON.stringify(parsed.target)) continue;
      if (current && !this.apiNames.has(row.name)) continue; // a file target of another kind holds the name
      this.apiNames.add(row.name);
      this.catalog.put(parsed.target);
    }
    for (const name of [...this.apiNames].filter((n) => !seen.has(n))) {
      this.apiNames.delete(name);
      this.catalog.remove(name);
    }
  }

  private view(target: HeartbeatTarget, row: MonitorDetails, showPingUrl: boolean): HeartbeatMonitorView {
    const seconds = (ms: number | null) => (ms === null ? null : ms / 1000);
    return {
      name: target.name,
      origin: row.origin,
      schedule:
        target.schedule.kind === 'period'
          ? { period_s: target.schedule.periodMs / 1000 }
          : { cron: target.schedule.expression, timezone: target.schedule.timeZone },
      grace_s: target.graceMs / 1000,
      min_duration_s: seconds(target.minDurationMs),
      max_duration_s: seconds(target.maxDurationMs),
      value: target.value ? describeValueCondition(target.value) : null,
      status: row.status ?? 'unknown',
      since: row.since?.toISOString() ?? null,
      last_error: row.lastError,
      last_ping_at: row.lastPingAt?.toISOString() ?? null,
      last_success_at: row.lastSuccessAt?.toISOString() ?? null,
      next_due_at: nextDueAt(target, row.lastSuccessAt, row.createdAt).toISOString(),
      created_at: row.createdAt.toISOString(),
      ...(showPingUrl ? { ping_url: `${publicUrlOf(this.config)}/ping/${row.token}` } : {}),
    };
  }
}

/** 24 random bytes, URL-safe: the unguessable part of a ping URL. */
function generateToken(): string {
  return randomBytes(24).toString('base64url');
}
