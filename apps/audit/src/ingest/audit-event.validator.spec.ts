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
    expect(result).toMatchObject({
      ok: false,
      reason: 'schema',
      detail: 'metadata.note: must not contain U+0000 (NUL)',
    });
  });

  // Each of these passed the schema before, then Postgres refused it and the batch was redelivered forever.
  it.each([
    ['a lone surrogate in an id', { actor: { type: 'admin', id: 'admin-\ud800' } }, 'actor.id'],
    ['a lone surrogate in a key', { metadata: { ['k\udc00']: 1 } }, 'metadata.k\\udc00'],
    ['a year 0 once in UTC', { occurred_at: '0001-01-01T00:30:00+01:00' }, 'occurred_at'],
    ['a year 10000 once in UTC', { occurred_at: '9999-12-31T23:00:00-05:00' }, 'occurred_at'],
    [
      'an id longer than an index entry allows',
      { resource: { type: 'user', id: 'x'.repeat(3000) } },
      'resource.id',
    ],
  ])('rejects %s and names the field', (_what, overrides, field) => {
    const result = validateAuditMessage('audit.v1.events.billing', encode(event(overrides)));
    expect(result).toMatchObject({ ok: false, reason: 'schema' });
    expect(!result.ok && result.detail).toContain(field);
  });

  // These were stored altered (the key dropped, the branch cut to [Truncated]) while the chain certified the copy.
  it('rejects a __proto__ key instead of dropping it', () => {
    const text = JSON.stringify(event()).replace(/}$/, ',"metadata":{"__proto__":{"admin":true}}}');
    const result = validateAuditMessage('audit.v1.events.billing', encode(text));
    expect(result).toMatchObject({ ok: false, reason: 'schema' });
    expect(!result.ok && result.detail).toContain('metadata.__proto__');
  });

  it('rejects nesting deeper than the redactor walks instead of truncating it', () => {
    let nested: unknown = 'leaf';
    for (let i = 0; i < 40; i++) nested = { n: nested };
    const result = validateAuditMessage('audit.v1.events.billing', encode(event({ metadata: nested })));
    expect(result).toMatchObject({ ok: false, reason: 'schema' });
    expect(!result.ok && result.detail).toMatch(/nest deeper than 16/);
  });

  it('still accepts astral characters and ordinary nesting', () => {
    const metadata = { note: 'বাংলা 😀', a: { b: { c: [1, { d: 'e' }] } } };
    expect(validateAuditMessage('audit.v1.events.billing', encode(event({ metadata }))).ok).toBe(true);
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
