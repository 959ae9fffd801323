import { randomBytes } from 'node:crypto';

import { jetstream } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import type { INestApplication } from '@nestjs/common';
import { Client } from 'pg';

import { auditEventSubject, type AuditEventV1 } from '@vigil/contracts';
import { startService } from '@vigil/platform';
import { freePort, startNatsServer, testDatabaseUrl, waitFor, type NatsServerHandle } from '@vigil/testing';

import { masterKeyId } from '../src/config/master-keys';
import { SubjectKeys } from '../src/erasure/subject-keys';
import { auditService } from '../src/service';
import { API_KEYS_ENV, auditEvent, encode, readerHeaders } from './audit-factory';

const OLD_KEY = randomBytes(32);
const NEW_KEY = randomBytes(32);
const CAROL = `carol-${randomBytes(4).toString('hex')}`;

describe('master key rotation keeps old events readable (real NATS + Postgres)', () => {
  let nats: NatsServerHandle;
  let client: NatsConnection;
  let db: Client;
  let databaseUrl: string;
  let app: INestApplication | undefined;
  let base: string;

  /** The service on the shared database and NATS, with these master key settings. */
  const start = async (keys: Record<string, string>) => {
    const port = await freePort();
    app = await startService(
      auditService,
      {
        PORT: String(port),
        NATS_URL: nats.url,
        DATABASE_URL: databaseUrl,
        LOG_LEVEL: 'warn',
        API_KEYS: API_KEYS_ENV,
        ...keys,
      },
      { logger: false },
    );
    base = `http://127.0.0.1:${port}`;
    return app;
  };
  const stop = async () => {
    await app?.close();
    app = undefined;
  };
  const actorOf = async (id: string) => {
    const res = await fetch(`${base}/audit/events/${id}`, { headers: readerHeaders });
    return { status: res.status, body: (await res.json()) as { event?: AuditEventV1; error?: string } };
  };
  const wrappedBy = async () =>
    (
      await db.query<{ master_key_id: string }>(`SELECT DISTINCT master_key_id FROM audit_subject_keys`)
    ).rows.map((r) => r.master_key_id);

  beforeAll(async () => {
    nats = await startNatsServer();
    databaseUrl = await testDatabaseUrl();
    client = await connect({ servers: nats.url });
    db = new Client({ connectionString: databaseUrl });
    await db.connect();
  });

  afterAll(async () => {
    await stop();
    await db?.end();
    await client?.close();
    await nats?.stop();
  });

  it('reads events sealed under the old master key through AUDIT_MASTER_KEY_PREVIOUS, re-wraps, then needs only the new key', async () => {
    await start({ AUDIT_MASTER_KEY: OLD_KEY.toString('base64') });
    const event = auditEvent({
      actor: { type: 'user', id: CAROL },
      action: 'profile.viewed',
    }) as AuditEventV1;
    await jetstream(client).publish(auditEventSubject('shop'), encode(event), { msgID: event.id });
    await waitFor(async () => ((await actorOf(event.id)).status === 200 ? true : null), {
      timeoutMs: 20_000,
      description: 'event stored',
    });
    expect((await actorOf(event.id)).body.event?.actor.id).toBe(CAROL);
    expect(await wrappedBy()).toEqual([masterKeyId(OLD_KEY)]);
    await stop();

    // Without the old key its events could not be read: the service refuses to boot, naming the setting.
    await expect(start({ AUDIT_MASTER_KEY: NEW_KEY.toString('hex') })).rejects.toThrow(
      `invalid configuration: AUDIT_MASTER_KEY_PREVIOUS: subject keys are wrapped by master key ${masterKeyId(OLD_KEY)}`,
    );

    const rotated = await start({
      AUDIT_MASTER_KEY: NEW_KEY.toString('hex'),
      AUDIT_MASTER_KEY_PREVIOUS: OLD_KEY.toString('base64'),
    });
    expect((await actorOf(event.id)).body.event?.actor.id).toBe(CAROL);
    expect(await rotated.get(SubjectKeys).rewrapAll()).toBeGreaterThanOrEqual(1);
    expect(await wrappedBy()).toEqual([masterKeyId(NEW_KEY)]);
    await stop();

    await start({ AUDIT_MASTER_KEY: NEW_KEY.toString('hex') });
    expect((await actorOf(event.id)).body.event?.actor.id).toBe(CAROL);
    const verify = await fetch(`${base}/audit/verify`, { headers: readerHeaders });
    expect(((await verify.json()) as { ok: boolean }).ok).toBe(true);
  });
});
