import { jetstream } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { randomUUID } from 'node:crypto';

import { auditEventSubject } from '@vigil/contracts';
import { waitFor } from '@vigil/testing';

import { auditEvent, encode, NO_SCOPE_KEY, readerHeaders } from './audit-factory';
import { startAudit, type AuditHarness } from './audit-harness';

interface Listed {
  event: { id: string; actor: { id: string }; action: string; outcome: string; tenant_id?: string };
  received_at: string;
}
interface Page {
  events: Listed[];
  count: number;
  next_cursor: string | null;
}

describe('audit query API: filters, cursor pagination, API keys (real NATS + Postgres)', () => {
  let audit: AuditHarness;
  let client: NatsConnection;
  let base: string;
  const tenant = `t-${randomUUID().slice(0, 8)}`;

  const get = async (path: string, headers: Record<string, string> = readerHeaders) => {
    const res = await fetch(`${base}${path}`, { headers });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  const page = async (query: string) => (await get(`/audit/events?${query}`)).body as unknown as Page;

  beforeAll(async () => {
    audit = await startAudit();
    ({ client, base } = audit);
    const js = jetstream(client);
    // 7 admin views by admin-1, 3 denied privacy changes by user u-2; all in one tenant.
    for (let i = 0; i < 7; i++) {
      const e = auditEvent({ tenant_id: tenant, resource: { type: 'wallet', id: `w-${i}` } });
      await js.publish(auditEventSubject('shop'), encode(e), { msgID: e.id });
    }
    for (let i = 0; i < 3; i++) {
      const e = auditEvent({
        tenant_id: tenant,
        actor: { type: 'user', id: 'u-2' },
        action: 'privacy.settings.updated',
        resource: { type: 'user', id: 'u-2' },
        outcome: 'denied',
      });
      await js.publish(auditEventSubject('shop'), encode(e), { msgID: e.id });
    }
    await waitFor(async () => ((await page(`tenant=${tenant}&limit=100`)).count === 10 ? true : null), {
      timeoutMs: 20_000,
      description: '10 events listed',
    });
  });

  afterAll(async () => {
    await audit?.stop();
  });

  it('filters by actor, action prefix, resource, outcome and tenant', async () => {
    expect((await page(`tenant=${tenant}&actor=admin-1`)).count).toBe(7);
    const privacy = await page(`tenant=${tenant}&action_prefix=privacy.`);
    expect(privacy.count).toBe(3);
    expect(privacy.events.every((e) => e.event.action === 'privacy.settings.updated')).toBe(true);
    expect((await page(`tenant=${tenant}&outcome=denied`)).count).toBe(3);
    expect((await page(`tenant=${tenant}&resource_type=wallet&resource_id=w-3`)).count).toBe(1);
    expect((await page(`tenant=other-tenant`)).count).toBe(0);
    const future = encodeURIComponent(new Date(Date.now() + 3_600_000).toISOString());
    expect((await page(`tenant=${tenant}&from=${future}`)).count).toBe(0);
    expect((await page(`tenant=${tenant}&to=${future}`)).count).toBe(10);
  });

  it('pages newest first with a cursor, without repeating or skipping', async () => {
    const seen: Listed[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const p: Page = await page(`tenant=${tenant}&limit=4${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...p.events);
      cursor = p.next_cursor;
      pages += 1;
    } while (cursor && pages < 10);
    expect(pages).toBe(3);
    expect(new Set(seen.map((e) => e.event.id)).size).toBe(10);
    const times = seen.map((e) => Date.parse(e.received_at));
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    const bad = await get('/audit/events?cursor=not-ours');
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ error: 'bad_request', message: expect.stringContaining('cursor') });
  });

  it('returns one event by id with its chain position, and 404 for an unknown id', async () => {
    const [first] = (await page(`tenant=${tenant}&limit=1`)).events;
    const one = await get(`/audit/events/${first.event.id}`);
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject({ event: { id: first.event.id }, seq: expect.any(Number) });
    expect(one.body.hash).toMatch(/^[0-9a-f]{64}$/);
    const missing = await get(`/audit/events/${randomUUID()}`);
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ error: 'not_found' });
    expect((await get('/audit/events/not-a-uuid')).status).toBe(400);
  });

  it('answers 401 without or with an unknown key, 403 without the scope, and audits each denial', async () => {
    const none = await get('/audit/events', {});
    expect(none.status).toBe(401);
    expect(none.body).toMatchObject({ error: 'unauthorized' });
    expect((await get('/audit/events', { authorization: 'Bearer wrong-key' })).status).toBe(401);
    const forbidden = await get(`/audit/events/${randomUUID()}`, { authorization: `Bearer ${NO_SCOPE_KEY}` });
    expect(forbidden.status).toBe(403);
    expect(forbidden.body).toMatchObject({
      error: 'forbidden',
      message: expect.stringContaining('audit:read'),
    });

    const denials = await waitFor(
      async () => {
        const p = await page('action_prefix=audit.api.&outcome=denied&limit=10');
        return p.count >= 3 ? p : null;
      },
      { timeoutMs: 15_000, description: 'three denials in the trail' },
    );
    expect(denials!.events.map((e) => e.event.actor.id).sort()).toEqual([
      'anonymous',
      'anonymous',
      'metrics-bot',
    ]);
  });
});
