import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { headers, type NatsConnection } from '@nats-io/transport-node';

import {
  AUDIT_DLQ_STREAM,
  AUDIT_DLQ_SUBJECT_PREFIX,
  HEADER_DLQ_SUBJECT,
  HEADER_DLQ_TRUNCATED,
  sourceFromAuditSubject,
} from '@vigil/contracts';

export const HEADER_REPLAYED_FROM = 'Vigil-Replayed-From';

export interface ReplayOptions {
  /** Only messages rejected for this reason (`audit.v1.dlq.<reason>`). */
  reason?: string;
  /** At most this many messages per run. */
  limit: number;
  /** Report what would move without publishing or deleting. */
  dryRun?: boolean;
}

export interface ReplayResult {
  replayed: number;
  skipped: number;
  remaining: number;
}

/**
 * Moves AUDIT_DLQ messages back to their original subject on AUDIT (after the cause was fixed), each
 * deleted from the DLQ only after JetStream acked its republish. Replaying twice is harmless: the
 * audit service stores an event id once. Truncated copies (too large to dead-letter whole) are skipped.
 */
export async function replayDlq(nc: NatsConnection, options: ReplayOptions): Promise<ReplayResult> {
  const jsm = await jetstreamManager(nc);
  const js = jetstream(nc);
  const info = await jsm.streams.info(AUDIT_DLQ_STREAM.name);
  const wanted = options.reason ? `${AUDIT_DLQ_SUBJECT_PREFIX}${options.reason}` : undefined;
  let replayed = 0;
  let skipped = 0;
  for (let seq = info.state.first_seq; seq <= info.state.last_seq && replayed < options.limit; seq++) {
    const msg = await jsm.streams.getMessage(AUDIT_DLQ_STREAM.name, { seq }).catch(() => null);
    if (!msg || (wanted && msg.subject !== wanted)) continue;
    const original = msg.header?.get(HEADER_DLQ_SUBJECT) ?? '';
    // A truncated copy is not the event (its original is in AUDIT by reference): replaying it cannot help.
    if (!sourceFromAuditSubject(original) || msg.header?.has(HEADER_DLQ_TRUNCATED)) {
      skipped += 1;
      continue;
    }
    if (!options.dryRun) {
      const h = headers();
      h.set(HEADER_REPLAYED_FROM, `${AUDIT_DLQ_STREAM.name}:${seq}`);
      await js.publish(original, msg.data, { headers: h });
      await jsm.streams.deleteMessage(AUDIT_DLQ_STREAM.name, seq);
    }
    replayed += 1;
  }
  const after = await jsm.streams.info(AUDIT_DLQ_STREAM.name);
  return { replayed, skipped, remaining: after.state.messages };
}
