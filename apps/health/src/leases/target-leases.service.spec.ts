import type { TargetDefinition } from '../targets/target-definition';
import { leaseRetryDelayMs, leaseTtlMs } from './target-leases.service';
import { defaultAlertRules } from '../targets/common-fields';

const cronTarget = (expression: string): TargetDefinition => ({
  kind: 'sql',
  name: 'orphans',
  url: 'sql:orphans',
  connectionString: 'postgres://u:p@127.0.0.1:1/db',
  query: 'SELECT 0',
  condition: { op: '==', value: 0 },
  cron: { expression, timeZone: 'UTC' },
  intervalMs: 3_600_000,
  timeoutMs: 1000,
  ...defaultAlertRules(1),
  recoveryThreshold: 1,
});

describe('leaseTtlMs', () => {
  it('keeps an interval target`s lease for one and a half intervals', () => {
    expect(leaseTtlMs({ ...cronTarget('0 * * * *'), kind: 'tcp', host: 'h', port: 1 })).toBe(5_400_000);
  });

  it('keeps a cron target`s lease until the next firing plus a minute, from the firing or a moment around it', () => {
    const target = cronTarget('0 2 * * 1-5'); // weekdays at 02:00: Friday to Monday is a 3-day gap
    const friday = new Date('2026-01-02T02:00:00Z');
    expect(leaseTtlMs(target, friday)).toBe(3 * 86_400_000 + 60_000);
    expect(leaseTtlMs(target, new Date(friday.getTime() - 5))).toBe(3 * 86_400_000 + 60_005);
    expect(leaseTtlMs(target, new Date('2026-01-05T02:00:00Z'))).toBe(86_400_000 + 60_000);
  });

  it('gives short cron gaps half a gap of slack (at least 2 s) and retries just past it', () => {
    const target = cronTarget('*/10 * * * * *'); // every 10 s
    const at = new Date('2026-01-01T00:00:10Z');
    expect(leaseTtlMs(target, at)).toBe(15_000);
    expect(leaseRetryDelayMs(target, at)).toBe(6000);
    expect(leaseRetryDelayMs(cronTarget('0 * * * *'), new Date('2026-01-01T10:00:00Z'))).toBe(61_000);
  });
});
