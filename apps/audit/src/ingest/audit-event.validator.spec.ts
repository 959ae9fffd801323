import { randomUUID } from 'node:crypto';

import { validateAuditMessage } from './audit-event.validator';

const encode = (value: unknown) =>
  new TextEncoder().encode(typeof value === 'string' ? value : JSON.stringify(value));

function event(overrides: Record<string, unknown> = {}) {
  return {
    id: randomUUID(),
    occurred_at: '2026-11-22T10:00:00+00:00',
    source: 'billing',
    actor: { type: 'admin', id: 'admin-7' },
    action: 'admin.profile.viewed',
    resource: { type: 'user', id: '42' },
    outcome: 'success',
    ...overrides,
  };
}

describe('validateAuditMessage', () => {
  it('accepts a valid event whose source matches the subject', () => {
    const result = validateAuditMessage('audit.v1.events.billing', encode(event()));
    expect(result.ok).toBe(true);
  });

  it('rejects U+0000 anywhere in the event (jsonb cannot store it)', () => {
    const result = validateAuditMessage(
      'audit.v1.events.billing',
      encode(event({ metadata: { note: 'a\u0000b' } })),
    );
    expect(result).toMatchObject({ ok: false, reason: 'schema', detail: 'strings must not contain U+0000' });
  });

  it('rejects bytes that are not JSON', () => {
    const result = validateAuditMessage('audit.v1.events.billing', encode('{nope'));
    expect(result).toMatchObject({ ok: false, reason: 'not_json' });
  });

  it('rejects a schema violation and names the field', () => {
    const result = validateAuditMessage('audit.v1.events.billing', encode(event({ outcome: 'maybe' })));
    expect(result).toMatchObject({ ok: false, reason: 'schema' });
    expect(!result.ok && result.detail).toContain('outcome');
  });

  it('rejects an event whose source differs from the subject token', () => {
    const result = validateAuditMessage('audit.v1.events.shop', encode(event()));
    expect(result).toMatchObject({ ok: false, reason: 'source_mismatch' });
  });

  it('rejects a message over 64 KiB before parsing it', () => {
    const result = validateAuditMessage(
      'audit.v1.events.billing',
      encode(event({ metadata: { blob: 'x'.repeat(70_000) } })),
    );
    expect(result).toMatchObject({ ok: false, reason: 'too_large' });
  });
});
