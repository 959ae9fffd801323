import { createHash } from 'node:crypto';

import type { AuditEventV1 } from '@vigil/contracts';

import type { AuditCategory } from './audit-category';
import { canonicalJson } from './canonical-json';

/** prev_hash of the first record of a chain. */
export const GENESIS_HASH = Buffer.alloc(32);

/**
 * What one link of the chain commits to. The chain key is the category: records of one category form
 * one chain ordered by `seq`, and every writer appends under a row lock on that chain's head
 * (audit_chain_heads ... FOR UPDATE inside the batch transaction), so any number of audit replicas can
 * write at once and the chain stays linear. `received_at` is hashed too: it is the partition key.
 */
export interface ChainRecord {
  category: AuditCategory;
  seq: number;
  id: string;
  received_at: string;
  event: AuditEventV1;
}

/** hash = SHA-256(prev_hash || canonical JSON of the stored record). */
export function recordHash(prevHash: Buffer, record: ChainRecord): Buffer {
  return linkHash(prevHash, record, canonicalJson(record.event));
}

/**
 * recordHash with the event's canonical JSON computed beforehand: the write path prepares it before
 * taking the chain lock, so only this string assembly and one SHA-256 happen while the lock is held.
 */
export function linkHash(prevHash: Buffer, link: Omit<ChainRecord, 'event'>, canonicalEvent: string): Buffer {
  return linkHashOfText(prevHash, linkText(link, canonicalEvent));
}

/** SHA-256(prev_hash ‖ text) for a record's text from linkText. */
export function linkHashOfText(prevHash: Buffer, text: string): Buffer {
  return createHash('sha256').update(prevHash).update(text, 'utf8').digest();
}

/**
 * The canonical JSON of a stored record: what a chain link hashes after prev_hash and what its Merkle
 * leaf commits to. The members are written in canonical (sorted) order: category, event, id, received_at, seq.
 */
export function linkText(link: Omit<ChainRecord, 'event'>, canonicalEvent: string): string {
  return (
    `{"category":${JSON.stringify(link.category)},"event":${canonicalEvent},"id":${JSON.stringify(link.id)},` +
    `"received_at":${JSON.stringify(link.received_at)},"seq":${JSON.stringify(link.seq)}}`
  );
}

const LEAF_PREFIX = Buffer.from([0x00]);

/** RFC 6962's leaf hash of a record's canonical text: SHA-256(0x00 ‖ text). */
export function leafHashOfText(text: string): Buffer {
  return createHash('sha256').update(LEAF_PREFIX).update(text, 'utf8').digest();
}

/** The columns denormalised from the event for queries; verification checks they still match it. */
export function indexedColumns(event: AuditEventV1) {
  return {
    occurred_at: new Date(event.occurred_at).toISOString(),
    source: event.source,
    tenant_id: event.tenant_id ?? null,
    actor_type: event.actor.type,
    actor_id: event.actor.id,
    action: event.action,
    resource_type: event.resource.type,
    resource_id: event.resource.id,
    outcome: event.outcome,
    request_id: event.request_id ?? null,
    trace_id: event.trace_id ?? null,
  };
}

export type IndexedColumns = ReturnType<typeof indexedColumns>;
