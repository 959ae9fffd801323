import { randomBytes } from 'node:crypto';

import type { AuditEventV1 } from '@vigil/contracts';

import { auditEvent } from '../../test/audit-factory';
import { DEFAULT_ERASURE_FILE, erasurePolicy, loadErasurePolicy } from '../config/erasure-policy';
import { canonicalJson } from '../model/canonical-json';
import { dataKey, ERASED, newKeyId, type DataKey } from '../model/field-cipher';
import { indexedColumns } from '../model/hash-chain';
import { openEvent, sealedKeyIds, sealEvent, sealTargets, type KeyScope } from './personal-fields';

const policy = loadErasurePolicy(DEFAULT_ERASURE_FILE);

/** A key per (subject, bucket), made on first use, as SubjectKeys does. */
function keyring() {
  const keys = new Map<string, DataKey>();
  const keyOf = (scope: KeyScope) => {
    const id = `${scope.bucket}|${scope.subject}`;
    let key = keys.get(id);
    if (!key) {
      key = dataKey(newKeyId(), randomBytes(32));
      keys.set(id, key);
    }
    return key;
  };
  const byKeyId = () => new Map([...keys.values()].map((k) => [k.keyId, k]));
  return { keyOf, byKeyId, keys };
}

const event = (overrides: Record<string, unknown> = {}) => auditEvent(overrides) as AuditEventV1;

describe('personal fields', () => {
  it('seals a user actor, a person resource, listed metadata and changes; leaves the rest as published', () => {
    const e = event({
      actor: { type: 'user', id: 'u-7', ip: '10.0.0.9' },
      action: 'profile.updated',
      resource: { type: 'profile', id: 'u-7' },
      metadata: { email: 'ann@example.com', plan: 'gold' },
      changes: { phone: { before: '+331', after: '+332' }, theme: { before: 'dark', after: 'light' } },
    });
    const ring = keyring();
    const sealed = sealEvent(e, sealTargets(e, policy), ring.keyOf);
    const text = canonicalJson(sealed);
    for (const secret of ['u-7', '10.0.0.9', 'ann@example.com', '+331', '+332'])
      expect(text).not.toContain(secret);
    expect(sealed.metadata?.plan).toBe('gold');
    expect(sealed.changes?.theme).toEqual({ before: 'dark', after: 'light' });
    expect(sealed.action).toBe('profile.updated');
    // One subject, one bucket: one key.
    expect(ring.keys.size).toBe(1);
    expect(openEvent(sealed, ring.byKeyId())).toEqual(e);
  });

  it('keeps admins and non-person resources readable (the fact that an admin looked stays plain)', () => {
    const e = event({ resource: { type: 'order', id: 'o-1' } });
    expect(sealTargets(e, policy)).toEqual([]);
    const kyc = event({ resource: { type: 'kyc', id: 'u-9' } });
    const targets = sealTargets(kyc, policy);
    expect(targets.map((t) => t.path.join('.'))).toEqual(['resource.id']);
    // The KYC access rule puts it in a per-day bucket that retention erases after 90 days.
    expect(targets[0].scope).toEqual({
      subject: 'u-9',
      bucket: `kyc-access/${kyc.occurred_at.slice(0, 10)}`,
      rule: 'kyc-access',
      day: kyc.occurred_at.slice(0, 10),
    });
  });

  it('seals identically twice (a re-delivered copy compares equal) and reads [ERASED] once the key is gone', () => {
    const e = event({ actor: { type: 'user', id: 'u-1' } });
    const ring = keyring();
    const once = canonicalJson(sealEvent(e, sealTargets(e, policy), ring.keyOf));
    const twice = canonicalJson(sealEvent(e, sealTargets(e, policy), ring.keyOf));
    expect(twice).toBe(once);
    const sealed = JSON.parse(once) as AuditEventV1;
    expect(openEvent(sealed, new Map()).actor.id).toBe(ERASED);
    expect(openEvent(sealed, ring.byKeyId()).actor.id).toBe('u-1');
  });

  it('refuses a sealed field moved to another field (its path is bound to it)', () => {
    const ring = keyring();
    const a = event({ actor: { type: 'user', id: 'u-1' }, resource: { type: 'user', id: 'u-1' } });
    const sealed = sealEvent(a, sealTargets(a, policy), ring.keyOf);
    const moved = { ...sealed, resource: { ...sealed.resource, id: sealed.actor.id } };
    expect(() => openEvent(moved, ring.byKeyId())).toThrow();
    expect(openEvent(sealed, ring.byKeyId()).resource.id).toBe('u-1');
  });

  it('stores a sealed id column as its key token, derived from the hashed event', () => {
    const ring = keyring();
    const e = event({ actor: { type: 'user', id: 'u-3' }, resource: { type: 'user', id: 'u-3' } });
    const sealed = sealEvent(e, sealTargets(e, policy), ring.keyOf);
    const [keyId] = [...sealedKeyIds(sealed)];
    expect(indexedColumns(sealed).actor_id).toBe(`vigil-enc:v1:${keyId}`);
    expect(indexedColumns(sealed).resource_id).toBe(`vigil-enc:v1:${keyId}`);
    expect(indexedColumns(e).actor_id).toBe('u-3');
  });

  it("seals the audit service's search filters under the searched subject's own key", () => {
    const e = event({
      source: 'audit',
      actor: { type: 'service', id: 'auditor' },
      action: 'audit.events.read',
      resource: { type: 'audit_events', id: 'search' },
      metadata: { filters: { actor: 'u-5', limit: 50 }, count: 3 },
    });
    const targets = sealTargets(e, policy);
    expect(targets.map((t) => [t.path.join('.'), t.scope.subject])).toEqual([
      ['metadata.filters.actor', 'u-5'],
    ]);
  });

  it('lets a source override "*" key by key', () => {
    const custom = erasurePolicy({
      personal_fields: {
        '*': { actor_types: ['user'], resource_types: ['user'] },
        shop: { resource_types: [] },
      },
      retention_rules: [],
    });
    expect(custom.personalFields('shop')).toMatchObject({ actor_types: ['user'], resource_types: [] });
    expect(custom.personalFields('other')).toMatchObject({ actor_types: ['user'], resource_types: ['user'] });
  });
});
