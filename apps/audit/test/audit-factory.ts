import { createHash, randomUUID } from 'node:crypto';

/** A valid AuditEvent v1 from `source`, with overrides. */
export function auditEvent(overrides: Record<string, unknown> = {}) {
  return {
    id: randomUUID(),
    occurred_at: new Date().toISOString(),
    source: 'shop',
    actor: { type: 'admin', id: 'admin-1', ip: '10.1.2.3' },
    action: 'admin.profile.viewed',
    resource: { type: 'user', id: '42' },
    outcome: 'success',
    ...overrides,
  };
}

export const encode = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));

/** A reader key with scope audit:read and one without it, with the AUDIT_API_KEYS value holding their hashes. */
export const READER_KEY = 'test-reader-key-0123456789abcdef';
export const NO_SCOPE_KEY = 'test-noscope-key-0123456789abcdef';
export const API_KEYS_ENV = JSON.stringify([
  { name: 'reader', sha256: sha256Hex(READER_KEY), scopes: ['audit:read'] },
  { name: 'metrics-bot', sha256: sha256Hex(NO_SCOPE_KEY), scopes: [] },
]);
export const readerHeaders = { authorization: `Bearer ${READER_KEY}` };

function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
