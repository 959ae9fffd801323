import { auditEventV1Schema } from '@vigil/contracts';

import { readEventOf } from './read-trail';

describe('readEventOf', () => {
  const read = {
    kind: 'list' as const,
    resource: { type: 'audit_events', id: 'search' },
    filters: { actor: 'admin-7', action_prefix: 'wallet.', password: 'hunter2', limit: 50 },
    count: 3,
  };

  it('names the key as a service actor, the filters (redacted) and the count', () => {
    const event = readEventOf({ name: 'auditor' }, '10.0.0.9', read);
    expect(event).toMatchObject({
      actor: { type: 'service', id: 'auditor', ip: '10.0.0.9' },
      action: 'audit.events.read',
      outcome: 'success',
      metadata: { count: 3, filters: { actor: 'admin-7', action_prefix: 'wallet.', limit: 50 } },
    });
    expect(JSON.stringify(event)).not.toContain('hunter2');
    expect(() =>
      auditEventV1Schema.parse({
        ...event,
        id: crypto.randomUUID(),
        occurred_at: new Date().toISOString(),
        source: 'audit',
      }),
    ).not.toThrow();
  });

  it('names an OIDC principal as a person, and each kind of read by its action', () => {
    expect(readEventOf({ name: 'oidc:alice' }, undefined, { ...read, kind: 'get' })).toMatchObject({
      actor: { type: 'user', id: 'oidc:alice' },
      action: 'audit.event.read',
    });
    expect(readEventOf({ name: 'k' }, undefined, { ...read, kind: 'verify' }).action).toBe(
      'audit.chain.verified',
    );
  });
});
