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
  });
});

describe('AdminEconomyFieldChanged (critical)', () => {
  const r = rule('field_change');
  it('fires when an admin changes balance or lifetime earnings', () => {
    const e = event({
      action: 'admin.economy_field.changed',
      changes: { balance: { before: 10, after: 9000 } },
    });
    const detection = detect(r, e);
    expect(detection).toMatchObject({ rule: 'AdminEconomyFieldChanged', severity: 'critical' });
    expect(detection?.summary).toContain('balance');
    const alert = alertEventV1Schema.parse(alertOf(detection!));
    expect(alert.labels).toMatchObject({
      alertname: 'AdminEconomyFieldChanged',
      severity: 'critical',
      service: 'audit',
    });
    expect(alert.annotations.event_id).toBe(e.id);
  });
  it('stays quiet for other fields or actions', () => {
    expect(
      detect(
        r,
        event({ action: 'admin.economy_field.changed', changes: { nickname: { before: 'a', after: 'b' } } }),
      ),
    ).toBeNull();
    expect(detect(r, event({ changes: { balance: { before: 1, after: 2 } } }))).toBeNull();
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
  it('stays quiet for a consistent state', () => {
    const e = event({
      action: 'privacy.settings.updated',
      changes: {
        profile_visibility: { before: 'public', after: 'private' },
        photos_visibility: { before: 'public', after: 'private' },
      },
    });
    expect(detect(r, e)).toBeNull();
  });
});
