import { jetstream } from '@nats-io/jetstream';
import { randomUUID } from 'node:crypto';

import { auditEventSubject } from '@vigil/contracts';
import { waitFor } from '@vigil/testing';

import { auditEvent, encode, readerHeaders } from './audit-factory';
import { startAudit, type AuditHarness } from './audit-harness';

interface Page {
  events: { event: { id: string; action: string; source: string } }[];
  count: number;
}
interface DetectionPage {
  detections: { rule: string; event_id: string; severity: string; summary: string }[];
  count: number;
  next_cursor: string | null;
}

describe('console search filters and the detections list (real NATS + Postgres)', () => {
  let audit: AuditHarness;
  const tenant = `t-${randomUUID().slice(0, 8)}`;
  const get = async <T>(path: string): Promise<{ status: number; body: T }> => {
    const res = await fetch(`${audit.base}${path}`, { headers: readerHeaders });
    return { status: res.status, body: (await res.json()) as T };
  };
  const viewed = auditEvent({
    tenant_id: tenant,
    action: 'wallet.settings.viewed',
    metadata: { note: '50% off_all' },
  });
  const fromCrm = auditEvent({ tenant_id: tenant, source: 'crm', action: 'wallet.settings.viewedx' });
  const edits = [1, 2, 3].map(() =>
    auditEvent({
      tenant_id: tenant,
      action: 'admin.economy_field.changed',
      changes: { deltacoin_balance: { before: 1, after: 2 } },
    }),
  );

  beforeAll(async () => {
    audit = await startAudit();
    const js = jetstream(audit.client);
    for (const e of [viewed, fromCrm, ...edits]) {
      await js.publish(auditEventSubject(e.source), encode(e), { msgID: e.id });
    }
    await waitFor(async () => (await get<Page>(`/audit/events?tenant=${tenant}`)).body.count === 5 || null, {
      timeoutMs: 20_000,
      description: '5 events listed',
    });
  });

  afterAll(async () => {
    await audit?.stop();
  });

  it('matches an exact action (not its prefix), a source, and free text taken literally', async () => {
    const exact = await get<Page>(`/audit/events?tenant=${tenant}&action=wallet.settings.viewed`);
    expect(exact.body.events.map((e) => e.event.id)).toEqual([viewed.id]);
    const source = await get<Page>(`/audit/events?tenant=${tenant}&source=crm`);
    expect(source.body.events.map((e) => e.event.id)).toEqual([fromCrm.id]);
    const text = await get<Page>(`/audit/events?tenant=${tenant}&q=${encodeURIComponent('50% OFF_all')}`);
    expect(text.body.events.map((e) => e.event.id)).toEqual([viewed.id]);
    // % and _ are literal, not wildcards: "5_%" would match "50% off" as a pattern.
    expect(
      (await get<Page>(`/audit/events?tenant=${tenant}&q=${encodeURIComponent('5_%')}`)).body.count,
    ).toBe(0);
    expect((await get<Page>(`/audit/events?action=Not-Dot-Case`)).status).toBe(400);
  });

  it('lists detections newest first with their events, filtered by rule, paged by cursor', async () => {
    const all = await waitFor(
      async () => {
        const page = await get<DetectionPage>('/audit/detections?rule=AdminEconomyFieldChanged');
        if (page.body.count !== 3) throw new Error(`${page.body.count} detections so far`);
        return page.body;
      },
      { timeoutMs: 10_000, description: '3 detections' },
    );
    expect(new Set(all.detections.map((d) => d.event_id))).toEqual(new Set(edits.map((e) => e.id)));
    expect(all.detections.every((d) => d.severity === 'critical')).toBe(true);
    const first = await get<DetectionPage>('/audit/detections?rule=AdminEconomyFieldChanged&limit=2');
    expect(first.body.count).toBe(2);
    expect(first.body.next_cursor).not.toBeNull();
    const second = await get<DetectionPage>(
      `/audit/detections?rule=AdminEconomyFieldChanged&limit=2&cursor=${first.body.next_cursor}`,
    );
    expect(second.body.detections.map((d) => d.event_id)).toEqual([
      all.detections
        .map((d) => d.event_id)
        .find((id) => !first.body.detections.some((d) => d.event_id === id)),
    ]);
    expect((await get('/audit/detections?rule=NoSuchRule')).body).toMatchObject({ count: 0 });
    expect((await get('/audit/detections?cursor=forged')).status).toBe(400);
    const reads = await get<Page>(
      '/audit/events?action=audit.events.read&resource_type=audit_detections&limit=50',
    );
    expect(reads.body.count).toBeGreaterThan(0);
  });
});
