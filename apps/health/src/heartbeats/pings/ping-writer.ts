import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { DataSource } from 'typeorm';

import { errorMessage } from '@vigil/platform';

import type { Ping } from './ping';
import { PingMetrics } from './ping-metrics';

/** Rows of one INSERT at most: 9 parameters each stays far below Postgres' 65,535 per statement. */
export const MAX_BATCH_ROWS = 1000;
/** Batches committing at once: while they flush their WAL, the next pings gather into the next batch. */
const MAX_IN_FLIGHT = 2;
/** Pings waiting for a batch at most; past it a ping is refused at once (503) instead of queueing. */
const MAX_WAITING = 20_000;

const COLUMNS = [
  'monitor',
  'kind',
  'exit_code',
  'rid',
  'value',
  'duration_ms',
  'body',
  'via',
  'received_at',
] as const;

/** Why a ping was not stored; the routes answer 503 with Retry-After, never 200. */
export class PingNotStoredError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PingNotStoredError';
  }
}

interface Waiting {
  ping: Ping;
  resolve: () => void;
  reject: (error: PingNotStoredError) => void;
}

/**
 * One parameterised INSERT of `pings` (values are parameters, never SQL text). A Sentry check-in
 * redelivered after its commit is dropped by ON CONFLICT (the partial unique index of migration
 * 1765500000000 on monitor, rid, kind for via = 'sentry'); HTTP pings have no such key and always insert.
 */
export function insertPingsStatement(pings: readonly Ping[]): { sql: string; params: unknown[] } {
  const params: unknown[] = [];
  const rows = pings.map((ping) => {
    const values = [
      ping.monitor,
      ping.kind,
      ping.exitCode,
      ping.rid,
      ping.value,
      ping.durationMs,
      ping.body,
      ping.via,
      ping.receivedAt.toISOString(),
    ];
    const placeholders = values.map((value) => `$${params.push(value)}`);
    return `(${placeholders.join(', ')})`;
  });
  return {
    sql: `INSERT INTO heartbeat_pings (${COLUMNS.join(', ')}) VALUES ${rows.join(', ')} ON CONFLICT DO NOTHING`,
    params,
  };
}

/**
 * Group commit of pings. `write()` resolves only once its row is committed, so a route answers 200 for
 * a durable ping only. Why batches: with synchronous_commit on, every commit waits for a WAL flush (a
 * disk sync, ~1-5 ms); one row per commit would cap pings at a few hundred a second, far below a burst
 * of cron jobs at the top of the hour. Pings arriving while a commit flushes wait for the next one and
 * share it: one multi-row INSERT, one transaction, one flush for all of them. When a batch fails, each
 * of its pings is refused (PingNotStoredError) and its sender retries (curl --retry, Kuma's next push).
 */
@Injectable()
export class PingWriter implements OnModuleDestroy {
  private readonly logger = new Logger(PingWriter.name);
  private waiting: Waiting[] = [];
  private readonly inFlight = new Set<Promise<void>>();
  private closed = false;

  constructor(
    private readonly dataSource: DataSource,
    private readonly metrics: PingMetrics,
  ) {}

  /** Resolves when `ping` is committed; rejects with PingNotStoredError when it was not. */
  write(ping: Ping): Promise<void> {
    if (this.closed) return Promise.reject(new PingNotStoredError('the service is shutting down'));
    if (this.waiting.length >= MAX_WAITING)
      return Promise.reject(new PingNotStoredError('too many pings are waiting to be stored'));
    return new Promise<void>((resolve, reject) => {
      this.waiting.push({ ping, resolve, reject });
      this.pump();
    });
  }

  /** Lets the batches in hand commit (their senders get their answer), then refuses new pings. */
  async onModuleDestroy(): Promise<void> {
    while (this.inFlight.size > 0 || this.waiting.length > 0) {
      this.pump();
      await Promise.all(this.inFlight);
    }
    this.closed = true;
  }

  private pump(): void {
    while (this.inFlight.size < MAX_IN_FLIGHT && this.waiting.length > 0) {
      const batch = this.waiting.splice(0, MAX_BATCH_ROWS);
      const committing: Promise<void> = this.commit(batch).finally(() => {
        this.inFlight.delete(committing);
        this.pump();
      });
      this.inFlight.add(committing);
    }
  }

  private async commit(batch: readonly Waiting[]): Promise<void> {
    const { sql, params } = insertPingsStatement(batch.map((w) => w.ping));
    try {
      // One statement outside a transaction block is its own transaction: resolved = committed.
      await this.dataSource.query(sql, params);
    } catch (error) {
      const message = errorMessage(error);
      this.logger.error({ pings: batch.length, error: message }, 'ping batch not stored');
      this.metrics.notStored(batch.length);
      const refusal = new PingNotStoredError('the ping could not be stored; retry shortly');
      for (const waiting of batch) waiting.reject(refusal);
      return;
    }
    this.metrics.stored(batch.map((w) => w.ping));
    for (const waiting of batch) waiting.resolve();
  }
}
