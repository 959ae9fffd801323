import { alertEventV1Schema } from '@vigil/contracts';

import type { BadRecord, ChainReport, VerifyReport } from './chain-verifier';
import {
  brokenGaugeValues,
  integrityAlert,
  integrityAlertMsgId,
  integrityTransitions,
  retentionStalledAlert,
  type BrokenChain,
} from './integrity-alerts';

const T0 = '2026-12-08T00:00:00.000Z';
const T1 = '2026-12-08T00:01:00.000Z';

function chain(category: ChainReport['category'], anchor_seq = 0): ChainReport {
  return {
    category,
    anchor_seq,
    records_checked: 10,
    records_in_range: 10,
    checkpoints_checked: 0,
    last_seq: 10,
    unsigned_records: 0,
  };
}

const bad: BadRecord = {
  category: 'security',
  seq: 4,
  id: '0b9f6b1e-3c1a-4f7e-9a51-1c2d3e4f5a6b',
  defect: 'hash_mismatch',
  detail: 'stored hash differs from the recomputed one',
};

const broken: VerifyReport = { ok: false, from: null, to: null, chains: [chain('security')], first_bad: bad };
const intact: VerifyReport = {
  ok: true,
  from: null,
  to: null,
  chains: [chain('security'), chain('privacy'), chain('routine')],
  first_bad: null,
};

describe('integrityTransitions', () => {
  it('fires once for a newly broken log and keeps it broken while the same record is bad', () => {
    const first = integrityTransitions(new Map(), broken, T0);
    expect(first.fired).toEqual([{ bad, startsAt: T0 }]);
    expect(first.next.get('security')).toEqual({ bad, startsAt: T0 });
    const again = integrityTransitions(first.next, broken, T1);
    expect(again.fired).toEqual([]);
    expect(again.resolved).toEqual([]);
    expect(again.next.get('security')?.startsAt).toBe(T0);
  });

  it('fires again, with the first startsAt, when another record is the first bad one', () => {
    const known = new Map([['security' as const, { bad, startsAt: T0 }]]);
    const other = { ...bad, seq: 2, id: null, defect: 'missing_record' as const };
    const { fired } = integrityTransitions(known, { ...broken, first_bad: other }, T1);
    expect(fired).toEqual([{ bad: other, startsAt: T0 }]);
  });

  it('resolves when a walk from before the bad record finds the log intact', () => {
    const known = new Map([['security' as const, { bad, startsAt: T0 }]]);
    const { resolved, next } = integrityTransitions(known, intact, T1);
    expect(resolved).toEqual([{ bad, startsAt: T0 }]);
    expect(next.size).toBe(0);
  });

  it('does not resolve from a walk that started after the bad record (it never read it)', () => {
    const known = new Map([['security' as const, { bad, startsAt: T0 }]]);
    const since = { ...intact, chains: [chain('security', 7), chain('privacy'), chain('routine')] };
    const { resolved, next } = integrityTransitions(known, since, T1);
    expect(resolved).toEqual([]);
    expect(next.has('security')).toBe(true);
  });

  it('keeps the state of logs the walk did not reach', () => {
    const known = new Map([
      ['routine' as const, { bad: { ...bad, category: 'routine' as const }, startsAt: T0 }],
    ]);
    const { resolved, next } = integrityTransitions(known, broken, T1);
    expect(resolved).toEqual([]);
    expect([...next.keys()].sort()).toEqual(['routine', 'security']);
  });
});

describe('integrity alerts', () => {
  const chainBroken: BrokenChain = { bad, startsAt: T0 };

  it('is a valid AlertEvent naming the log, the first bad record and the reason', () => {
    const alert = alertEventV1Schema.parse(integrityAlert(chainBroken));
    expect(alert.labels).toEqual({
      alertname: 'AuditIntegrityBroken',
      severity: 'critical',
      service: 'audit',
      category: 'security',
    });
    expect(alert.annotations).toMatchObject({
      first_bad_seq: '4',
      first_bad_id: bad.id,
      defect: 'hash_mismatch',
    });
    expect(alert.startsAt).toBe(T0);
    expect(alert.endsAt).toBeUndefined();
    expect(integrityAlert(chainBroken, T1)).toMatchObject({ startsAt: T0, endsAt: T1 });
  });

  it('dedupes per log and first bad record', () => {
    expect(integrityAlertMsgId(chainBroken, false)).toBe(integrityAlertMsgId({ bad, startsAt: T1 }, false));
    expect(integrityAlertMsgId(chainBroken, false)).not.toBe(integrityAlertMsgId(chainBroken, true));
    expect(integrityAlertMsgId(chainBroken, false)).not.toBe(
      integrityAlertMsgId({ bad: { ...bad, seq: 5 }, startsAt: T0 }, false),
    );
  });

  it('sets the gauge to 1 for broken logs and 0 for the others', () => {
    expect(brokenGaugeValues(new Map([['privacy', chainBroken]]))).toEqual([
      { category: 'security', value: 0 },
      { category: 'privacy', value: 1 },
      { category: 'routine', value: 0 },
    ]);
  });

  it('raises AuditRetentionStalled as a medium alert of the category', () => {
    const alert = alertEventV1Schema.parse(
      retentionStalledAlert({ category: 'routine', cutSeq: 40, signedUpTo: 12, startsAt: T0 }),
    );
    expect(alert.labels).toEqual({
      alertname: 'AuditRetentionStalled',
      severity: 'medium',
      service: 'audit',
      category: 'routine',
    });
    expect(alert.annotations).toMatchObject({ cut_seq: '40', signed_up_to: '12' });
  });
});
