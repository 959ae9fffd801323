import { Inject, Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';

import { errorMessage } from '@vigil/platform';
import { redactString } from '@vigil/redaction';

import type { TargetBase } from '../targets/target-definition';
import {
  describeMaintenanceWindow,
  isWindowActiveAt,
  type MaintenanceWindow,
} from '../targets/maintenance-window';
import { HEALTH_GLOBAL_MAINTENANCE } from '../targets/targets.tokens';
import {
  MaintenanceWindowRepository,
  type NewMaintenanceWindow,
  type StoredMaintenanceWindow,
} from './maintenance-window.repository';

/** Every replica re-reads the API's windows this often (a window created on another replica counts within it). */
export const MAINTENANCE_REFRESH_MS = 5000;

/**
 * Answers "is this target in maintenance at t?" from the target's own windows, the targets file's
 * global ones and the one-off windows created by API (kept in memory, refreshed from Postgres every
 * few seconds and at once after a local change).
 */
@Injectable()
export class MaintenanceCalendar implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(MaintenanceCalendar.name);
  private apiWindows: StoredMaintenanceWindow[] = [];
  private timer: NodeJS.Timeout | null = null;

  constructor(
    @Inject(HEALTH_GLOBAL_MAINTENANCE) private readonly global: readonly MaintenanceWindow[],
    private readonly repository: MaintenanceWindowRepository,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.refresh();
    this.timer = setInterval(() => void this.refresh(), MAINTENANCE_REFRESH_MS);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** Re-reads the API's windows; on a database error keeps the ones it had. */
  async refresh(): Promise<void> {
    try {
      this.apiWindows = await this.repository.endingAfter(new Date());
    } catch (error) {
      this.logger.warn({ error: redactString(errorMessage(error)) }, 'maintenance windows not refreshed');
    }
  }

  /** The window `target` is in at `at`, described for people (`global cron "0 2 * * *" UTC for 1h`), or null. */
  windowAt(target: Pick<TargetBase, 'name' | 'maintenance'>, at: Date): string | null {
    const own = target.maintenance.find((w) => isWindowActiveAt(w, at));
    if (own) return `maintenance window ${describeMaintenanceWindow(own)}`;
    const global = this.global.find((w) => isWindowActiveAt(w, at));
    if (global) return `global maintenance window ${describeMaintenanceWindow(global)}`;
    const t = at.getTime();
    const api = this.apiWindows.find(
      (w) =>
        (w.targets === null || w.targets.includes(target.name)) &&
        Date.parse(w.start) <= t &&
        t < Date.parse(w.end),
    );
    return api ? `maintenance window ${api.id} (${api.reason})` : null;
  }

  /** The global windows of the targets file, for the API's listing. */
  globalWindows(): readonly MaintenanceWindow[] {
    return this.global;
  }

  /** API windows that have not ended yet, by start. */
  async upcoming(): Promise<StoredMaintenanceWindow[]> {
    return this.repository.endingAfter(new Date());
  }

  async create(window: NewMaintenanceWindow): Promise<StoredMaintenanceWindow> {
    const created = await this.repository.create(window);
    await this.refresh();
    this.logger.log(
      {
        id: created.id,
        start: created.start,
        end: created.end,
        targets: created.targets,
        by: created.createdBy,
      },
      'maintenance window created',
    );
    return created;
  }

  /** Deletes an API window; false when there is none with that id. */
  async remove(id: string, by: string): Promise<boolean> {
    const removed = await this.repository.delete(id);
    if (removed) {
      await this.refresh();
      this.logger.log({ id, by }, 'maintenance window deleted');
    }
    return removed;
  }
}
