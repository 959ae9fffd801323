import { Injectable, OnModuleDestroy, Optional } from '@nestjs/common';
import { Pool, type PoolClient, type QueryArrayConfig, type QueryArrayResult } from 'pg';

import { redactString } from '@vigil/redaction';

import type { SqlTarget } from '../targets/target-definition';
import { evaluateValueCondition } from '../targets/value-condition';
import type { CheckResult } from './check-result';
import { errorText } from './error-text';
import { LastValueRepository } from './last-value.repository';

/** Postgres type oids whose values are numbers: int2, int4, int8, oid, float4, float8, numeric. */
const NUMERIC_TYPES: ReadonlySet<number> = new Set([21, 23, 20, 26, 700, 701, 1700]);
/** Beyond the statement timeout, how long connecting and the transaction's own statements may take. */
const CONNECT_SLACK_MS = 2000;
/** SQLSTATE classes whose messages name only objects (tables, columns, syntax), never row values. */
const SAFE_MESSAGE = /^(25006|57014|42|0A|3D|28|08|53)/;

/** Why a run measured nothing; its text is the check's error as it is stored. */
class SqlCheckFailure extends Error {}

interface TargetPool {
  connectionString: string;
  pool: Pool;
}

/**
 * Runs an SQL target's query on its own small pool (2 connections, made on first use, closed on shutdown)
 * inside `BEGIN READ ONLY` with `SET LOCAL statement_timeout`, always rolled back. The query must give one
 * row of one number; the number is the result's `value` and must meet the target's condition. A failure
 * names the value and the condition, or what was wrong with the result's shape: never a row's contents,
 * never the connection string.
 */
@Injectable()
export class SqlChecker implements OnModuleDestroy {
  private readonly pools = new Map<string, TargetPool>();
  /** The last value per target, for `within P% of previous`; a new owner reads it from check_results. */
  private readonly previous = new Map<string, number>();

  constructor(@Optional() private readonly lastValues?: LastValueRepository) {}

  async check(target: SqlTarget, cancel?: AbortSignal): Promise<CheckResult> {
    const checkedAt = new Date();
    let measured: { value: number; elapsedMs: number };
    try {
      measured = await this.measure(target, cancel);
    } catch (error) {
      const text = error instanceof SqlCheckFailure ? error.message : describeSqlError(error, target);
      return { ...outcome(target, checkedAt, 0), ok: false, error: hideConnection(text, target) };
    }
    const { value, elapsedMs } = measured;
    const verdict = evaluateValueCondition(target.condition, value, await this.previousValue(target));
    this.previous.set(target.name, value);
    return {
      ...outcome(target, checkedAt, elapsedMs),
      ok: verdict.ok,
      value,
      error: verdict.ok ? null : verdict.reason,
    };
  }

  /**
   * The value before this one: kept in memory, or on this replica's first run of the target (after a
   * restart or a lease move) the last one stored. Without it the first run passes (see value-condition.ts).
   */
  private async previousValue(target: SqlTarget): Promise<number | null> {
    const kept = this.previous.get(target.name);
    if (kept !== undefined) return kept;
    if (target.condition.op !== 'within_pct_of_previous' || !this.lastValues) return null;
    try {
      return await this.lastValues.lastValue(target.name);
    } catch {
      return null; // The history is unavailable: judge this run as a first one rather than not at all.
    }
  }

  async onModuleDestroy(): Promise<void> {
    const pools = [...this.pools.values()];
    this.pools.clear();
    await Promise.all(pools.map(({ pool }) => pool.end().catch(() => undefined)));
  }

  private async measure(
    target: SqlTarget,
    cancel?: AbortSignal,
  ): Promise<{ value: number; elapsedMs: number }> {
    const client = await this.connect(target);
    let healthy = false;
    let stopped: string | null = null;
    const stop = (reason: string) => {
      stopped = reason;
      releaseClient(client, false);
    };
    // The server enforces statement_timeout; this guards against a server or network that stops answering.
    const limitMs = target.timeoutMs + CONNECT_SLACK_MS;
    const guard = setTimeout(() => stop(`no answer from the database within ${limitMs} ms`), limitMs);
    const abort = () => stop('cancelled');
    cancel?.addEventListener('abort', abort, { once: true });
    try {
      await client.query('BEGIN READ ONLY');
      await client.query(`SET LOCAL statement_timeout = ${Math.round(target.timeoutMs)}`);
      const started = performance.now();
      // The extended protocol takes a single statement: no `; COMMIT; DELETE ...` can follow the query.
      const query: QueryArrayConfig & { queryMode: 'extended' } = {
        text: target.query,
        rowMode: 'array',
        queryMode: 'extended',
      };
      const result = await client.query(query);
      const elapsedMs = Math.round((performance.now() - started) * 10) / 10;
      await client.query('ROLLBACK');
      healthy = true;
      return { value: singleNumber(result), elapsedMs };
    } catch (error) {
      if (stopped !== null) throw new SqlCheckFailure(stopped);
      throw error;
    } finally {
      clearTimeout(guard);
      cancel?.removeEventListener('abort', abort);
      releaseClient(client, healthy);
    }
  }

  private async connect(target: SqlTarget): Promise<PoolClient> {
    let entry = this.pools.get(target.name);
    if (entry && entry.connectionString !== target.connectionString) {
      void entry.pool.end().catch(() => undefined);
      entry = undefined;
    }
    if (!entry) {
      const pool = new Pool({
        connectionString: target.connectionString,
        max: 2,
        idleTimeoutMillis: 60_000,
        connectionTimeoutMillis: target.timeoutMs + CONNECT_SLACK_MS,
        application_name: 'vigil-health-sql-check',
      });
      // An idle connection dropped by the server: the pool replaces it on the next check.
      pool.on('error', () => undefined);
      entry = { connectionString: target.connectionString, pool };
      this.pools.set(target.name, entry);
    }
    return entry.pool.connect();
  }
}

/** A client whose transaction failed is closed rather than reused (it may still be inside it). */
function releaseClient(client: PoolClient, reusable: boolean): void {
  try {
    client.release(reusable ? undefined : true);
  } catch {
    // Already released by the guard or the cancel.
  }
}

function outcome(target: SqlTarget, checkedAt: Date, responseTimeMs: number): CheckResult {
  return { target: target.name, ok: false, statusCode: null, responseTimeMs, error: null, checkedAt };
}

/** The one number of a one-row, one-column result; the failure says what the shape was, not what it held. */
function singleNumber(result: QueryArrayResult): number {
  const rows = result.rows.length;
  if (rows !== 1) throw new SqlCheckFailure(`query returned ${rows} rows, expected exactly one`);
  const columns = result.fields.length;
  if (columns !== 1) throw new SqlCheckFailure(`query returned ${columns} columns, expected exactly one`);
  const field = result.fields[0];
  if (!NUMERIC_TYPES.has(field.dataTypeID))
    throw new SqlCheckFailure(`column "${field.name}" is not a number (type oid ${field.dataTypeID})`);
  const raw: unknown = result.rows[0][0];
  if (raw === null) throw new SqlCheckFailure(`column "${field.name}" is NULL, not a number`);
  const value = Number(raw);
  if (!Number.isFinite(value)) throw new SqlCheckFailure(`column "${field.name}" is not a finite number`);
  return value;
}

/**
 * A Postgres or connection error as a check's error. Messages of classes that only name objects are kept
 * (read-only violation, timeout, syntax, missing table, connection); others may quote a value, so their
 * quoted parts are dropped.
 */
function describeSqlError(error: unknown, target: SqlTarget): string {
  const { code, message: raw } =
    typeof error === 'object' && error !== null ? (error as { code?: unknown; message?: unknown }) : {};
  // A Postgres error's message without errorText's `CODE: ` prefix: the code is named once, below.
  const message = typeof raw === 'string' && raw !== '' ? raw : errorText(error);
  if (code === '57014') return `query timed out after ${target.timeoutMs} ms (statement_timeout): ${message}`;
  if (code === '25006') return `query tried to write; SQL checks run READ ONLY: ${message}`;
  if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) {
    const text = SAFE_MESSAGE.test(code) ? message : message.replace(/"[^"]*"|'[^']*'/g, '"…"');
    return `query failed (SQLSTATE ${code}): ${text}`;
  }
  return `cannot run the query: ${errorText(error)}`;
}

/** The connection string and its password never reach an error, whatever the driver put there. */
function hideConnection(text: string, target: SqlTarget): string {
  let out = text.split(target.connectionString).join('[connection string]');
  const password = passwordOf(target.connectionString);
  if (password) out = out.split(password).join('[redacted]');
  return redactString(out);
}

function passwordOf(connectionString: string): string | null {
  try {
    const password = decodeURIComponent(new URL(connectionString).password);
    return password === '' ? null : password;
  } catch {
    return null;
  }
}
