import type { DependencyCheck, DependencyMonitor, NatsMessaging } from '@vigil/platform';
import type { Gauge } from 'prom-client';

import type { VerifyReport } from './chain-verifier';
import { IntegrityStatus } from './integrity-status';

const brokenReport: VerifyReport = {
  ok: false,
  from: null,
  to: null,
  chains: [
    {
      category: 'security',
      anchor_seq: 0,
      records_checked: 3,
      records_in_range: 3,
      checkpoints_checked: 0,
      last_seq: 3,
      unsigned_records: 0,
    },
  ],
  first_bad: {
    category: 'security',
    seq: 2,
    id: null,
    defect: 'missing_record',
    detail: 'record 2 is missing',
  },
};
const intactReport: VerifyReport = {
  ...brokenReport,
  ok: true,
  first_bad: null,
};

function setUp(failures: number) {
  const published: Array<{ subject: string; msgId: string | undefined }> = [];
  let toFail = failures;
  const messaging = {
    publish: (subject: string, _payload: unknown, msgId?: string) => {
      if (toFail > 0) {
        toFail -= 1;
        return Promise.reject(new Error('no responders'));
      }
      published.push({ subject, msgId });
      return Promise.resolve({});
    },
  } as unknown as NatsMessaging;
  const checks: DependencyCheck[] = [];
  const monitor = {
    register: (check: DependencyCheck) => checks.push(check),
  } as unknown as DependencyMonitor;
  const values = new Map<string, number>();
  const gauge = {
    set: (labels: { category: string }, value: number) => values.set(labels.category, value),
  } as unknown as Gauge<string>;
  const status = new IntegrityStatus(monitor, messaging, gauge);
  status.onModuleInit();
  return { status, published, checks, values };
}

describe('IntegrityStatus', () => {
  it('fires once while broken, resolves once intact, and mirrors it in the gauge and the health check', async () => {
    const { status, published, checks, values } = setUp(0);
    expect(values.get('security')).toBe(0);
    await expect(checks[0].run()).resolves.toBeUndefined();

    await status.observe(brokenReport);
    await status.observe(brokenReport);
    expect(published.map((p) => p.subject)).toEqual(['alerts.v1.fired']);
    expect(values.get('security')).toBe(1);
    expect(status.isBroken('security')).toBe(true);
    await expect(checks[0].run()).rejects.toThrow(/security.*record 2.*missing_record/);
    expect(checks[0].details?.()).toMatchObject({ security_broken: true, security_first_bad_seq: 2 });

    await status.observe(intactReport);
    expect(published.map((p) => p.subject)).toEqual(['alerts.v1.fired', 'alerts.v1.resolved']);
    expect(values.get('security')).toBe(0);
    await expect(checks[0].run()).resolves.toBeUndefined();
  });

  it('publishes an alert that failed to go out after the next verification', async () => {
    const { status, published } = setUp(1);
    await status.observe(brokenReport);
    expect(published).toEqual([]);
    await status.observe(brokenReport);
    expect(published).toEqual([
      { subject: 'alerts.v1.fired', msgId: 'audit-integrity-fired-security-2-none-missing_record' },
    ]);
  });
});
