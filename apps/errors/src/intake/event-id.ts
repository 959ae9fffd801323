import { randomUUID } from 'node:crypto';

const HEX32 = /^[0-9a-f]{32}$/;
const DASHED = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * A Sentry event id as 32 lowercase hex characters: SDKs send that form, some a dashed UUID or upper
 * case (the envelopes spec accepts both). Null for anything else.
 */
export function normaliseEventId(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const lower = value.trim().toLowerCase();
  if (HEX32.test(lower)) return lower;
  if (DASHED.test(lower)) return lower.replaceAll('-', '');
  return null;
}

/** A new event id, for events an SDK sent without one. */
export function newEventId(): string {
  return randomUUID().replaceAll('-', '');
}
