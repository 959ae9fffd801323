import { Inject, Injectable, Logger } from '@nestjs/common';

import { errorMessage, SERVICE_CONFIG } from '@vigil/platform';
import { redactString } from '@vigil/redaction';

import type { ReportingConfig } from '../config/reporting-config';
import type { ReportEmail } from '../report/report-email';
import { ReportMailer } from './report-mailer';
import { ReportRunRepository, type ReportRun } from './report-run.repository';

export type DeliveryResult = { sent: true; run: ReportRun } | { sent: false; run: ReportRun; error: string };

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Sends a claimed run's e-mail: up to SMTP_SEND_ATTEMPTS tries with doubling backoff, each counted
 * on the row; the run ends sent (with the Message-ID) or failed (with the last error).
 */
@Injectable()
export class ReportDelivery {
  private readonly logger = new Logger(ReportDelivery.name);

  constructor(
    private readonly mailer: ReportMailer,
    private readonly repository: ReportRunRepository,
    @Inject(SERVICE_CONFIG) private readonly config: ReportingConfig,
  ) {}

  async deliver(run: ReportRun, email: ReportEmail, recipients: readonly string[]): Promise<DeliveryResult> {
    let lastError = '';
    for (let attempt = 1; attempt <= this.config.SMTP_SEND_ATTEMPTS; attempt++) {
      if (attempt > 1) await sleep(this.config.SMTP_RETRY_BACKOFF_MS * 2 ** (attempt - 2));
      await this.repository.countAttempt(run.id);
      try {
        const messageId = await this.mailer.send(email, recipients);
        return { sent: true, run: await this.repository.markSent(run.id, messageId) };
      } catch (error) {
        lastError = redactString(errorMessage(error));
        this.logger.warn(
          { report_run_id: run.id, attempt, max_attempts: this.config.SMTP_SEND_ATTEMPTS, error: lastError },
          'report e-mail not accepted',
        );
      }
    }
    return { sent: false, run: await this.repository.markFailed(run.id, lastError), error: lastError };
  }
}
