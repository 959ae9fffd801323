import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { DataSource } from 'typeorm';

import { errorMessage } from '@vigil/platform';

import { TargetCatalog } from '../../targets/target-catalog';

/** How often every replica re-reads the monitors (a monitor created elsewhere is pingable within this). */
export const TOKEN_REFRESH_MS = 5000;
/** An unknown token re-reads the monitors at most this often (created a moment ago on another replica). */
const MISS_REFRESH_MIN_MS = 1000;

/**
 * Ping token -> monitor name, from heartbeat_monitors: loaded at boot, re-read every 5 s and whenever
 * this replica's catalog changes (a monitor created or deleted by API: its row is committed first). Tokens are credentials: nothing here logs
 * one. Also knows the monitor names, for Sentry check-ins (their monitor_slug is the name).
 */
@Injectable()
export class HeartbeatTokenIndex implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(HeartbeatTokenIndex.name);
  private byToken = new Map<string, string>();
  private names = new Set<string>();
  private timer: NodeJS.Timeout | null = null;
  private loading: Promise<void> | null = null;
  private loadedAt = 0;
  private unsubscribe: (() => void) | null = null;

  constructor(
    private readonly dataSource: DataSource,
    private readonly catalog: TargetCatalog,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.refresh();
    this.unsubscribe = this.catalog.onChange(() => void this.refresh().catch(() => undefined));
    this.timer = setInterval(() => void this.refresh().catch(() => undefined), TOKEN_REFRESH_MS);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    this.unsubscribe?.();
    if (this.timer) clearInterval(this.timer);
  }

  /** Re-reads heartbeat_monitors; concurrent calls share one query. Keeps the last good index on failure. */
  refresh(): Promise<void> {
    this.loading ??= this.load().finally(() => (this.loading = null));
    return this.loading;
  }

  /** The monitor a token pings, or null; an unknown token re-reads the table first (rate-limited). */
  async monitorOf(token: string): Promise<string | null> {
    const known = this.byToken.get(token);
    if (known !== undefined) return known;
    if (Date.now() - this.loadedAt >= MISS_REFRESH_MIN_MS) await this.refresh().catch(() => undefined);
    return this.byToken.get(token) ?? null;
  }

  /** Whether a monitor of that name exists (a Sentry check-in's monitor_slug). */
  async hasMonitor(name: string): Promise<boolean> {
    if (this.names.has(name)) return true;
    if (Date.now() - this.loadedAt >= MISS_REFRESH_MIN_MS) await this.refresh().catch(() => undefined);
    return this.names.has(name);
  }

  private async load(): Promise<void> {
    try {
      const rows = await this.dataSource.query<{ name: string; token: string }[]>(
        'SELECT name, token FROM heartbeat_monitors',
      );
      this.byToken = new Map(rows.map((row) => [row.token, row.name]));
      this.names = new Set(rows.map((row) => row.name));
      this.loadedAt = Date.now();
    } catch (error) {
      this.loadedAt = Date.now(); // a failing database is not asked again on every unknown ping
      this.logger.warn(
        { error: errorMessage(error) },
        'heartbeat monitors not re-read; keeping the last list',
      );
      throw error;
    }
  }
}
