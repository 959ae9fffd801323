// Two replicas of the built health service on one database: each target is checked by exactly one
// (a lease in Postgres), a target going down raises one ServiceDown, and when a replica dies its
// targets move to the other.
import { connect, type NatsConnection, type Subscription } from '@nats-io/transport-node';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';

import { ALERT_FIRED_SUBJECT, ALERT_RESOLVED_SUBJECT, ALERTS_WILDCARD } from '@vigil/contracts';
import {
  freePort,
  runService,
  startNatsServer,
  testDatabaseUrl,
  waitFor,
  type NatsServerHandle,
  type ServiceProcess,
} from '@vigil/testing';

const TARGETS = ['a', 'b', 'c', 'd'];
const INTERVAL_S = 2;

interface Replica {
  process: ServiceProcess;
  port: number;
}

/** The replica id a process logged when it took its first lease. */
function replicaIdOf(replica: Replica): string | null {
  const match = /"replica":"([^"]+)"/.exec(replica.process.output());
  return match ? match[1] : null;
}

describe('two health replicas (built service, real Postgres and NATS)', () => {
  let nats: NatsServerHandle;
  let server: http.Server;
  const statusOf: Record<string, number> = {};
  let db: Client;
  let client: NatsConnection;
  let subscription: Subscription;
  let dir: string;
  const replicas: Replica[] = [];
  const alerts: { subject: string; service: string }[] = [];

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-replicas-'));
    nats = await startNatsServer();
    server = http.createServer((req, res) => {
      const status = statusOf[(req.url ?? '/').slice(1)] ?? 200;
      res.writeHead(status).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const targetPort = (server.address() as AddressInfo).port;
    const file = path.join(dir, 'targets.yaml');
    fs.writeFileSync(
      file,
      `targets:\n${TARGETS.map(
        (t) =>
          `  - name: ${t}\n    url: http://127.0.0.1:${targetPort}/${t}\n    interval_s: ${INTERVAL_S}\n    timeout_ms: 1000\n`,
      ).join('')}`,
    );
    const databaseUrl = await testDatabaseUrl();
    db = new Client({ connectionString: databaseUrl });
    await db.connect();
    client = await connect({ servers: nats.url });
    subscription = client.subscribe(ALERTS_WILDCARD, {
      callback: (error, msg) => {
        if (!error)
          alerts.push({
            subject: msg.subject,
            service: msg.json<{ labels: { service: string } }>().labels.service,
          });
      },
    });
    await client.flush();
    for (let i = 0; i < 2; i += 1) {
      const port = await freePort();
      const process = await runService({
        app: 'health',
        env: {
          PORT: String(port),
          NATS_URL: nats.url,
          DATABASE_URL: databaseUrl,
          TARGETS_FILE: file,
          LOG_LEVEL: 'info',
        },
      });
      replicas.push({ process, port });
    }
    await Promise.all(replicas.map((r) => r.process.waitForReady(r.port, 60_000)));
  });

  afterAll(async () => {
    await Promise.all(replicas.map((r) => r.process.stop().catch(() => undefined)));
    await subscription?.drain();
    await client?.close();
    await db?.end();
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve));
    await nats?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  const checkersSince = async (since: Date) =>
    (
      await db.query<{ target: string; checkers: string[] }>(
        `SELECT target, array_agg(DISTINCT checked_by) AS checkers FROM check_results
          WHERE checked_at >= $1 AND target = ANY($2::text[]) GROUP BY target ORDER BY target`,
        [since.toISOString(), TARGETS],
      )
    ).rows;

  it('checks each target from exactly one replica', async () => {
    const since = new Date();
    await waitFor(async () => (await checkersSince(since)).length === TARGETS.length, {
      timeoutMs: 20_000,
      description: 'every target checked',
    });
    // Three more intervals: still one checker per target.
    await new Promise((resolve) => setTimeout(resolve, 3 * INTERVAL_S * 1000));
    const rows = await checkersSince(since);
    expect(rows.map((r) => [r.target, r.checkers.length])).toEqual(TARGETS.map((t) => [t, 1]));
  });

  it('raises one ServiceDown and one resolve for a target that goes down and back', async () => {
    statusOf.b = 500;
    await waitFor(() => alerts.some((a) => a.subject === ALERT_FIRED_SUBJECT && a.service === 'b'), {
      timeoutMs: 20_000,
      description: 'ServiceDown for b',
    });
    statusOf.b = 200;
    await waitFor(() => alerts.some((a) => a.subject === ALERT_RESOLVED_SUBJECT && a.service === 'b'), {
      timeoutMs: 20_000,
      description: 'ServiceDown for b resolved',
    });
    // Another two intervals for a duplicate to show up, if one were coming.
    await new Promise((resolve) => setTimeout(resolve, 2 * INTERVAL_S * 1000));
    expect(alerts.filter((a) => a.service === 'b').map((a) => a.subject)).toEqual([
      ALERT_FIRED_SUBJECT,
      ALERT_RESOLVED_SUBJECT,
    ]);
  });

  it("moves a dead replica's targets to the other one", async () => {
    const { rows: leases } = await db.query<{ target: string; owner: string }>(
      `SELECT target, owner FROM target_leases WHERE target = ANY($1::text[])`,
      [TARGETS],
    );
    const ids = replicas.map(replicaIdOf);
    // Kill the replica holding the most leases.
    const owned = ids.map((id) => leases.filter((l) => l.owner === id).length);
    const victim = owned[0] >= owned[1] ? 0 : 1;
    const survivor = 1 - victim;
    expect(ids[victim]).not.toBeNull();
    expect(owned[victim]).toBeGreaterThan(0);
    replicas[victim].process.kill('SIGKILL');
    await replicas[victim].process.waitForExit(10_000);
    const killedAt = new Date();
    const moved = leases.filter((l) => l.owner === ids[victim]).map((l) => l.target);
    // Lease TTL (interval + 2 s) plus a retry at half an interval, and slack for a busy machine.
    await waitFor(
      async () => {
        // The survivor logs its id when it takes its first lease (perhaps only now).
        const survivorId = replicaIdOf(replicas[survivor]);
        const rows = await checkersSince(killedAt);
        return (
          survivorId !== null &&
          moved.every((t) => rows.find((r) => r.target === t)?.checkers.includes(survivorId))
        );
      },
      { timeoutMs: (2 * INTERVAL_S + 2) * 1000 + 10_000, intervalMs: 250, description: 'targets taken over' },
    );
  });
});
