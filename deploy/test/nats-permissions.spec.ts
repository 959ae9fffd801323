// Runs the real nats-server with k8s/base/nats-auth.conf (the file docker/nats.conf and the Kubernetes NATS
// config include) and shows the server itself enforcing the trust boundaries of SECURITY.md: a publisher
// cannot spoof another source, only audit reads AUDIT, only alerting reads ALERTS, only reporting asks
// for summaries, no user reads another one's inbox, and each service can still do its own work (stream
// setup, consumers, request/reply). Clients connect as the services do: libs/platform's natsConnectOptions
// (credentials from the URL, inbox prefix `_INBOX_<user>`).
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

import {
  AckPolicy,
  DiscardPolicy,
  jetstream,
  jetstreamManager,
  RetentionPolicy,
  StorageType,
  type JetStreamManager,
  type StreamConfig,
} from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import {
  ALERTING_SUMMARY_SUBJECT,
  AUDIT_INGEST_CONSUMER,
  AUDIT_STREAM,
  AUDIT_SUMMARY_SUBJECT,
  ALERTS_STREAM,
  HEALTH_SUMMARY_SUBJECT,
  STREAMS,
  auditEventSubject,
  ERRORS_DLQ_STREAM,
  ERRORS_INGEST_CONSUMER,
  ERRORS_STREAM,
  errorsDlqSubject,
  errorsEventSubject,
  HEALTH_CHECKINS_SUBJECT,
  HEALTH_CHECKINS_CONSUMER,
  HEALTH_DLQ_STREAM,
  healthDlqSubject,
} from '@vigil/contracts';
import { natsConnectOptions } from '@vigil/platform';

import { REPO_ROOT } from './support';

const AUTH_FILE = path.join(REPO_ROOT, 'k8s/base/nats-auth.conf');
const SERVICES = ['health', 'audit', 'alerting', 'reporting', 'errors', 'console'] as const;
const encoder = new TextEncoder();

/** `$NATS_..._PASSWORD` variables the auth file reads from the server's environment, by user. */
function passwordVariables(text: string): Record<string, string> {
  const users: Record<string, string> = {};
  for (const match of text.matchAll(/user:\s*([\w-]+)\s*\n\s*password:\s*\$(\w+)/g))
    users[match[1]] = match[2];
  return users;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function waitForConnect(port: number, user: string, pass: string): Promise<void> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    try {
      const nc = await connect({ servers: `127.0.0.1:${port}`, user, pass, reconnect: false });
      await nc.close();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

/** The stream setup every service runs at boot (libs/platform JetStreamSetup): info, then update or add. */
async function ensureStreams(jsm: JetStreamManager): Promise<void> {
  for (const definition of STREAMS) {
    const config: Partial<StreamConfig> & { name: string } = {
      name: definition.name,
      subjects: [...definition.subjects],
      description: definition.description,
      storage: StorageType.File,
      retention: RetentionPolicy.Limits,
      discard: DiscardPolicy.Old,
      ...(definition.duplicate_window_ns ? { duplicate_window: definition.duplicate_window_ns } : {}),
      ...(definition.max_age_ns ? { max_age: definition.max_age_ns } : {}),
    };
    try {
      await jsm.streams.info(definition.name);
      await jsm.streams.update(definition.name, config);
    } catch (error) {
      if (!/not found/i.test(String(error))) throw error;
      await jsm.streams.add(config);
    }
  }
}

const refusal = async (work: () => Promise<unknown>): Promise<string> => {
  try {
    await work();
    return 'allowed';
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
};

describe('NATS users and permissions (k8s/base/nats-auth.conf on a real nats-server)', () => {
  let server: ChildProcess;
  let port = 0;
  let dir = '';
  const passwords: Record<string, string> = {};
  const open: NatsConnection[] = [];

  const as = async (user: string): Promise<NatsConnection> => {
    const options = natsConnectOptions(`nats://${user}:${passwords[user]}@127.0.0.1:${port}`);
    const nc = await connect({ ...options, reconnect: false });
    open.push(nc);
    return nc;
  };

  beforeAll(async () => {
    const authText = fs.readFileSync(AUTH_FILE, 'utf8');
    const variables = passwordVariables(authText);
    const env: NodeJS.ProcessEnv = { PATH: process.env.PATH };
    for (const [user, variable] of Object.entries(variables)) {
      // NATS parses a $VARIABLE's value as config: a password must not start with a digit (SECURITY.md).
      passwords[user] = `v${randomBytes(12).toString('hex')}`;
      env[variable] = passwords[user];
    }
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-nats-auth-'));
    fs.copyFileSync(AUTH_FILE, path.join(dir, 'nats-auth.conf'));
    port = await freePort();
    fs.writeFileSync(
      path.join(dir, 'nats.conf'),
      `listen: 127.0.0.1:${port}\njetstream { store_dir: ${JSON.stringify(path.join(dir, 'js'))} }\ninclude ./nats-auth.conf\n`,
    );
    server = spawn(process.env.NATS_SERVER_BIN ?? 'nats-server', ['-c', path.join(dir, 'nats.conf')], {
      env,
      stdio: 'ignore',
    });
    await waitForConnect(port, 'audit', passwords.audit);
    const audit = await as('audit');
    await ensureStreams(await jetstreamManager(audit));
  });

  afterAll(async () => {
    for (const nc of open) if (!nc.isClosed()) await nc.close();
    server?.kill('SIGTERM');
    if (server && server.exitCode === null) await new Promise((resolve) => server.once('exit', resolve));
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('defines a user with a password from the environment for every service and the example publisher', () => {
    expect(Object.keys(passwords).sort()).toEqual(
      ['alerting', 'audit', 'audit-replay', 'billing', 'console', 'errors', 'health', 'reporting'].sort(),
    );
    expect(fs.readFileSync(AUTH_FILE, 'utf8')).not.toMatch(/password:\s*["']?[^$\s]/);
  });

  it('refuses a connection with a wrong password or no credentials', async () => {
    expect(
      await refusal(() =>
        connect({ servers: `127.0.0.1:${port}`, user: 'billing', pass: 'wrong', reconnect: false }),
      ),
    ).toMatch(/Authorization Violation/);
    expect(await refusal(() => connect({ servers: `127.0.0.1:${port}`, reconnect: false }))).toMatch(
      /Authorization Violation/,
    );
  });

  it.each(SERVICES)('lets %s run the stream setup every service runs at boot', async (service) => {
    const jsm = await jetstreamManager(await as(service));
    await expect(ensureStreams(jsm)).resolves.toBeUndefined();
    expect(await refusal(() => jsm.streams.delete(AUDIT_STREAM.name))).toMatch(/Permissions Violation/);
    expect(await refusal(() => jsm.streams.purge(AUDIT_STREAM.name))).toMatch(/Permissions Violation/);
  });

  it('lets a publisher publish to its own source and refuses spoofing another source', async () => {
    const js = jetstream(await as('billing'));
    const own = await js.publish(auditEventSubject('billing'), encoder.encode('{}'), { msgID: 'own-1' });
    expect(own).toMatchObject({ stream: AUDIT_STREAM.name, duplicate: false });
    for (const spoofed of ['audit', 'alerting', 'payments'])
      expect(await refusal(() => js.publish(auditEventSubject(spoofed), encoder.encode('{}')))).toMatch(
        `Permissions Violation for Publish to "${auditEventSubject(spoofed)}"`,
      );
    expect(await refusal(() => js.publish('alerts.v1.fired', encoder.encode('{}')))).toMatch(
      /Permissions Violation/,
    );
  });

  it.each(SERVICES.filter((service) => service !== 'audit'))(
    'lets %s publish audit events only as itself',
    async (service) => {
      const js = jetstream(await as(service));
      await expect(js.publish(auditEventSubject(service), encoder.encode('{}'))).resolves.toMatchObject({
        stream: AUDIT_STREAM.name,
      });
      expect(await refusal(() => js.publish(auditEventSubject('audit'), encoder.encode('{}')))).toMatch(
        /Permissions Violation/,
      );
    },
  );

  it('lets audit publish as any source: POST /audit/v1/events binds each API key to its sources', async () => {
    const js = jetstream(await as('audit'));
    for (const source of ['audit', 'billing'])
      await expect(js.publish(auditEventSubject(source), encoder.encode('{}'))).resolves.toMatchObject({
        stream: AUDIT_STREAM.name,
      });
  });

  it('lets only audit consume the AUDIT stream', async () => {
    const jsm = await jetstreamManager(await as('audit'));
    await jsm.consumers.add(AUDIT_STREAM.name, {
      durable_name: AUDIT_INGEST_CONSUMER,
      ack_policy: AckPolicy.Explicit,
    });
    const consumer = await jetstream(open.at(-1)!).consumers.get(AUDIT_STREAM.name, AUDIT_INGEST_CONSUMER);
    const fetched: string[] = [];
    for await (const msg of await consumer.fetch({ max_messages: 1, expires: 2000 })) {
      fetched.push(msg.subject);
      msg.ack();
    }
    expect(fetched).toEqual([auditEventSubject('billing')]);

    for (const reader of ['alerting', 'health', 'reporting', 'billing', 'audit-replay']) {
      const nc = await as(reader);
      const readerJsm = await jetstreamManager(nc, { checkAPI: false });
      expect([
        reader,
        await refusal(() =>
          readerJsm.consumers.add(AUDIT_STREAM.name, {
            durable_name: `${reader}-spy`,
            ack_policy: AckPolicy.None,
          }),
        ),
      ]).toEqual([reader, expect.stringMatching(/Permissions Violation/)]);
      expect(
        await refusal(() => jetstream(nc).consumers.get(AUDIT_STREAM.name, AUDIT_INGEST_CONSUMER)),
      ).toMatch(/Permissions Violation/);
      expect(await refusal(() => readerJsm.streams.getMessage(AUDIT_STREAM.name, { seq: 1 }))).toMatch(
        /Permissions Violation/,
      );
      // Core NATS: the live audit subjects are not readable either.
      const sub = nc.subscribe('audit.v1.events.>');
      expect(String(await sub.closed)).toMatch(/Permissions Violation for Subscription/);
    }
  });

  it('lets only alerting consume the ALERTS stream', async () => {
    const jsm = await jetstreamManager(await as('alerting'));
    await expect(
      jsm.consumers.add(ALERTS_STREAM.name, {
        durable_name: 'alerting-ingest',
        ack_policy: AckPolicy.Explicit,
      }),
    ).resolves.toMatchObject({ name: 'alerting-ingest' });
    for (const reader of ['audit', 'health', 'reporting', 'billing']) {
      const readerJsm = await jetstreamManager(await as(reader), { checkAPI: false });
      expect([
        reader,
        await refusal(() =>
          readerJsm.consumers.add(ALERTS_STREAM.name, {
            durable_name: `${reader}-spy`,
            ack_policy: AckPolicy.None,
          }),
        ),
      ]).toEqual([reader, expect.stringMatching(/Permissions Violation/)]);
    }
  });

  it('lets only reporting ask for summaries, and only the owning service answer', async () => {
    const responders = {
      audit: AUDIT_SUMMARY_SUBJECT,
      alerting: ALERTING_SUMMARY_SUBJECT,
      health: HEALTH_SUMMARY_SUBJECT,
      errors: 'errors.v1.summary',
    };
    for (const [service, subject] of Object.entries(responders)) {
      const responder = await as(service);
      const sub = responder.subscribe(subject, {
        queue: service,
        callback: (_e, msg) => {
          msg.respond(encoder.encode(service));
        },
      });
      await responder.flush();
      const reporting = await as('reporting');
      const reply = await reporting.request(subject, encoder.encode('{}'), { timeout: 5000 });
      expect(new TextDecoder().decode(reply.data)).toBe(service);
      for (const caller of ['billing', ...SERVICES.filter((s) => s !== 'reporting')])
        expect(
          await refusal(async () =>
            (await as(caller)).request(subject, encoder.encode('{}'), { timeout: 5000 }),
          ),
        ).toMatch(/Permissions Violation/);
      // Nobody else can pose as the responder.
      const impostor = (await as('billing')).subscribe(subject);
      expect(String(await impostor.closed)).toMatch(/Permissions Violation for Subscription/);
      sub.unsubscribe();
    }
  });

  it('lets only errors write ERRORS, ERRORS_DLQ and check-ins, and only it consume ERRORS', async () => {
    const js = jetstream(await as('errors'));
    await expect(
      js.publish(errorsEventSubject('1'), encoder.encode('{}'), { msgID: '1:e1' }),
    ).resolves.toMatchObject({
      stream: ERRORS_STREAM.name,
      duplicate: false,
    });
    await expect(js.publish(errorsDlqSubject('event_json'), encoder.encode('{}'))).resolves.toMatchObject({
      stream: ERRORS_DLQ_STREAM.name,
    });
    await expect(js.publish(HEALTH_CHECKINS_SUBJECT, encoder.encode('{}'))).resolves.toMatchObject({
      stream: 'HEALTH',
    });
    await expect(js.publish(auditEventSubject('errors'), encoder.encode('{}'))).resolves.toMatchObject({
      stream: AUDIT_STREAM.name,
    });
    const jsm = await jetstreamManager(open.at(-1)!);
    await expect(
      jsm.consumers.add(ERRORS_STREAM.name, {
        durable_name: ERRORS_INGEST_CONSUMER,
        ack_policy: AckPolicy.Explicit,
      }),
    ).resolves.toMatchObject({ name: ERRORS_INGEST_CONSUMER });
    for (const other of ['audit', 'alerting', 'health', 'reporting', 'billing']) {
      const nc = await as(other);
      for (const subject of [errorsEventSubject('1'), errorsDlqSubject('x'), HEALTH_CHECKINS_SUBJECT])
        expect([
          other,
          subject,
          await refusal(() => jetstream(nc).publish(subject, encoder.encode('{}'))),
        ]).toEqual([other, subject, expect.stringMatching(/Permissions Violation/)]);
      const readerJsm = await jetstreamManager(nc, { checkAPI: false });
      expect([
        other,
        await refusal(() =>
          readerJsm.consumers.add(ERRORS_STREAM.name, {
            durable_name: `${other}-spy`,
            ack_policy: AckPolicy.None,
          }),
        ),
      ]).toEqual([other, expect.stringMatching(/Permissions Violation/)]);
    }
    expect(await refusal(() => js.publish(auditEventSubject('audit'), encoder.encode('{}')))).toMatch(
      /Permissions Violation/,
    );
  });

  it('lets only health consume check-ins from HEALTH, and only it write HEALTH_DLQ', async () => {
    await jetstream(await as('errors')).publish(HEALTH_CHECKINS_SUBJECT, encoder.encode('{"n":1}'));
    const health = await as('health');
    const jsm = await jetstreamManager(health);
    await jsm.consumers.add('HEALTH', {
      durable_name: HEALTH_CHECKINS_CONSUMER,
      ack_policy: AckPolicy.Explicit,
      filter_subject: HEALTH_CHECKINS_SUBJECT,
    });
    const consumer = await jetstream(health).consumers.get('HEALTH', HEALTH_CHECKINS_CONSUMER);
    const fetched: string[] = [];
    for await (const msg of await consumer.fetch({ max_messages: 1, expires: 2000 })) {
      fetched.push(msg.subject);
      msg.ack();
    }
    expect(fetched).toEqual([HEALTH_CHECKINS_SUBJECT]);
    await expect(
      jetstream(health).publish(healthDlqSubject('schema'), encoder.encode('{}')),
    ).resolves.toMatchObject({ stream: HEALTH_DLQ_STREAM.name });
    for (const other of ['audit', 'alerting', 'reporting', 'errors', 'billing']) {
      const nc = await as(other);
      const readerJsm = await jetstreamManager(nc, { checkAPI: false });
      expect([
        other,
        await refusal(() =>
          readerJsm.consumers.add('HEALTH', { durable_name: `${other}-spy`, ack_policy: AckPolicy.None }),
        ),
        await refusal(() => jetstream(nc).publish(healthDlqSubject('schema'), encoder.encode('{}'))),
      ]).toEqual([
        other,
        expect.stringMatching(/Permissions Violation/),
        expect.stringMatching(/Permissions Violation/),
      ]);
    }
  });

  it("keeps each user's replies private: nobody subscribes to another user's inbox or the shared one", async () => {
    const users = Object.keys(passwords);
    for (const user of users) {
      const nc = await as(user);
      for (const subject of [
        '_INBOX.>',
        '>',
        '_INBOX_*.>',
        ...users.filter((other) => other !== user).map((other) => `_INBOX_${other}.>`),
      ]) {
        const sub = nc.subscribe(subject);
        expect([user, subject, String(await sub.closed)]).toEqual([
          user,
          subject,
          expect.stringMatching(/Permissions Violation for Subscription/),
        ]);
      }
    }
  });

  it("does not let a service read the reply to another service's request", async () => {
    // audit answers reporting's audit.v1.summary; alerting listens where replies arrive and gets nothing.
    const responder = await as('audit');
    const answered = responder.subscribe(AUDIT_SUMMARY_SUBJECT, {
      callback: (_e, msg) => {
        msg.respond(encoder.encode('audit summary'));
      },
    });
    await responder.flush();
    const spy = await as('alerting');
    const spied: string[] = [];
    const spying = spy.subscribe('_INBOX_reporting.>', {
      callback: (_e, msg) => {
        spied.push(msg.subject);
      },
    });
    const reporting = await as('reporting');
    const reply = await reporting.request(AUDIT_SUMMARY_SUBJECT, encoder.encode('{}'), { timeout: 5000 });
    expect(new TextDecoder().decode(reply.data)).toBe('audit summary');
    expect(String(await spying.closed)).toMatch(/Permissions Violation for Subscription/);
    expect(spied).toEqual([]);
    answered.unsubscribe();
  });

  it('refuses a client on the shared _INBOX prefix: it must use its own', async () => {
    // Connected as billing but with nats.js' default inbox prefix, the JetStream ack cannot arrive.
    const nc = await connect({
      servers: `127.0.0.1:${port}`,
      user: 'billing',
      pass: passwords.billing,
      reconnect: false,
    });
    open.push(nc);
    expect(
      await refusal(() =>
        jetstream(nc, { timeout: 2000 }).publish(auditEventSubject('billing'), encoder.encode('{}')),
      ),
    ).not.toBe('allowed');
  });

  it('lets the DLQ replay user republish to any source but not read AUDIT', async () => {
    const nc = await as('audit-replay');
    await expect(
      jetstream(nc).publish(auditEventSubject('payments'), encoder.encode('{}')),
    ).resolves.toMatchObject({
      stream: AUDIT_STREAM.name,
    });
    expect(
      await refusal(() =>
        jetstreamManager(nc, { checkAPI: false }).then((jsm) =>
          jsm.streams.getMessage(AUDIT_STREAM.name, { seq: 1 }),
        ),
      ),
    ).toMatch(/Permissions Violation/);
  });

  it('does not take credentials from a nats://user:pass@host URL (@nats-io/transport-node 3.4)', async () => {
    // SECURITY.md: services need NATS_URL's user and password passed as connect options (the user:pass
    // part of the URL is not sent: the connect is refused, by the server or as an unreachable host).
    expect(
      await refusal(() =>
        connect({ servers: `nats://billing:${passwords.billing}@127.0.0.1:${port}`, reconnect: false }),
      ),
    ).not.toBe('allowed');
  });
});
