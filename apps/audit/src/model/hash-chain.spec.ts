import { createHash, generateKeyPairSync } from 'node:crypto';

import { categoryOf } from './audit-category';
import { canonicalJson } from './canonical-json';
import { checkpointSignatureValid, keyIdOf, signCheckpoint, signingKey } from './checkpoint-signer';
import { GENESIS_HASH, linkHash, recordHash, type ChainRecord } from './hash-chain';

const record: ChainRecord = {
  category: 'security',
  seq: 1,
  id: '6f1c2a34-5b6d-4e7f-8a9b-0c1d2e3f4a5b',
  received_at: '2026-11-22T10:00:00.000Z',
  event: {
    id: '6f1c2a34-5b6d-4e7f-8a9b-0c1d2e3f4a5b',
    occurred_at: '2026-11-22T10:00:00+00:00',
    source: 'shop',
    actor: { type: 'admin', id: 'a-1' },
    action: 'admin.profile.viewed',
    resource: { type: 'user', id: '42' },
    outcome: 'success',
  },
};

describe('canonicalJson', () => {
  it('sorts keys at every depth, drops undefined members and keeps array order', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, 1], c: undefined, e: 'x' } })).toBe(
      '{"a":{"d":[3,1],"e":"x"},"b":1}',
    );
  });

  it('gives the same text whatever the key order of the input', () => {
    expect(canonicalJson({ x: { b: 2, a: 1 }, y: null })).toBe(canonicalJson({ y: null, x: { a: 1, b: 2 } }));
  });
});

describe('recordHash', () => {
  it('links to the previous hash and changes with any hashed field', () => {
    const first = recordHash(GENESIS_HASH, record);
    expect(first).toHaveLength(32);
    expect(recordHash(GENESIS_HASH, record).equals(first)).toBe(true);
    expect(recordHash(first, record).equals(first)).toBe(false);
    expect(recordHash(GENESIS_HASH, { ...record, seq: 2 }).equals(first)).toBe(false);
    const edited = { ...record, event: { ...record.event, resource: { type: 'user', id: '43' } } };
    expect(recordHash(GENESIS_HASH, edited).equals(first)).toBe(false);
  });

  it('hashes exactly the canonical JSON of the whole record when the event text is prepared beforehand', () => {
    const expected = createHash('sha256').update(GENESIS_HASH).update(canonicalJson(record)).digest();
    expect(recordHash(GENESIS_HASH, record).equals(expected)).toBe(true);
    const { event, ...link } = record;
    expect(linkHash(GENESIS_HASH, link, canonicalJson(event)).equals(expected)).toBe(true);
  });
});

describe('categoryOf', () => {
  it('files privacy changes, admin and security actions, and the rest as routine', () => {
    expect(categoryOf({ action: 'privacy.settings.updated', actor: { type: 'user' } })).toBe('privacy');
    expect(categoryOf({ action: 'wallet.settings.viewed', actor: { type: 'admin' } })).toBe('security');
    expect(categoryOf({ action: 'auth.login.failed', actor: { type: 'user' } })).toBe('security');
    expect(categoryOf({ action: 'order.placed', actor: { type: 'user' } })).toBe('routine');
  });
});

describe('checkpoint signatures', () => {
  const payload = {
    category: 'routine' as const,
    seq: 7,
    hash: GENESIS_HASH,
    kind: 'interval' as const,
    created_at: '2026-11-22T10:00:00.000Z',
  };

  it('verifies with the signing key and fails for another key or another payload', () => {
    const key = signingKey(
      generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
    );
    expect(key.development).toBe(false);
    const signature = signCheckpoint(key, payload);
    expect(checkpointSignatureValid(key.publicKey, payload, signature)).toBe(true);
    expect(checkpointSignatureValid(key.publicKey, { ...payload, seq: 8 }, signature)).toBe(false);
    expect(checkpointSignatureValid(generateKeyPairSync('ed25519').publicKey, payload, signature)).toBe(
      false,
    );
  });

  it('uses a stable development key when none is configured', () => {
    const a = signingKey(undefined);
    expect(a.development).toBe(true);
    expect(keyIdOf(signingKey(undefined).publicKey)).toBe(a.keyId);
  });
});
