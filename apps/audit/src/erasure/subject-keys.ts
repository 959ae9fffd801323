import { randomBytes } from 'node:crypto';

import type { MasterKey, MasterKeyRing } from '../config/master-keys';
import { dataKey, newKeyId, type DataKey } from '../model/field-cipher';
import type { SubjectKeyStore, WrappedKeyRow } from '../storage/subject-key.store';
import { unwrapKey, wrapKey } from './key-wrap';
import { scopeKey, type KeyScope } from './personal-fields';

interface CachedKey {
  key: DataKey;
  subject: string;
  loadedAt: number;
}

export interface SubjectKeysOptions {
  cacheSize: number;
  cacheTtlMs: number;
  now?: () => number;
}

/**
 * The data subjects' keys: made in batches for ingest (an LRU keeps the unwrapped keys of recent
 * subjects, so a steady stream costs no key query), unwrapped for reads (never cached there, so an
 * erasure shows at once), destroyed by erasure, re-wrapped after a master key rotation.
 */
export class SubjectKeys {
  private readonly cache = new Map<string, CachedKey>();
  private readonly masters: ReadonlyMap<string, MasterKey>;
  private readonly now: () => number;

  constructor(
    private readonly store: SubjectKeyStore,
    private readonly ring: MasterKeyRing,
    private readonly options: SubjectKeysOptions,
  ) {
    this.masters = new Map([ring.current, ...ring.previous].map((m) => [m.id, m]));
    this.now = options.now ?? Date.now;
  }

  get currentMasterKeyId(): string {
    return this.ring.current.id;
  }

  /**
   * The key of every scope (made when missing: one INSERT … ON CONFLICT DO NOTHING and one SELECT for
   * the batch's cache misses), looked up by scopeKey(subject, bucket).
   */
  async keysFor(scopes: readonly KeyScope[]): Promise<Map<string, DataKey>> {
    const found = new Map<string, DataKey>();
    const missing = new Map<string, KeyScope>();
    const now = this.now();
    for (const scope of scopes) {
      const id = scopeKey(scope.subject, scope.bucket);
      if (found.has(id) || missing.has(id)) continue;
      const cached = this.cache.get(id);
      if (cached && now - cached.loadedAt < this.options.cacheTtlMs) {
        // Re-inserted so the Map's order is least recently used first.
        this.cache.delete(id);
        this.cache.set(id, cached);
        found.set(id, cached.key);
      } else missing.set(id, scope);
    }
    if (missing.size === 0) return found;
    const fresh = [...missing.values()].map((scope) => {
      const key_id = newKeyId();
      return {
        key_id,
        subject: scope.subject,
        bucket: scope.bucket,
        rule: scope.rule,
        day: scope.day,
        master_key_id: this.ring.current.id,
        wrapped: wrapKey(this.ring.current, key_id, randomBytes(32)),
      };
    });
    for (const row of await this.store.ensure(fresh)) {
      const id = scopeKey(row.subject, row.bucket);
      const key = this.unwrap(row);
      found.set(id, key);
      this.remember(id, row.subject, key, now);
    }
    return found;
  }

  /** The unwrapped keys of these ids that still exist (a destroyed key is simply absent). */
  async openKeys(keyIds: Iterable<string>): Promise<Map<string, DataKey>> {
    const rows = await this.store.byKeyIds([...new Set(keyIds)]);
    return new Map(rows.map((row) => [row.key_id, this.unwrap(row)]));
  }

  /** Key ids of a subject (every bucket): the blind-index tokens its sealed ids are searched by. */
  keyIdsOf(subject: string): Promise<string[]> {
    return this.store.keyIdsOf(subject);
  }

  /** Drops this process's cached keys of these subjects (after their keys were destroyed). */
  forget(subjects: Iterable<string>): void {
    const gone = new Set(subjects);
    for (const [id, cached] of this.cache) if (gone.has(cached.subject)) this.cache.delete(id);
  }

  /**
   * Re-wraps every key wrapped by a previous master key with the current one, `batch` keys per
   * statement; returns how many were re-wrapped. Safe to run on several replicas at once.
   */
  async rewrapAll(batch = 1000): Promise<number> {
    let total = 0;
    for (;;) {
      const rows = await this.store.wrappedByOther(this.ring.current.id, batch);
      if (rows.length === 0) return total;
      const rewrapped = rows.map((row) => ({
        key_id: row.key_id,
        from: row.master_key_id,
        master_key_id: this.ring.current.id,
        wrapped: wrapKey(this.ring.current, row.key_id, this.material(row)),
      }));
      total += await this.store.rewrap(rewrapped);
    }
  }

  /** Master key ids that wrap stored keys but are not configured (their keys cannot be read). */
  async unknownMasterKeyIds(): Promise<string[]> {
    return (await this.store.masterKeyIds()).filter((id) => !this.masters.has(id));
  }

  private remember(id: string, subject: string, key: DataKey, now: number): void {
    this.cache.delete(id);
    this.cache.set(id, { key, subject, loadedAt: now });
    while (this.cache.size > this.options.cacheSize) {
      const oldest = this.cache.keys().next();
      if (oldest.done) break;
      this.cache.delete(oldest.value);
    }
  }

  private unwrap(row: WrappedKeyRow): DataKey {
    return dataKey(row.key_id, this.material(row));
  }

  private material(row: WrappedKeyRow): Buffer {
    const master = this.masters.get(row.master_key_id);
    if (!master) {
      throw new Error(
        `subject key ${row.key_id} is wrapped by master key ${row.master_key_id}, which is not configured (AUDIT_MASTER_KEY_PREVIOUS)`,
      );
    }
    return unwrapKey(master, row.key_id, row.wrapped);
  }
}
