import { createHash } from 'node:crypto';

import type { AlertSubject } from '../alerts/alert-rules';

/** The columns and alert-rule inputs read from a stored (scrubbed) Sentry event. */
export interface EventFacts {
  level: string;
  release: string | null;
  environment: string | null;
  occurred_at: Date;
  /** sha256 of the project and the (already policy-scrubbed) user id, ip or username; null without a user. */
  user_hash: string | null;
  alert: Omit<AlertSubject, 'culprit'>;
}

const LEVELS = new Set(['fatal', 'error', 'warning', 'info', 'debug']);
const MAX_TEXT = 200;

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const text = (value: unknown): string | null =>
  typeof value === 'string' && value.length > 0 ? value.slice(0, MAX_TEXT) : null;

/** Sentry's `timestamp`: seconds since the epoch (a number) or an ISO string; else when it was received. */
function occurredAt(value: unknown, receivedAt: Date): Date {
  const at =
    typeof value === 'number' ? new Date(value * 1000) : typeof value === 'string' ? new Date(value) : null;
  return at && Number.isFinite(at.getTime()) ? at : receivedAt;
}

/** Tags come as an object or as `[key, value]` pairs; values are strings. */
function tagsOf(value: unknown): Record<string, string> {
  const pairs: [unknown, unknown][] = Array.isArray(value)
    ? value.filter((p): p is [unknown, unknown] => Array.isArray(p) && p.length === 2)
    : isObject(value)
      ? Object.entries(value)
      : [];
  const tags: Record<string, string> = {};
  for (const [key, tag] of pairs) {
    if (
      typeof key === 'string' &&
      (typeof tag === 'string' || typeof tag === 'number' || typeof tag === 'boolean')
    )
      tags[key] = String(tag);
  }
  return tags;
}

/** Each exception's type as sent, and qualified by its module (`profile.models.PrivacySettings.DoesNotExist`). */
function exceptionTypes(exception: unknown): string[] {
  const values = Array.isArray(exception) ? exception : isObject(exception) ? exception.values : undefined;
  if (!Array.isArray(values)) return [];
  const types: string[] = [];
  for (const value of values) {
    if (!isObject(value)) continue;
    const type = text(value.type);
    if (!type) continue;
    types.push(type);
    const module = text(value.module);
    if (module) types.push(`${module}.${type}`);
  }
  return types;
}

function userHash(projectId: string, user: unknown): string | null {
  if (!isObject(user)) return null;
  const id = [user.id, user.ip_address, user.username, user.email].find(
    (v) => typeof v === 'string' || typeof v === 'number',
  );
  if (id === undefined) return null;
  return createHash('sha256')
    .update(`${projectId}\u0000${String(id)}`)
    .digest('hex')
    .slice(0, 32);
}

export function eventFacts(projectId: string, event: unknown, receivedAt: Date): EventFacts {
  const e = isObject(event) ? event : {};
  const level = typeof e.level === 'string' && LEVELS.has(e.level) ? e.level : 'error';
  return {
    level,
    release: text(e.release),
    environment: text(e.environment),
    occurred_at: occurredAt(e.timestamp, receivedAt),
    user_hash: userHash(projectId, e.user),
    alert: {
      exception_types: exceptionTypes(e.exception),
      logger: text(e.logger),
      level,
      tags: tagsOf(e.tags),
    },
  };
}
