import { jetstream, type JetStreamClient } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';

import { auditEventSubject } from '@vigil/contracts';
import {
  freePort,
  runService,
  startNatsServer,
  waitFor,
  type NatsServerHandle,
  type ServiceProcess,
} from '@vigil/testing';

import { runVerify } from '../src/cli/verify-command';
import { auditEvent, encode } from './audit-factory';
import { startRestartablePostgres, type RestartablePostgres } from './restartable-postgres';

jest.setTimeout(240_000);

const TOTAL = 20_000;
const CHUNK = 500;

/**
 * 20,000 events published while the audit process is SIGKILLed twice and Postgres is restarted once:
 * afterwards exactly 20,000 rows, no duplicate, and the chains and their checkpoints verify.
 */
describe('audit chaos: SIGKILL twice and a Postgres restart lose nothing and store nothing twice', () => {
  let nats: NatsServerHandle;
  let pg: RestartablePostgres;
  let nc: NatsConnection;
  let db: Client;
  let service: ServiceProcess | undefined;
  let databaseUrl: string;
  const port = freePort();

  const env = async () => ({
    PORT: String(await port),
    NATS_URL: nats.url,
    DATABASE_URL: databaseUrl,
    LOG_LEVEL: 'warn',
    AUDIT_FETCH_BATCH: '500',
    AUDIT_CHECKPOINT_INTERVAL_MS: '1000',
  });
  const startAudit = async () => {
    service = await runService({ app: 'audit', env: await env() });
    await service.waitForReady(await port, 60_000);
  };
  const count = async () => {
    const { rows } = await db.query<{ n: string; ids: string }>(
      'SELECT count(*) AS n, count(DISTINCT id) AS ids FROM audit_events',
    );
    return { rows: Number(rows[0].n), ids: Number(rows[0].ids) };
  };

  beforeAll(async () => {
    nats = await startNatsServer();
    pg = await startRestartablePostgres();
    const admin = new Client({ connectionString: pg.url('postgres') });
    await admin.connect();
    await admin.query('CREATE DATABASE chaos');
    await admin.end();
    databaseUrl = pg.url('chaos');
    nc = await connect({ servers: nats.url });
    await startAudit();
    db = new Client({ connectionString: databaseUrl });
    await db.connect();
  });

  afterAll(async () => {
    await db?.end().catch(() => undefined);
    await service?.stop();
    await nc?.close();
    await nats?.stop();
    pg?.stop();
  });

  async function publishChunk(js: JetStreamClient, ids: string[]): Promise<void> {
    await Promise.all(
      ids.map((id, i) => {
        const event = auditEvent({
          id,
          actor: i % 3 === 0 ? { type: 'user', id: `u-${i}` } : { type: 'admin', id: `admin-${i % 7}` },
          action: i % 3 === 0 ? 'order.placed' : 'admin.profile.viewed',
        });
        return js.publish(auditEventSubject('shop'), encode(event), { msgID: id });
      }),
    );
  }

  it('stores exactly 20,000 rows and the chain verifies', async () => {
    const js = jetstream(nc);
    const ids = Array.from({ length: TOTAL }, () => randomUUID());
    for (let offset = 0; offset < TOTAL; offset += CHUNK) {
      await publishChunk(js, ids.slice(offset, offset + CHUNK));
      if (offset === 4_000 || offset === 14_000) {
        service!.kill('SIGKILL');
        await service!.waitForExit(10_000);
        await startAudit();
      }
      if (offset === 9_000) {
        db.on('error', () => undefined);
        await db.end().catch(() => undefined);
        pg.restart();
        db = new Client({ connectionString: databaseUrl });
        await db.connect();
      }
      if (offset === 17_000) {
        // A publisher retry outside JetStream's duplicate window: same event ids, new message ids.
        await Promise.all(
          ids.slice(0, 300).map((id) =>
            js.publish(auditEventSubject('shop'), encode(auditEvent({ id })), {
              msgID: `${id}-late-retry`,
            }),
          ),
        );
      }
    }

    await waitFor(async () => ((await count()).rows >= TOTAL ? true : null), {
      timeoutMs: 150_000,
      intervalMs: 500,
      description: `${TOTAL} rows stored`,
    });
    // Redeliveries still in flight must not add rows: wait until the consumer has nothing pending.
    await waitFor(
      async () => {
        const text = await (await fetch(`http://127.0.0.1:${await port}/metrics`)).text();
        return /audit_consumer_pending_messages 0\b/.test(text) &&
          /audit_consumer_ack_pending_messages 0\b/.test(text)
          ? true
          : null;
      },
      { timeoutMs: 60_000, description: 'consumer caught up' },
    );
    expect(await count()).toEqual({ rows: TOTAL, ids: TOTAL });
    const stored = await db.query<{ n: string }>('SELECT count(*) AS n FROM audit_event_ids');
    expect(Number(stored.rows[0].n)).toBe(TOTAL);

    // The heads get signed within a few checkpoint intervals; then everything verifies, all signed.
    const lines: string[] = [];
    await waitFor(
      async () => {
        lines.length = 0;
        const code = await runVerify(
          ['--json'],
          { DATABASE_URL: databaseUrl, NATS_URL: nats.url },
          {
            out: (l) => lines.push(l),
            err: (l) => lines.push(l),
          },
        );
        const report = JSON.parse(lines.join('\n')) as { chains: { unsigned_records: number }[] };
        return code === 0 && report.chains.every((c) => c.unsigned_records === 0) ? report : null;
      },
      { timeoutMs: 30_000, description: 'chains verified and fully checkpointed' },
    );
    const report = JSON.parse(lines.join('\n')) as {
      ok: boolean;
      chains: { records_checked: number; checkpoints_checked: number }[];
    };
    expect(report.ok).toBe(true);
    expect(report.chains.reduce((n, c) => n + c.records_checked, 0)).toBe(TOTAL);
    expect(report.chains.every((c) => c.checkpoints_checked > 0 || c.records_checked === 0)).toBe(true);
  });
});
