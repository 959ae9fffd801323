import { Inject, Injectable, Logger } from '@nestjs/common';
import { z } from 'zod';

import {
  ALERTING_SUMMARY_SUBJECT,
  alertingSummaryReplyV1Schema,
  AUDIT_SUMMARY_SUBJECT,
  auditSummaryReplyV1Schema,
  ERRORS_SUMMARY_SUBJECT,
  errorsSummaryReplyV1Schema,
  HEALTH_SUMMARY_SUBJECT,
  healthSummaryReplyV1Schema,
  type AlertingSummaryReplyV1,
  type AuditSummaryReplyV1,
  type ErrorsSummaryReplyV1,
  type HealthSummaryReplyV1,
  type Severity,
  type SummaryRequestV1,
} from '@vigil/contracts';
import { errorMessage, NatsMessaging, RpcError, SERVICE_CONFIG } from '@vigil/platform';

import type { ReportingConfig } from '../config/reporting-config';
import type { ReportSources, SourceResult } from './source-result';
import type { TrafficSummary } from './traffic.source';

/** The four NATS summaries; the report adds Prometheus' traffic to them (see TrafficSource). */
export type SummarySources = ReportSources<
  AuditSummaryReplyV1,
  AlertingSummaryReplyV1,
  HealthSummaryReplyV1
> & {
  errors: SourceResult<ErrorsSummaryReplyV1>;
};

export type WeeklySources = SummarySources & { traffic: SourceResult<TrafficSummary> };

/**
 * Asks audit, alerting, health and errors for their summaries over NATS request/reply, in parallel and each
 * within SUMMARY_TIMEOUT_MS. A source that fails, times out or answers off-contract becomes
 * "unavailable" with its reason; it never fails the others.
 */
@Injectable()
export class SummaryClient {
  private readonly logger = new Logger(SummaryClient.name);

  constructor(
    private readonly messaging: NatsMessaging,
    @Inject(SERVICE_CONFIG) private readonly config: ReportingConfig,
  ) {}

  /** `alertSeverities` narrows only the alerting summary (the others have no severities). */
  async collect(request: SummaryRequestV1, alertSeverities?: readonly Severity[]): Promise<SummarySources> {
    const alertingRequest = alertSeverities ? { ...request, severities: [...alertSeverities] } : request;
    const [audit, alerting, health, errors] = await Promise.all([
      this.ask(AUDIT_SUMMARY_SUBJECT, request, auditSummaryReplyV1Schema),
      this.ask(ALERTING_SUMMARY_SUBJECT, alertingRequest, alertingSummaryReplyV1Schema),
      this.ask(HEALTH_SUMMARY_SUBJECT, request, healthSummaryReplyV1Schema),
      this.ask(ERRORS_SUMMARY_SUBJECT, request, errorsSummaryReplyV1Schema),
    ]);
    return { audit, alerting, health, errors };
  }

  private async ask<T>(
    subject: string,
    request: SummaryRequestV1,
    schema: z.ZodType<T>,
  ): Promise<SourceResult<T>> {
    const started = performance.now();
    try {
      const data = await this.messaging.request(subject, request, schema, this.config.SUMMARY_TIMEOUT_MS);
      return { available: true, data };
    } catch (error) {
      const reason = describeFailure(error, this.config.SUMMARY_TIMEOUT_MS);
      this.logger.warn(
        { subject, reason, elapsed_ms: Math.round(performance.now() - started) },
        'summary source unavailable',
      );
      return { available: false, reason };
    }
  }
}

/** One short line for the report: what went wrong, without stack or schema dumps. */
export function describeFailure(error: unknown, timeoutMs: number): string {
  if (error instanceof z.ZodError) return 'reply does not match the contract';
  if (error instanceof RpcError) return truncate(`${error.code}: ${error.message}`);
  const name = error instanceof Error ? error.name : '';
  const message = errorMessage(error);
  if (/timeout/i.test(name) || /timeout|timed out/i.test(message)) return `no reply within ${timeoutMs} ms`;
  if (/no ?responders/i.test(`${name} ${message}`)) return 'no responders';
  return truncate(message);
}

function truncate(message: string): string {
  const firstLine = message.split('\n')[0].trim();
  return firstLine.length > 200 ? `${firstLine.slice(0, 200)}…` : firstLine || 'unknown error';
}
