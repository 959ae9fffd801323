import type { AuditEventInput } from '../audit/audit-publisher';
import { AccessDenials } from './access-denials';

describe('AccessDenials', () => {
  let published: AuditEventInput[];
  const audit = {
    publish: (input: AuditEventInput) => {
      published.push(input);
      return Promise.resolve();
    },
  };

  beforeEach(() => {
    published = [];
  });

  it('audits each denial within the budget, and the rest as one summary per actor and reason', () => {
    const now = 0;
    const denials = new AccessDenials(audit, 'alerting', { burst: 3, perSecond: 1, now: () => now });
    const unknown = { actor: 'anonymous', ip: '192.0.2.1', route: 'GET /things', reason: 'unknown API key' };
    for (let i = 0; i < 10; i++) denials.record(unknown);
    denials.record({ actor: 'auditor', route: 'POST /things', reason: 'key lacks scope alerts:write' });
    expect(published).toHaveLength(3);
    expect(published[0]).toEqual({
      actor: { type: 'service', id: 'anonymous', ip: '192.0.2.1' },
      action: 'alerting.api.access_denied',
      resource: { type: 'alerting_api', id: 'GET /things' },
      outcome: 'denied',
      metadata: { reason: 'unknown API key' },
    });

    denials.flush();
    expect(published.slice(3)).toEqual([
      expect.objectContaining({
        actor: { type: 'service', id: 'anonymous' },
        resource: { type: 'alerting_api', id: '*' },
        metadata: { reason: 'unknown API key', count: 7 },
      }),
      expect.objectContaining({
        actor: { type: 'service', id: 'auditor' },
        metadata: { reason: 'key lacks scope alerts:write', count: 1 },
      }),
    ]);
    denials.flush();
    expect(published).toHaveLength(5);
  });

  it("masks a route's secret or personal segment in what it audits", () => {
    const denials = new AccessDenials(audit, 'audit', {
      secretPaths: [{ pattern: /\/audit\/subjects\/[^/?]+/, replacement: '/audit/subjects/[subject]' }],
    });
    denials.record({
      actor: 'reader',
      route: 'POST /audit/subjects/alice-42/erase',
      reason: 'key lacks scope audit:erase',
    });
    denials.record({ actor: 'reader', route: 'GET /audit/events', reason: 'key lacks scope audit:read' });
    expect(published.map((p) => p.resource.id)).toEqual([
      'POST /audit/subjects/[subject]/erase',
      'GET /audit/events',
    ]);
  });

  it('publishes the summary by itself after the interval', async () => {
    const denials = new AccessDenials(audit, 'audit', { burst: 1, perSecond: 0.001, summaryIntervalMs: 20 });
    denials.record({ actor: 'anonymous', route: 'GET /audit/events', reason: 'unknown API key' });
    denials.record({ actor: 'anonymous', route: 'GET /audit/events', reason: 'unknown API key' });
    expect(published).toHaveLength(1);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(published.map((event) => event.metadata)).toEqual([
      { reason: 'unknown API key' },
      { reason: 'unknown API key', count: 1 },
    ]);
  });
});
