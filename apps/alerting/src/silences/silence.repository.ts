import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

import type { Transaction } from '../model/alert.repository';
import type { LabelMatcher } from '../matchers/label-matcher';
import type { Silence } from './silence';

interface SilenceRow {
  id: string;
  matchers: LabelMatcher[];
  starts_at: Date;
  ends_at: Date;
  created_by: string;
  comment: string;
  updated_at: Date;
}

const COLUMNS = 'id, matchers, starts_at, ends_at, created_by, comment, updated_at';
/** A silence's version: its last update, in microseconds (every change of a silence moves it). */
const SILENCE_VERSION = `(extract(epoch FROM updated_at) * 1000000)::bigint::text`;

/**
 * SQL for the signature of the silences in force now (ids and versions, in id order), as active()
 * returns it: equal signatures mean the same silences, unchanged, are in force.
 */
export const SILENCES_IN_FORCE_SIGNATURE = `coalesce((SELECT string_agg(id::text || ':' || ${SILENCE_VERSION}, ',' ORDER BY id)
   FROM silences WHERE starts_at <= now() AND ends_at > now()), '')`;

/** All SQL of the silences table; no business rule lives here. */
@Injectable()
export class SilenceRepository {
  constructor(private readonly dataSource: DataSource) {}

  async insert(silence: Omit<Silence, 'updatedAt'>): Promise<Silence> {
    const rows = await this.dataSource.query<SilenceRow[]>(
      `INSERT INTO silences (id, matchers, starts_at, ends_at, created_by, comment)
       VALUES ($1, $2::jsonb, $3, $4, $5, $6) RETURNING ${COLUMNS}`,
      [
        silence.id,
        JSON.stringify(silence.matchers),
        silence.startsAt.toISOString(),
        silence.endsAt.toISOString(),
        silence.createdBy,
        silence.comment,
      ],
    );
    return toSilence(rows[0]);
  }

  async update(silence: Omit<Silence, 'updatedAt'>): Promise<Silence | null> {
    const [rows] = await this.dataSource.query<[SilenceRow[], number]>(
      `UPDATE silences SET matchers = $2::jsonb, starts_at = $3, ends_at = $4, created_by = $5, comment = $6,
              updated_at = now()
        WHERE id = $1 RETURNING ${COLUMNS}`,
      [
        silence.id,
        JSON.stringify(silence.matchers),
        silence.startsAt.toISOString(),
        silence.endsAt.toISOString(),
        silence.createdBy,
        silence.comment,
      ],
    );
    return rows.length ? toSilence(rows[0]) : null;
  }

  async find(id: string): Promise<Silence | null> {
    const rows = await this.dataSource.query<SilenceRow[]>(`SELECT ${COLUMNS} FROM silences WHERE id = $1`, [
      id,
    ]);
    return rows.length ? toSilence(rows[0]) : null;
  }

  async all(): Promise<Silence[]> {
    const rows = await this.dataSource.query<SilenceRow[]>(`SELECT ${COLUMNS} FROM silences`);
    return rows.map(toSilence);
  }

  /**
   * Silences in force at `now` (read in `tx` when given: pipelined with the flush that needs them),
   * with their signature: ids and versions as SILENCES_IN_FORCE_SIGNATURE spells them.
   */
  async active(now: Date, tx?: Transaction): Promise<{ silences: Silence[]; signature: string }> {
    const rows = await (tx ?? this.dataSource).query<(SilenceRow & { version: string })[]>(
      `SELECT ${COLUMNS}, ${SILENCE_VERSION} AS version FROM silences
        WHERE starts_at <= $1 AND ends_at > $1 ORDER BY id`,
      [now.toISOString()],
    );
    return { silences: rows.map(toSilence), signature: rows.map((r) => `${r.id}:${r.version}`).join(',') };
  }
}

function toSilence(row: SilenceRow): Silence {
  return {
    id: row.id,
    matchers: row.matchers,
    startsAt: row.starts_at,
    endsAt: row.ends_at,
    createdBy: row.created_by,
    comment: row.comment,
    updatedAt: row.updated_at,
  };
}
