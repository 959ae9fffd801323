import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';

import { alertEventV1Schema, type AuditEventV1 } from '@vigil/contracts';
import { tempDir } from '@vigil/testing';

import { DEFAULT_RULES_FILE, loadDetectorRules, type DetectorRule } from '../config/detector-rules';
import { alertOf, detect, detectAccessRate } from './detectors';

const rules = loadDetectorRules(DEFAULT_RULES_FILE);
const rule = <K extends DetectorRule['kind']>(kind: K) =>
  rules.find((r): r is Extract<DetectorRule, { kind: K }> => r.kind === kind)!;

function event(overrides: Partial<AuditEventV1> = {}): AuditEventV1 {
  return {
    id: randomUUID(),
    occurred_at: '2026-11-22T10:00:00.000Z',
    source: 'shop',
    actor: { type: 'admin', id: 'admin-1' },
    action: 'admin.profile.viewed',
    resource: { type: 'user', id: 'u-1' },
    outcome: 'success',
    ...overrides,
  };
}

describe('default detector rules', () => {
  it('ship one rule of each kind with the issue defaults', () => {
    expect(rules.map((r) => [r.name, r.kind, r.severity])).toEqual([
      ['AdminEconomyFieldChanged', 'field_change', 'critical'],
      ['AdminBulkActionLarge', 'bulk_threshold', 'high'],
      ['AdminSensitiveAccessRate', 'access_rate', 'high'],
      ['PrivacySettingsContradictory', 'contradictory_privacy', 'medium'],
    ]);
    expect(rule('bulk_threshold').threshold).toBe(10);
  });

  it('reject a bad rules file naming the field', () => {
    const file = path.join(tempDir('rules-'), 'rules.yaml');
    fs.writeFileSync(
      file,
      'rules:\n  - name: X\n    kind: field_change\n    severity: urgent\n    action: a.b\n    fields: [x]\n',
    );
    expect(() => loadDetectorRules(file)).toThrow(/rules\.0\.severity/);
    // A rule written for the old single-action field_change shape is refused, not half-read.
    fs.writeFileSync(
      file,
      'rules:\n  - name: X\n    kind: field_change\n    severity: high\n    action: a.b\n    fields: [x]\n',
    );
    expect(() => loadDetectorRules(file)).toThrow(/rules\.0: Unrecognized key: "action"/);
  });
});

describe('AdminEconomyFieldChanged (critical)', () => {
  const r = rule('field_change');
  const profileSave = (changes: AuditEventV1['changes'], overrides: Partial<AuditEventV1> = {}) =>
    event({
      action: 'admin.profile.changed',
      resource: { type: 'userprofile', id: '7' },
      changes,
      ...overrides,
    });

  it("watches the seeds' economy fields", () => {
    expect(r.fields).toEqual(['deltacoin_balance', 'lifetime_earnings']);
  });

  it('fires when an admin save of any model changes deltacoin_balance or lifetime_earnings', () => {
    const e = profileSave({
      bio: { before: 'a', after: 'b' },
      deltacoin_balance: { before: 10, after: 9000 },
    });
    const detection = detect(r, e);
    expect(detection).toMatchObject({ rule: 'AdminEconomyFieldChanged', severity: 'critical' });
    expect(detection?.summary).toBe('admin admin-1 changed deltacoin_balance of userprofile 7');
    const alert = alertEventV1Schema.parse(alertOf(detection!));
    expect(alert.labels).toMatchObject({
      alertname: 'AdminEconomyFieldChanged',
      severity: 'critical',
      service: 'audit',
    });
    expect(alert.annotations.event_id).toBe(e.id);
    expect(
      detect(
        r,
        profileSave({ lifetime_earnings: { before: 1, after: 2 } }, { action: 'admin.wallet.changed' }),
      ),
    ).not.toBeNull();
  });

  it('fires on admin.economy_field.changed, with or without the field in changes', () => {
    expect(detect(r, event({ action: 'admin.economy_field.changed' }))?.summary).toBe(
      'admin admin-1 admin.economy_field.changed on user u-1',
    );
    expect(
      detect(r, event({ action: 'admin.economy_field.changed', metadata: { field: 'deltacoin_balance' } })),
    ).not.toBeNull();
  });

  it('gives one detection for an event matching by action and by field', () => {
    const both = event({
      action: 'admin.economy_field.changed',
      changes: { deltacoin_balance: { before: 1, after: 2 }, lifetime_earnings: { before: 1, after: 2 } },
    });
    const detection = detect(r, both);
    expect(detection?.summary).toBe('admin admin-1 changed deltacoin_balance, lifetime_earnings of user u-1');
  });

  it('stays quiet for other fields, look-alike names, views, and non-admin changes', () => {
    expect(detect(r, profileSave({ nickname: { before: 'a', after: 'b' } }))).toBeNull();
    expect(detect(r, profileSave({ balance: { before: 1, after: 2 } }))).toBeNull();
    expect(detect(r, profileSave({ deltacoin_balance_note: { before: 'a', after: 'b' } }))).toBeNull();
    expect(
      detect(r, event({ action: 'admin.profile.viewed', metadata: { deltacoin_balance: 5 } })),
    ).toBeNull();
    // The economy app moving balances itself is its job, not an admin edit.
    const economy = profileSave(
      { deltacoin_balance: { before: 1, after: 2 } },
      { actor: { type: 'service', id: 'economy' }, action: 'economy.transaction.applied' },
    );
    expect(detect(r, economy)).toBeNull();
  });
});

describe('AdminBulkActionLarge (high)', () => {
  const r = rule('bulk_threshold');
  it('fires above the threshold, counting a number or a list of ids', () => {
    expect(
      detect(r, event({ action: 'admin.bulk_action.executed', metadata: { affected_count: 11 } })),
    ).toMatchObject({
      severity: 'high',
    });
    const ids = Array.from({ length: 12 }, (_, i) => `u-${i}`);
    expect(
      detect(r, event({ action: 'admin.bulk_action.executed', metadata: { record_ids: ids } })),
    ).not.toBeNull();
  });
  it('stays quiet at or below the threshold', () => {
    expect(
      detect(r, event({ action: 'admin.bulk_action.executed', metadata: { affected_count: 10 } })),
    ).toBeNull();
    expect(detect(r, event({ action: 'admin.bulk_action.executed' }))).toBeNull();
  });
});

describe('AdminSensitiveAccessRate (high)', () => {
  const r = rule('access_rate');
  const wallet = (admin: string) =>
    event({
      actor: { type: 'admin', id: admin },
      action: 'admin.wallet.viewed',
      resource: { type: 'wallet', id: 'w' },
    });

  it('fires once for the batch that takes an admin past the threshold in the window', async () => {
    const counts: Record<string, number> = { 'admin-1': 21, 'admin-2': 20 };
    const detections = await detectAccessRate(
      r,
      [wallet('admin-1'), wallet('admin-1'), wallet('admin-2')],
      (actor) => Promise.resolve(counts[actor]),
    );
    expect(detections.map((d) => d.labels.actor_id)).toEqual(['admin-1']);
    expect(detections[0].summary).toContain('21 times in 60 min');
  });

  it('does not fire again once past the threshold, nor for users or other resources', async () => {
    expect(await detectAccessRate(r, [wallet('admin-1')], () => Promise.resolve(23))).toEqual([]);
    const user = event({ actor: { type: 'user', id: 'u' }, resource: { type: 'kyc', id: 'k' } });
    const other = event({ resource: { type: 'order', id: 'o' } });
    expect(await detectAccessRate(r, [user, other], () => Promise.resolve(99))).toEqual([]);
  });
});

describe('PrivacySettingsContradictory (medium)', () => {
  const r = rule('contradictory_privacy');
  const save = (overrides: Partial<AuditEventV1>) =>
    event({
      action: 'admin.privacysettings.changed',
      resource: { type: 'privacysettings', id: '7' },
      ...overrides,
    });

  it('fires when the profile is saved private with a public section', () => {
    const e = event({
      actor: { type: 'user', id: 'u-1' },
      action: 'privacy.settings.updated',
      changes: {
        profile_visibility: { before: 'public', after: 'private' },
        photos_visibility: { before: 'friends', after: 'public' },
      },
    });
    expect(detect(r, e)).toMatchObject({ severity: 'medium', labels: { resource_id: 'u-1' } });
  });

  it("fires for seed 000's PRIVATE profile with show_social_links=True when only the links changed", () => {
    const e = save({
      changes: { show_social_links: { before: false, after: true } },
      metadata: { state: { profile_visibility: 'PRIVATE', show_social_links: true, show_email: false } },
    });
    expect(detect(r, e)?.summary).toBe(
      'privacysettings 7 saved private with public sections: show_social_links',
    );
  });

  it('fires when only the visibility changed, reading the links from metadata.state', () => {
    const e = save({
      changes: { profile_visibility: { before: 'PUBLIC', after: 'PRIVATE' } },
      metadata: { state: { profile_visibility: 'PUBLIC', show_social_links: 'True' } },
    });
    expect(detect(r, e)).not.toBeNull();
  });

  it.each([1, '1', 'yes', 'true', true])('takes %j as shown', (shown) => {
    const e = save({
      changes: { profile_visibility: { before: 'public', after: 'Private' } },
      metadata: { state: { show_social_links: shown } },
    });
    expect(detect(r, e)).not.toBeNull();
  });

  it('stays quiet for a consistent state', () => {
    const e = event({
      action: 'privacy.settings.updated',
      changes: {
        profile_visibility: { before: 'public', after: 'private' },
        photos_visibility: { before: 'public', after: 'private' },
      },
    });
    expect(detect(r, e)).toBeNull();
    const hidden = save({
      changes: { profile_visibility: { before: 'PUBLIC', after: 'PRIVATE' } },
      metadata: { state: { show_social_links: 'False', show_email: 0, friends_visibility: 'friends' } },
    });
    expect(detect(r, hidden)).toBeNull();
  });

  it('stays quiet for a public profile, a state carried by a view, and an unrelated edit', () => {
    const publicProfile = save({
      changes: { show_social_links: { before: false, after: true } },
      metadata: { state: { profile_visibility: 'PUBLIC' } },
    });
    expect(detect(r, publicProfile)).toBeNull();
    const state = { profile_visibility: 'PRIVATE', show_social_links: true };
    expect(detect(r, save({ action: 'admin.privacysettings.viewed', metadata: { state } }))).toBeNull();
    expect(
      detect(r, save({ changes: { bio: { before: 'a', after: 'b' } }, metadata: { state } })),
    ).toBeNull();
  });

  it('checks a listed action even when it carries the state alone', () => {
    const e = event({
      action: 'privacy.settings.updated',
      metadata: { state: { profile_visibility: 'private', show_social_links: 'yes' } },
    });
    expect(detect(r, e)).not.toBeNull();
  });
});
