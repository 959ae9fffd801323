import { checkInV1Schema, decodeJson, MessageDecodeError, type CheckInV1 } from '@vigil/contracts';

import type { Ping } from './ping';

const KIND_OF_STATUS = { in_progress: 'start', ok: 'success', error: 'fail' } as const;

export type CheckInRead =
  { ok: true; checkIn: CheckInV1 } | { ok: false; reason: 'json' | 'schema'; detail: string };

/** A health.v1.checkins payload, validated against the CheckIn v1 contract. */
export function readCheckIn(bytes: Uint8Array): CheckInRead {
  let body: unknown;
  try {
    body = decodeJson(bytes);
  } catch (error) {
    if (error instanceof MessageDecodeError) return { ok: false, reason: 'json', detail: error.message };
    throw error;
  }
  const parsed = checkInV1Schema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { ok: false, reason: 'schema', detail: `${issue?.path.join('.') || '(root)'}: ${issue?.message}` };
  }
  return { ok: true, checkIn: parsed.data };
}

/**
 * A Sentry cron check-in as a ping of the monitor named by its monitor_slug: in_progress starts a run,
 * ok and error end it (success, fail); the check_in_id pairs them as the run id.
 */
export function pingOfCheckIn(checkIn: CheckInV1): Ping {
  return {
    monitor: checkIn.monitor_slug,
    kind: KIND_OF_STATUS[checkIn.status],
    exitCode: null,
    rid: checkIn.check_in_id,
    value: null,
    durationMs: checkIn.duration_s === undefined ? null : checkIn.duration_s * 1000,
    body: null,
    via: 'sentry',
    receivedAt: new Date(checkIn.received_at),
  };
}
