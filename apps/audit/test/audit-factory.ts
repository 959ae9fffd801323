import { randomUUID } from 'node:crypto';

import { hashApiKey } from '@vigil/platform';

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

/**
 * A reader key with scope audit:read and one without it, with the API_KEYS value holding their hashes
 * (hashed with a small scrypt cost; production hashes use N=2^15).
 */
const FAST_SCRYPT = { N: 1024 };
export const READER_KEY = 'test-reader-key-0123456789abcdef';
export const NO_SCOPE_KEY = 'test-noscope-key-0123456789abcdef';
/** Keys of POST /audit/v1/events: bound to shop and profile, to any source, and one with a tiny write rate. */
export const SHOP_PUBLISHER_KEY = 'test-shop-publisher-key-0123456789';
export const ANY_PUBLISHER_KEY = 'test-any-publisher-key-0123456789';
export const SLOW_PUBLISHER_KEY = 'test-slow-publisher-key-0123456789';
export const API_KEYS_ENV = JSON.stringify([
  { name: 'reader', hash: hashApiKey(READER_KEY, FAST_SCRYPT), scopes: ['audit:read'] },
  { name: 'metrics-bot', hash: hashApiKey(NO_SCOPE_KEY, FAST_SCRYPT), scopes: [] },
  {
    name: 'shop-app',
    hash: hashApiKey(SHOP_PUBLISHER_KEY, FAST_SCRYPT),
    scopes: ['audit:publish'],
    sources: ['shop', 'profile'],
  },
  {
    name: 'relay',
    hash: hashApiKey(ANY_PUBLISHER_KEY, FAST_SCRYPT),
    scopes: ['audit:publish'],
    sources: ['*'],
  },
  {
    name: 'slow-app',
    hash: hashApiKey(SLOW_PUBLISHER_KEY, FAST_SCRYPT),
    scopes: ['audit:publish'],
    sources: ['shop'],
    write_rate_per_s: 0.01,
    write_burst: 1,
  },
]);
export const readerHeaders = { authorization: `Bearer ${READER_KEY}` };
