import { z } from 'zod';

import {
  AUDIT_EVENTS_WILDCARD,
  auditEventSubject,
  auditEventV1Schema,
  type AuditEventV1,
  sourceFromAuditSubject,
} from './audit-event.v1';

const valid: AuditEventV1 = {
  id: '0b5f7c1e-4c8a-4d7e-9f1a-2b3c4d5e6f70',
  occurred_at: '2025-01-06T09:30:00.123+01:00',
  source: 'billing-api',
  tenant_id: 'acme',
  actor: { type: 'admin', id: 'u-42', ip: '203.0.113.9' },
  action: 'admin.economy_field.changed',
  resource: { type: 'wallet', id: 'w-1' },
  outcome: 'success',
  changes: { balance: { before: 10, after: 20 } },
  metadata: { reason: 'support ticket 123' },
  request_id: 'req-1',
  trace_id: '4bf92f3577b34da6a3ce929d0e0e4736',
};

/** The prettified error of an invalid event; it names the offending field path. */
function errorOf(event: unknown): string {
  const result = auditEventV1Schema.safeParse(event);
  if (result.success) throw new Error('expected the event to be rejected');
  return z.prettifyError(result.error);
}

describe('auditEventV1Schema', () => {
  it('accepts a complete event and a minimal one', () => {
    expect(auditEventV1Schema.parse(valid)).toEqual(valid);
    const { id, occurred_at, source, actor, action, resource, outcome } = valid;
    const minimal = {
      id,
      occurred_at,
      source,
      actor: { type: actor.type, id: actor.id },
      action,
      resource,
      outcome,
    };
    expect(auditEventV1Schema.parse(minimal)).toEqual(minimal);
  });

  it.each([
    'privacy.settings.updated',
    'admin.profile.viewed',
    'admin.bulk_action.executed',
    'wallet.settings.viewed',
  ])('accepts the action %s', (action) =>
    expect(auditEventV1Schema.safeParse({ ...valid, action }).success).toBe(true),
  );

  it('accepts a UTC Z timestamp', () => {
    expect(auditEventV1Schema.safeParse({ ...valid, occurred_at: '2025-01-06T08:30:00Z' }).success).toBe(
      true,
    );
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['a bad uuid', { id: 'not-a-uuid' }, 'id'],
    ['a timestamp without offset', { occurred_at: '2025-01-06T09:30:00' }, 'occurred_at'],
    ['a date only', { occurred_at: '2025-01-06' }, 'occurred_at'],
    ['an upper-case source', { source: 'Billing' }, 'source'],
    ['a source with a dot', { source: 'billing.api' }, 'source'],
    ['a single-word action', { action: 'updated' }, 'action'],
    ['a camelCase action', { action: 'privacy.settingsUpdated' }, 'action'],
    ['a bad actor type', { actor: { type: 'robot', id: 'x' } }, 'actor.type'],
    ['an actor without id', { actor: { type: 'user' } }, 'actor.id'],
    ['a bad outcome', { outcome: 'ok' }, 'outcome'],
    ['a resource without id', { resource: { type: 'wallet' } }, 'resource.id'],
    ['a change without before', { changes: { balance: { after: 1 } } }, 'changes.balance.before'],
    ['metadata that is not an object', { metadata: 'x' }, 'metadata'],
  ])('rejects %s, naming the field', (_label, patch, field) => {
    expect(errorOf({ ...valid, ...patch })).toContain(`at ${field}`);
  });

  it('rejects an unknown field, naming it', () => {
    expect(errorOf({ ...valid, extra: true })).toContain('Unrecognized key: "extra"');
    expect(errorOf({ ...valid, actor: { ...valid.actor, name: 'x' } })).toContain('at actor');
  });

  it('rejects a missing required field, naming it', () => {
    const { outcome: _outcome, ...rest } = valid;
    expect(errorOf(rest)).toContain('at outcome');
  });

  it('accepts metadata up to 16 KiB and rejects larger, with a clear message', () => {
    const overhead = JSON.stringify({ blob: '' }).length;
    const atLimit = { blob: 'x'.repeat(16 * 1024 - overhead) };
    expect(auditEventV1Schema.safeParse({ ...valid, metadata: atLimit }).success).toBe(true);

    const message = errorOf({ ...valid, metadata: { blob: 'x'.repeat(16 * 1024) } });
    expect(message).toContain('at metadata');
    expect(message).toContain('metadata must serialize to at most 16384 bytes');
  });

  it('counts metadata size in UTF-8 bytes, not characters', () => {
    const overhead = JSON.stringify({ blob: '' }).length;
    const multiByte = { blob: 'é'.repeat(16 * 1024 - overhead) };
    expect(errorOf({ ...valid, metadata: multiByte })).toContain('at metadata');
  });
});

describe('audit subjects', () => {
  it('builds the subject from the source', () => {
    expect(auditEventSubject('billing-api')).toBe('audit.v1.events.billing-api');
    expect(AUDIT_EVENTS_WILDCARD).toBe('audit.v1.events.>');
  });

  it.each(['', 'Billing', 'a.b', 'a*', 'a>', 'x'.repeat(65)])('refuses the source %p', (source) => {
    expect(() => auditEventSubject(source)).toThrow(/invalid audit source/);
  });

  it('extracts the source token back, and nothing from other subjects', () => {
    expect(sourceFromAuditSubject('audit.v1.events.billing-api')).toBe('billing-api');
    expect(sourceFromAuditSubject(auditEventSubject('x_1'))).toBe('x_1');
    expect(sourceFromAuditSubject('audit.v1.events.a.b')).toBeUndefined();
    expect(sourceFromAuditSubject('audit.v1.events.')).toBeUndefined();
    expect(sourceFromAuditSubject('audit.v1.dlq.schema')).toBeUndefined();
    expect(sourceFromAuditSubject('alerts.v1.fired')).toBeUndefined();
  });
});
