import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** A one-off window created by API; `targets` null covers every target. */
export interface StoredMaintenanceWindow {
  id: string;
  start: string;
  end: string;
  targets: string[] | null;
  reason: string;
  createdBy: string;
  createdAt: string;
}

export type NewMaintenanceWindow = Omit<StoredMaintenanceWindow, 'id' | 'createdAt'>;

interface WindowRow {
  id: string;
  starts_at: Date;
  ends_at: Date;
  targets: string[] | null;
  reason: string;
  created_by: string;
  created_at: Date;
}

const COLUMNS = 'id, starts_at, ends_at, targets, reason, created_by, created_at';

/** All SQL of maintenance_windows; no business rule lives here. */
@Injectable()
export class MaintenanceWindowRepository {
  constructor(private readonly dataSource: DataSource) {}

  async create(window: NewMaintenanceWindow): Promise<StoredMaintenanceWindow> {
    const [row]: WindowRow[] = await this.dataSource.query(
      `INSERT INTO maintenance_windows (starts_at, ends_at, targets, reason, created_by)
       VALUES ($1, $2, $3, $4, $5) RETURNING ${COLUMNS}`,
      [window.start, window.end, window.targets, window.reason, window.createdBy],
    );
    return toWindow(row);
  }

  /** Windows that end after `after`, by start. */
  async endingAfter(after: Date): Promise<StoredMaintenanceWindow[]> {
    const rows: WindowRow[] = await this.dataSource.query(
      `SELECT ${COLUMNS} FROM maintenance_windows WHERE ends_at > $1 ORDER BY starts_at, id`,
      [after.toISOString()],
    );
    return rows.map(toWindow);
  }

  /** Deletes a window; false when there was none with that id. */
  async delete(id: string): Promise<boolean> {
    // A plain DELETE answers [rows, count] through TypeORM; a SELECT over it answers rows.
    const [deleted]: { n: string }[] = await this.dataSource.query(
      `WITH gone AS (DELETE FROM maintenance_windows WHERE id = $1 RETURNING 1) SELECT count(*) AS n FROM gone`,
      [id],
    );
    return Number(deleted.n) > 0;
  }
}

function toWindow(row: WindowRow): StoredMaintenanceWindow {
  return {
    id: row.id,
    start: row.starts_at.toISOString(),
    end: row.ends_at.toISOString(),
    targets: row.targets,
    reason: row.reason,
    createdBy: row.created_by,
    createdAt: row.created_at.toISOString(),
  };
}
