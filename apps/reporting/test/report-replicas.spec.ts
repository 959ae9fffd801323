import { writeFileSync } from 'node:fs';
import net from 'node:net';
import { join } from 'node:path';

import {
  freePort,
  runService,
  startNatsServer,
  startSmtpServer,
  testDatabaseUrl,
  waitFor,
  type NatsServerHandle,
  type ServiceProcess,
  type SmtpSink,
  tempDir,
} from '@vigil/testing';

import { bearer, reportingApiKeys } from './report-api-key';

interface RunJson {
  id: string;
  report: string;
  period_start: string;
  status: string;
  attempts: number;
  subject: string | null;
}

/**
 * Real replicas: separate `node dist/main.js` processes on one Postgres, NATS and SMTP server, each
 * with the same cron firing every second. The claim row decides; nobody keeps an in-memory flag.
 */
describe('scheduled reports across replicas (real processes, Postgres, NATS, SMTP)', () => {
  let nats: NatsServerHandle;
  let smtp: SmtpSink;
  let databaseUrl: string;
  let blackHole: net.Server;
  let blackHolePort: number;
  const replicas: ServiceProcess[] = [];
  const dir = tempDir('vigil-report-replicas-');

  const reportsFile = (id: string, name: string) => {
    const file = join(dir, `${id}.yaml`);
    writeFileSync(
      file,
      `reports:\n  - id: ${id}\n    name: ${name}\n    cron: "* * * * * *"\n    period: day\n    sections: [uptime, alerts]\n`,
    );
    return file;
  };

  const start = async (env: Record<string, string>) => {
    const port = await freePort();
    const replica = await runService({
      app: 'reporting',
      env: {
        PORT: String(port),
        NATS_URL: nats.url,
        DATABASE_URL: databaseUrl,
        LOG_LEVEL: 'info',
        REPORT_FROM: 'vigil@example.com',
        REPORT_RECIPIENTS: 'ops@example.com',
        SUMMARY_TIMEOUT_MS: '300',
        SMTP_RETRY_BACKOFF_MS: '50',
        API_KEYS: reportingApiKeys(),
        ...env,
      },
    });
    replicas.push(replica);
    await replica.waitForReady(port);
    return { replica, base: `http://127.0.0.1:${port}` };
  };

  /** The one run of `report` once `ready` holds for it. */
  const runOnce = async (base: string, report: string, ready: (run: RunJson) => boolean, what: string) => {
    const found = await waitFor(
      async () => {
        const list = await runs(base, report);
        return list.length === 1 && ready(list[0]) ? list : null;
      },
      { timeoutMs: 20_000, description: what },
    );
    if (!found) throw new Error(`${what}: not found`);
    return found[0];
  };

  const runs = async (base: string, report: string) =>
    (
      (await (await fetch(`${base}/reports?limit=200`, { headers: bearer })).json()) as { runs: RunJson[] }
    ).runs.filter((r) => r.report === report);

  beforeAll(async () => {
    [nats, smtp, databaseUrl] = await Promise.all([startNatsServer(), startSmtpServer(), testDatabaseUrl()]);
    // Accepts SMTP connections and never greets: a send hangs there until the replica dies.
    blackHole = net.createServer(() => undefined);
    blackHolePort = await freePort();
    await new Promise<void>((resolve) => blackHole.listen(blackHolePort, '127.0.0.1', resolve));
  });

  afterEach(async () => {
    await Promise.all(replicas.splice(0).map((r) => r.stop()));
  });

  afterAll(async () => {
    blackHole?.close();
    await smtp?.stop();
    await nats?.stop();
  });

  it('sends one e-mail per definition and period when three replicas fire at the same second', async () => {
    const env = {
      SMTP_URL: `smtp://127.0.0.1:${smtp.port}`,
      REPORTS_FILE: reportsFile('trio', 'trio digest'),
    };
    const [a] = await Promise.all([start(env), start(env), start(env)]);
    const mail = await smtp.waitForMessage((m) => m.subject?.startsWith('Trio digest ') ?? false, 20_000);
    const run = await runOnce(a.base, 'trio', (r) => r.status === 'sent', 'the trio run marked sent');
    expect(mail.subject).toBe(run.subject);
    expect(run.attempts).toBe(1);
    // Every replica keeps firing each second; the claim keeps answering "already sent".
    await waitFor(() => replicas.every((r) => r.output().includes('report already claimed')) || null, {
      timeoutMs: 10_000,
      description: 'every replica seeing the claim',
    });
    expect(smtp.messages.filter((m) => m.subject === run.subject)).toHaveLength(1);
  });

  it('finishes the send of a replica killed mid-send, without a duplicate', async () => {
    const reports = reportsFile('phoenix', 'phoenix digest');
    const doomed = await start({ SMTP_URL: `smtp://127.0.0.1:${blackHolePort}`, REPORTS_FILE: reports });
    // The doomed replica claimed the period and stored the report (the outbox entry), then hangs in SMTP.
    const claimed = await runOnce(
      doomed.base,
      'phoenix',
      (r) => r.subject !== null,
      'the phoenix claim with its stored report',
    );
    expect(claimed.status).toBe('claimed');
    doomed.replica.kill('SIGKILL');
    await doomed.replica.waitForExit();

    const env = {
      SMTP_URL: `smtp://127.0.0.1:${smtp.port}`,
      REPORTS_FILE: reports,
      REPORT_CLAIM_STALE_MS: '1000',
      REPORT_STALE_SWEEP_MS: '200',
    };
    const [b] = await Promise.all([start(env), start(env)]);
    const mail = await smtp.waitForMessage((m) => m.subject === claimed.subject, 20_000);
    const run = await runOnce(b.base, 'phoenix', (r) => r.status === 'sent', 'the phoenix run marked sent');
    expect(run.id).toBe(claimed.id);
    expect(mail.messageId).toBeDefined();
    // One attempt by the dead replica, one by the survivor that took the claim over.
    expect(run.attempts).toBe(2);
    await waitFor(
      () => replicas.slice(1).every((r) => r.output().includes('report already claimed')) || null,
      { timeoutMs: 10_000, description: 'both survivors seeing the claim' },
    );
    expect(smtp.messages.filter((m) => m.subject === claimed.subject)).toHaveLength(1);
  });
});
