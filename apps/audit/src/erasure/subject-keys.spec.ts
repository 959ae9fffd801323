import { randomBytes } from 'node:crypto';

import { masterKeyRing } from '../config/master-keys';
import type { NewWrappedKey, SubjectKeyStore, WrappedKeyRow } from '../storage/subject-key.store';
import { scopeKey, type KeyScope } from './personal-fields';
import { SubjectKeys } from './subject-keys';

/** audit_subject_keys in memory, counting the round trips ingest makes. */
class MemoryKeyStore {
  rows = new Map<string, WrappedKeyRow>();
  ensureCalls = 0;

  ensure(keys: readonly NewWrappedKey[]): Promise<WrappedKeyRow[]> {
    this.ensureCalls += 1;
    for (const key of keys) {
      const id = scopeKey(key.subject, key.bucket);
      if (![...this.rows.values()].some((r) => scopeKey(r.subject, r.bucket) === id))
        this.rows.set(key.key_id, key);
    }
    const wanted = new Set(keys.map((k) => scopeKey(k.subject, k.bucket)));
    return Promise.resolve([...this.rows.values()].filter((r) => wanted.has(scopeKey(r.subject, r.bucket))));
  }
  byKeyIds(ids: readonly string[]): Promise<WrappedKeyRow[]> {
    return Promise.resolve(ids.flatMap((id) => this.rows.get(id) ?? []));
  }
  wrappedByOther(current: string, limit: number): Promise<WrappedKeyRow[]> {
    return Promise.resolve(
      [...this.rows.values()].filter((r) => r.master_key_id !== current).slice(0, limit),
    );
  }
  rewrap(rows: readonly { key_id: string; from: string; master_key_id: string; wrapped: Buffer }[]) {
    for (const r of rows) {
      const row = this.rows.get(r.key_id);
      if (row && row.master_key_id === r.from) this.rows.set(r.key_id, { ...row, ...r });
    }
    return Promise.resolve(rows.length);
  }
  masterKeyIds(): Promise<string[]> {
    return Promise.resolve([...new Set([...this.rows.values()].map((r) => r.master_key_id))]);
  }
}

const scope = (subject: string): KeyScope => ({ subject, bucket: '', rule: null, day: null });
const b64 = () => randomBytes(32).toString('base64');

function keysOf(store: MemoryKeyStore, settings: Record<string, string>, options = {}) {
  return new SubjectKeys(store as unknown as SubjectKeyStore, masterKeyRing(settings), {
    cacheSize: 2,
    cacheTtlMs: 60_000,
    ...options,
  });
}

describe('SubjectKeys', () => {
  it('makes the keys of a batch in one round trip and serves the next batches from its cache', async () => {
    const store = new MemoryKeyStore();
    const keys = keysOf(store, { AUDIT_MASTER_KEY: b64() });
    const first = await keys.keysFor([scope('a'), scope('b'), scope('a')]);
    expect(first.size).toBe(2);
    expect(store.ensureCalls).toBe(1);
    const again = await keys.keysFor([scope('a'), scope('b')]);
    expect(store.ensureCalls).toBe(1);
    expect(again.get(scopeKey('a', ''))?.keyId).toBe(first.get(scopeKey('a', ''))?.keyId);
    // The cache holds 2: a third subject evicts the least recently used (a), which is read again.
    await keys.keysFor([scope('c')]);
    await keys.keysFor([scope('b')]);
    expect(store.ensureCalls).toBe(2);
    await keys.keysFor([scope('a')]);
    expect(store.ensureCalls).toBe(3);
    expect(store.rows.size).toBe(3);
  });

  it('reads a key again once its cache entry is older than the TTL (an erasure elsewhere shows)', async () => {
    let now = 0;
    const store = new MemoryKeyStore();
    const keys = keysOf(store, { AUDIT_MASTER_KEY: b64() }, { cacheTtlMs: 1000, now: () => now });
    const before = (await keys.keysFor([scope('a')])).get(scopeKey('a', ''));
    store.rows.clear(); // erased by another replica
    now = 500;
    expect((await keys.keysFor([scope('a')])).get(scopeKey('a', ''))?.keyId).toBe(before?.keyId);
    now = 1500;
    expect((await keys.keysFor([scope('a')])).get(scopeKey('a', ''))?.keyId).not.toBe(before?.keyId);
  });

  it('after a master key rotation, unwraps old keys with the previous key and re-wraps them', async () => {
    const store = new MemoryKeyStore();
    const oldKey = b64();
    const made = await keysOf(store, { AUDIT_MASTER_KEY: oldKey }).keysFor([scope('a')]);
    const keyId = made.get(scopeKey('a', ''))?.keyId ?? '';
    const newKey = b64();

    await expect(keysOf(store, { AUDIT_MASTER_KEY: newKey }).openKeys([keyId])).rejects.toThrow(
      /wrapped by master key mk-[0-9a-f]{16}, which is not configured/,
    );
    const rotated = keysOf(store, { AUDIT_MASTER_KEY: newKey, AUDIT_MASTER_KEY_PREVIOUS: oldKey });
    expect(await rotated.unknownMasterKeyIds()).toEqual([]);
    expect((await rotated.openKeys([keyId])).get(keyId)?.encryption).toEqual(
      made.get(scopeKey('a', ''))?.encryption,
    );
    expect(await rotated.rewrapAll()).toBe(1);
    // Re-wrapped: the new key alone now opens it.
    const opened = await keysOf(store, { AUDIT_MASTER_KEY: newKey }).openKeys([keyId]);
    expect(opened.get(keyId)?.encryption).toEqual(made.get(scopeKey('a', ''))?.encryption);
  });
});
