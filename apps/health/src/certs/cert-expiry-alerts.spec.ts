import type { NatsMessaging } from '@vigil/platform';
import { ALERT_FIRED_SUBJECT, ALERT_RESOLVED_SUBJECT, type AlertEventV1 } from '@vigil/contracts';

import type { CheckResult } from '../checks/check-result';
import type { TargetDefinition } from '../targets/target-definition';
import { CertificateExpiryAlerts, certificateSeverity } from './cert-expiry-alerts';
import type { CertificateAlert, CertificateExpiryRepository } from './cert-expiry.repository';

const DAY_MS = 86_400_000;
const NOW = new Date('2026-12-01T12:00:00.000Z');
const thresholds = { warnDays: 21, criticalDays: 7 };

describe('certificateSeverity', () => {
  it.each([
    [90, null],
    [21, null], // exactly 21 days left is not inside 21 days
    [20.99, 'medium'],
    [7, 'medium'],
    [6.99, 'critical'],
    [-1, 'critical'],
  ])('%f days left -> %s', (days, severity) => {
    expect(certificateSeverity(new Date(NOW.getTime() + days * DAY_MS), NOW, thresholds)).toBe(severity);
  });
});

describe('CertificateExpiryAlerts', () => {
  const target = {
    kind: 'http',
    name: 'shop',
    url: 'https://shop.test/',
    certExpiry: thresholds,
  } as TargetDefinition;
  let stored: CertificateAlert | null;
  let savedExpiry: Date | null;
  let published: { subject: string; event: AlertEventV1; msgId: string }[];
  let alerts: CertificateExpiryAlerts;

  beforeEach(() => {
    stored = null;
    savedExpiry = null;
    published = [];
    const repository = {
      alertOf: () => Promise.resolve(stored),
      save: (_: string, expiresAt: Date, alert: CertificateAlert | null) => {
        savedExpiry = expiresAt;
        stored = alert;
        return Promise.resolve();
      },
    } as unknown as CertificateExpiryRepository;
    const messaging = {
      publish: (subject: string, event: AlertEventV1, msgId: string) => {
        published.push({ subject, event, msgId });
        return Promise.resolve();
      },
    } as unknown as NatsMessaging;
    alerts = new CertificateExpiryAlerts(repository, messaging);
  });

  const check = (daysLeft: number | null, at = NOW): Promise<void> =>
    alerts.observe(target, {
      target: 'shop',
      ok: true,
      statusCode: 200,
      responseTimeMs: 5,
      error: null,
      checkedAt: at,
      certExpiresAt: daysLeft === null ? null : new Date(at.getTime() + daysLeft * DAY_MS),
    } satisfies CheckResult);

  it('fires medium inside the warning days, once, with the expiry in its annotations', async () => {
    await check(15);
    await check(14.5, new Date(NOW.getTime() + 60_000));
    expect(published).toHaveLength(1);
    expect(published[0]).toMatchObject({
      subject: ALERT_FIRED_SUBJECT,
      msgId: `CertificateExpiring:shop:medium:${NOW.toISOString()}:fired`,
      event: {
        labels: { alertname: 'CertificateExpiring', severity: 'medium', service: 'shop', target: 'shop' },
        annotations: {
          summary: 'TLS certificate of shop expires in 15 days',
          expires_at: '2026-12-16T12:00:00.000Z',
          days_left: '15',
        },
        startsAt: NOW.toISOString(),
      },
    });
    expect(stored).toEqual({ severity: 'medium', startedAt: NOW.toISOString() });
  });

  it('turning critical resolves the medium alert (same labels and startsAt) and fires a critical one', async () => {
    await check(15);
    const later = new Date(NOW.getTime() + 8 * DAY_MS);
    await check(6, later);
    expect(published.map((p) => [p.subject, p.event.labels.severity])).toEqual([
      [ALERT_FIRED_SUBJECT, 'medium'],
      [ALERT_RESOLVED_SUBJECT, 'medium'],
      [ALERT_FIRED_SUBJECT, 'critical'],
    ]);
    expect(published[1].event.labels).toEqual(published[0].event.labels);
    expect(published[1].event).toMatchObject({ startsAt: NOW.toISOString(), endsAt: later.toISOString() });
    expect(published[2].event.startsAt).toBe(later.toISOString());
  });

  it('resolves once a renewed certificate is seen, and keeps its expiry', async () => {
    await check(3);
    await check(90, new Date(NOW.getTime() + 3_600_000));
    expect(published.map((p) => [p.subject, p.event.labels.severity])).toEqual([
      [ALERT_FIRED_SUBJECT, 'critical'],
      [ALERT_RESOLVED_SUBJECT, 'critical'],
    ]);
    expect(published[1].event.annotations.description).toContain('now presents a certificate chain');
    expect(stored).toBeNull();
    expect(savedExpiry?.toISOString()).toBe(new Date(NOW.getTime() + 3_600_000 + 90 * DAY_MS).toISOString());
  });

  it('does nothing for a check that saw no certificate', async () => {
    await check(3);
    await check(null);
    expect(published).toHaveLength(1);
    expect(stored?.severity).toBe('critical');
  });
});
