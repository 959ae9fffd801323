import { Injectable, Logger } from '@nestjs/common';

import {
  ALERT_FIRED_SUBJECT,
  ALERT_RESOLVED_SUBJECT,
  alertEventV1Schema,
  type AlertEventV1,
} from '@vigil/contracts';
import { errorMessage, NatsMessaging } from '@vigil/platform';
import { redactString } from '@vigil/redaction';

import type { CheckResult } from '../checks/check-result';
import {
  DEFAULT_CERT_EXPIRY,
  type CertificateExpiryThresholds,
  type TargetDefinition,
} from '../targets/target-definition';
import { CertificateExpiryRepository, type CertificateAlert } from './cert-expiry.repository';

const DAY_MS = 86_400_000;
export const CERTIFICATE_ALERT = 'CertificateExpiring';

/**
 * The severity a certificate expiring at `expiresAt` deserves at `now`: critical inside the critical
 * days (an expired one included), medium inside the warning days, none beyond. Strictly inside, as
 * blackbox_exporter's usual rule reads it (`probe_ssl_earliest_cert_expiry - time() < 86400 * N`).
 */
export function certificateSeverity(
  expiresAt: Date,
  now: Date,
  thresholds: CertificateExpiryThresholds,
): CertificateAlert['severity'] | null {
  const left = expiresAt.getTime() - now.getTime();
  if (left < thresholds.criticalDays * DAY_MS) return 'critical';
  if (left < thresholds.warnDays * DAY_MS) return 'medium';
  return null;
}

/** Whole days left (negative once expired), as the annotations say it. */
export function daysLeft(expiresAt: Date, now: Date): number {
  return Math.floor((expiresAt.getTime() - now.getTime()) / DAY_MS);
}

/**
 * CertificateExpiring, one alert per https target, apart from ServiceDown (an expiring certificate
 * still serves): fired on alerts.v1.fired as `medium` inside cert_expiry_warn_days and `critical`
 * inside cert_expiry_critical_days; resolved on alerts.v1.resolved once a renewed certificate is seen.
 *
 * A change of severity resolves the old alert and fires a new one. Alertmanager identifies an alert by
 * the fingerprint of its labels, severity included: firing `critical` with the same startsAt would be
 * a second alert beside a `medium` nobody resolves (it would hang until its endsAt ran out). Resolving
 * it keeps one firing CertificateExpiring per target, and each fingerprint a clean fire -> resolve.
 * Nats-Msg-Id `CertificateExpiring:<target>:<severity>:<startsAt>:fired|resolved` makes a re-publish
 * a no-op, as ServiceDown's does.
 */
@Injectable()
export class CertificateExpiryAlerts {
  private readonly logger = new Logger(CertificateExpiryAlerts.name);

  constructor(
    private readonly repository: CertificateExpiryRepository,
    private readonly messaging: NatsMessaging,
  ) {}

  /** Called after each check; does nothing without a certificate expiry on the result. */
  async observe(target: TargetDefinition, result: CheckResult): Promise<void> {
    const expiresAt = result.certExpiresAt;
    if (!(expiresAt instanceof Date)) return;
    const thresholds = thresholdsOf(target);
    const now = result.checkedAt;
    try {
      const current = await this.repository.alertOf(target.name);
      const wanted = certificateSeverity(expiresAt, now, thresholds);
      let next = current;
      if (current?.severity !== wanted) {
        if (current) await this.publish(target, current, expiresAt, now, thresholds, true);
        next = wanted ? { severity: wanted, startedAt: now.toISOString() } : null;
        if (next) await this.publish(target, next, expiresAt, now, thresholds, false);
        const fields = { target: target.name, from: current?.severity ?? null, to: wanted, expiresAt };
        this.logger.log(fields, 'certificate expiry alert changed');
      }
      await this.repository.save(target.name, expiresAt, next);
    } catch (error) {
      // Nothing saved: the next check sees the old alert and tries again (the msg ids dedupe).
      const fields = { target: target.name, error: redactString(errorMessage(error)) };
      this.logger.error(fields, 'certificate expiry not recorded');
    }
  }

  private async publish(
    definition: TargetDefinition,
    alert: CertificateAlert,
    expiresAt: Date,
    now: Date,
    thresholds: CertificateExpiryThresholds,
    resolving: boolean,
  ): Promise<void> {
    const target = definition.name;
    const event: AlertEventV1 = alertEventV1Schema.parse({
      // The target's own labels (team, ...) route it like its other alerts; ours win on a clash.
      labels: {
        ...definition.labels,
        alertname: CERTIFICATE_ALERT,
        severity: alert.severity,
        service: target,
        target,
        kind: definition.kind,
      },
      annotations: annotationsOf(target, expiresAt, now, thresholds, resolving),
      startsAt: alert.startedAt,
      ...(resolving ? { endsAt: now.toISOString() } : {}),
    });
    const outcome = resolving ? 'resolved' : 'fired';
    await this.messaging.publish(
      resolving ? ALERT_RESOLVED_SUBJECT : ALERT_FIRED_SUBJECT,
      event,
      `${CERTIFICATE_ALERT}:${target}:${alert.severity}:${alert.startedAt}:${outcome}`,
    );
  }
}

function thresholdsOf(target: TargetDefinition): CertificateExpiryThresholds {
  return (target.kind === 'http' || target.kind === 'synthetic') && target.certExpiry
    ? target.certExpiry
    : DEFAULT_CERT_EXPIRY;
}

function annotationsOf(
  target: string,
  expiresAt: Date,
  now: Date,
  thresholds: CertificateExpiryThresholds,
  resolving: boolean,
): Record<string, string> {
  const days = daysLeft(expiresAt, now);
  const when = expiresAt.toISOString();
  const summary =
    days < 0
      ? `TLS certificate of ${target} expired ${-days} ${plural(-days)} ago`
      : `TLS certificate of ${target} expires in ${days} ${plural(days)}`;
  const limits = `warning at ${thresholds.warnDays} days, critical at ${thresholds.criticalDays}`;
  return {
    summary,
    description: resolving
      ? `${target} now presents a certificate chain expiring on ${when} (${days} days left; ${limits})`
      : `The earliest certificate of ${target}'s chain expires on ${when} (${days} days left; ${limits})`,
    expires_at: when,
    days_left: String(days),
  };
}

function plural(n: number): string {
  return n === 1 ? 'day' : 'days';
}
