import type { Sql } from './sql';

/** A data key as stored: wrapped by the master key `master_key_id`. */
export interface WrappedKeyRow {
  key_id: string;
  subject: string;
  bucket: string;
  master_key_id: string;
  wrapped: Buffer;
}

export interface NewWrappedKey extends WrappedKeyRow {
  rule: string | null;
  day: string | null;
}

const COLUMNS = 'key_id, subject, bucket, master_key_id, wrapped';

/**
 * SQL of audit_subject_keys: the data subjects' keys, apart from the append-only trail (rows are
 * deleted to erase, updated to re-wrap). No rule lives here.
 */
export class SubjectKeyStore {
  constructor(private readonly sql: Sql) {}

  /**
   * Inserts the keys of a batch (a key already made for the same subject and bucket, by this or another
   * replica, wins) and returns the stored key of every scope asked for, in one round trip each.
   */
  async ensure(keys: readonly NewWrappedKey[]): Promise<WrappedKeyRow[]> {
    if (keys.length === 0) return [];
    const column = <K extends keyof NewWrappedKey>(k: K) => keys.map((key) => key[k]);
    await this.sql(
      `INSERT INTO audit_subject_keys (key_id, subject, bucket, rule, day, master_key_id, wrapped)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::date[], $6::text[], $7::bytea[])
       ON CONFLICT (subject, bucket) DO NOTHING`,
      [
        column('key_id'),
        column('subject'),
        column('bucket'),
        column('rule'),
        column('day'),
        column('master_key_id'),
        column('wrapped'),
      ],
    );
    return this.sql<WrappedKeyRow>(
      `SELECT ${COLUMNS} FROM audit_subject_keys k
         JOIN unnest($1::text[], $2::text[]) AS s(subject, bucket) USING (subject, bucket)`,
      [column('subject'), column('bucket')],
    );
  }

  async byKeyIds(keyIds: readonly string[]): Promise<WrappedKeyRow[]> {
    if (keyIds.length === 0) return [];
    return this.sql<WrappedKeyRow>(
      `SELECT ${COLUMNS} FROM audit_subject_keys WHERE key_id = ANY($1::text[])`,
      [[...keyIds]],
    );
  }

  async keyIdsOf(subject: string): Promise<string[]> {
    const rows = await this.sql<{ key_id: string }>(
      `SELECT key_id FROM audit_subject_keys WHERE subject = $1`,
      [subject],
    );
    return rows.map((r) => r.key_id);
  }

  /** Deletes every key of a subject inside the caller's transaction; returns how many. */
  async deleteSubject(transaction: Sql, subject: string): Promise<number> {
    const rows = await transaction<{ key_id: string }>(
      `DELETE FROM audit_subject_keys WHERE subject = $1 RETURNING key_id`,
      [subject],
    );
    return rows.length;
  }

  /** Deletes the keys of an erase rule's days before `beforeDay` (YYYY-MM-DD); returns their subjects. */
  async deleteRuleDaysBefore(rule: string, beforeDay: string): Promise<string[]> {
    const rows = await this.sql<{ subject: string }>(
      `WITH gone AS (DELETE FROM audit_subject_keys WHERE rule = $1 AND day < $2::date RETURNING subject)
       SELECT DISTINCT subject FROM gone`,
      [rule, beforeDay],
    );
    return rows.map((r) => r.subject);
  }

  /** Returns dead row versions (the deleted keys) to free space now rather than at the next autovacuum. */
  async vacuum(): Promise<void> {
    await this.sql(`VACUUM audit_subject_keys`);
  }

  /** Up to `limit` keys wrapped by another master key than `current`. */
  async wrappedByOther(current: string, limit: number): Promise<WrappedKeyRow[]> {
    return this.sql<WrappedKeyRow>(
      `SELECT ${COLUMNS} FROM audit_subject_keys WHERE master_key_id <> $1 ORDER BY key_id LIMIT $2`,
      [current, limit],
    );
  }

  /** Replaces wrappings, each only if its key is still wrapped as read (a concurrent re-wrap wins). */
  async rewrap(
    rows: readonly { key_id: string; from: string; master_key_id: string; wrapped: Buffer }[],
  ): Promise<number> {
    if (rows.length === 0) return 0;
    const updated = await this.sql<{ key_id: string }>(
      `UPDATE audit_subject_keys AS k SET master_key_id = r.master_key_id, wrapped = r.wrapped
         FROM unnest($1::text[], $2::text[], $3::text[], $4::bytea[]) AS r(key_id, from_id, master_key_id, wrapped)
        WHERE k.key_id = r.key_id AND k.master_key_id = r.from_id
       RETURNING k.key_id`,
      [
        rows.map((r) => r.key_id),
        rows.map((r) => r.from),
        rows.map((r) => r.master_key_id),
        rows.map((r) => r.wrapped),
      ],
    );
    return updated.length;
  }

  async masterKeyIds(): Promise<string[]> {
    const rows = await this.sql<{ master_key_id: string }>(
      `SELECT DISTINCT master_key_id FROM audit_subject_keys`,
    );
    return rows.map((r) => r.master_key_id);
  }
}
