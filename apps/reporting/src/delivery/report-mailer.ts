import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import { createTransport, type Transporter } from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport';

import { SERVICE_CONFIG } from '@vigil/platform';

import type { ReportingConfig } from '../config/reporting-config';
import type { ReportEmail } from '../report/report-email';

/** Sends one e-mail over SMTP_URL to a definition's recipients. I/O only: retries are ReportDelivery's decision. */
@Injectable()
export class ReportMailer implements OnModuleDestroy {
  private readonly transport: Transporter<SMTPTransport.SentMessageInfo>;

  constructor(@Inject(SERVICE_CONFIG) private readonly config: ReportingConfig) {
    this.transport = createTransport({
      url: config.SMTP_URL,
      // nodemailer's defaults wait minutes on a dead server; a report retries instead.
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 30_000,
    });
  }

  /** Resolves with the Message-ID the server accepted; rejects when the server refuses or is unreachable. */
  async send(email: ReportEmail, recipients: readonly string[]): Promise<string> {
    const info = await this.transport.sendMail({
      from: this.config.REPORT_FROM,
      to: [...recipients],
      subject: email.subject,
      text: email.text,
      html: email.html,
      attachments: email.images.map((image) => ({
        cid: image.cid,
        filename: image.filename,
        content: image.content,
        contentType: 'image/png',
        contentDisposition: 'inline' as const,
      })),
    });
    return info.messageId;
  }

  onModuleDestroy(): void {
    this.transport.close();
  }
}
