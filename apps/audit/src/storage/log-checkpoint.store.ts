import type { AuditCategory } from '../model/audit-category';
import type { Sql } from './sql';

/** A signed checkpoint of a category's Merkle log, as stored (the note carries the log's signature only). */
export interface LogCheckpointRow {
  category: AuditCategory;
  size: number;
  root: Buffer;
  note: string;
  created_at: string;
}

/** One witness's cosignature of a stored checkpoint: its C2SP note signature line. */
export interface CosignatureRow {
  witness: string;
  /** The cosignature's timestamp (POSIX seconds). */
  signed_at: number;
  line: string;
}

/** A witness refusal (or an inconsistent cosignature) not resolved yet. */
export interface RefusalRow {
  id: number;
  category: AuditCategory;
  witness: string;
  reason: string;
  detail: string;
  size: number;
  root: Buffer;
  created_at: string;
}

export interface NewRefusal {
  category: AuditCategory;
  witness: string;
  reason: string;
  detail: string;
  size: number;
  root: Buffer;
}

interface CheckpointDbRow {
  category: AuditCategory;
  size: string;
  root: Buffer;
  note: string;
  created_at: Date;
}

const checkpointOf = (r: CheckpointDbRow): LogCheckpointRow => ({
  category: r.category,
  size: Number(r.size),
  root: r.root,
  note: r.note,
  created_at: r.created_at.toISOString(),
});

const CHECKPOINT_COLUMNS = 'category, size, root, note, created_at';

/** SQL of the logs' stored checkpoints, their cosignatures and the witnesses' refusals; no rule lives here. */
export class LogCheckpointStore {
  constructor(private readonly sql: Sql) {}

  /** Stores a checkpoint; false when that log already has one of that size (a replica signed it first). */
  async insertCheckpoint(row: Omit<LogCheckpointRow, 'created_at'>): Promise<boolean> {
    const inserted = await this.sql<{ size: string }>(
      `INSERT INTO audit_log_checkpoints (category, size, root, note) VALUES ($1, $2, $3, $4)
       ON CONFLICT DO NOTHING RETURNING size`,
      [row.category, row.size, row.root, row.note],
    );
    return inserted.length === 1;
  }

  async latest(category: AuditCategory): Promise<LogCheckpointRow | null> {
    const rows = await this.sql<CheckpointDbRow>(
      `SELECT ${CHECKPOINT_COLUMNS} FROM audit_log_checkpoints WHERE category = $1 ORDER BY size DESC LIMIT 1`,
      [category],
    );
    return rows[0] ? checkpointOf(rows[0]) : null;
  }

  /** The latest checkpoint of every log that has one. */
  async latestOfEach(): Promise<LogCheckpointRow[]> {
    const rows = await this.sql<CheckpointDbRow>(
      `SELECT DISTINCT ON (category) ${CHECKPOINT_COLUMNS} FROM audit_log_checkpoints
        ORDER BY category, size DESC`,
    );
    return rows.map(checkpointOf);
  }

  async atSize(category: AuditCategory, size: number): Promise<LogCheckpointRow | null> {
    const rows = await this.sql<CheckpointDbRow>(
      `SELECT ${CHECKPOINT_COLUMNS} FROM audit_log_checkpoints WHERE category = $1 AND size = $2`,
      [category, size],
    );
    return rows[0] ? checkpointOf(rows[0]) : null;
  }

  /** Stores a cosignature; false when that witness already cosigned that checkpoint. */
  async insertCosignature(category: AuditCategory, size: number, row: CosignatureRow): Promise<boolean> {
    const inserted = await this.sql<{ size: string }>(
      `INSERT INTO audit_log_cosignatures (category, size, witness, signed_at, line) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT DO NOTHING RETURNING size`,
      [category, size, row.witness, row.signed_at, row.line],
    );
    return inserted.length === 1;
  }

  async cosignatures(category: AuditCategory, size: number): Promise<CosignatureRow[]> {
    const rows = await this.sql<{ witness: string; signed_at: string; line: string }>(
      `SELECT witness, signed_at, line FROM audit_log_cosignatures WHERE category = $1 AND size = $2
        ORDER BY witness`,
      [category, size],
    );
    return rows.map((r) => ({ witness: r.witness, signed_at: Number(r.signed_at), line: r.line }));
  }

  async insertRefusal(refusal: NewRefusal): Promise<number> {
    const [row] = await this.sql<{ id: string }>(
      `INSERT INTO audit_witness_refusals (category, witness, reason, detail, size, root)
       VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
      [refusal.category, refusal.witness, refusal.reason, refusal.detail, refusal.size, refusal.root],
    );
    return Number(row.id);
  }

  /** Closes a witness's open refusals of a log (it cosigned that log again); returns how many. */
  async resolveRefusals(category: AuditCategory, witness: string): Promise<number> {
    const rows = await this.sql<{ id: string }>(
      `UPDATE audit_witness_refusals SET resolved_at = now()
        WHERE category = $1 AND witness = $2 AND resolved_at IS NULL RETURNING id`,
      [category, witness],
    );
    return rows.length;
  }

  /** Open refusals, oldest first. */
  async openRefusals(): Promise<RefusalRow[]> {
    const rows = await this.sql<
      Omit<RefusalRow, 'id' | 'size' | 'created_at'> & {
        id: string;
        size: string;
        created_at: Date;
      }
    >(
      `SELECT id, category, witness, reason, detail, size, root, created_at FROM audit_witness_refusals
        WHERE resolved_at IS NULL ORDER BY id`,
    );
    return rows.map((r) => ({
      ...r,
      id: Number(r.id),
      size: Number(r.size),
      created_at: r.created_at.toISOString(),
    }));
  }
}
