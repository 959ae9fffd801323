import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import { createTransport, type Transporter } from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport';

import { SERVICE_CONFIG, SERVICE_IDENTITY, type ServiceIdentity } from '@vigil/platform';
import { redact } from '@vigil/redaction';

import type { AlertingConfig } from '../config/alerting-config';
import type { EmailIntegration, Integration } from '../routing/routing-config';
import { RoutingConfigService } from '../routing/routing-config.service';
import { emailMessageOf } from './email-message';
import { postBody } from './http-post';
import { pagerDutyEventOf, slackMessageOf } from './integration-payloads';
import type { NotificationAction } from './notification.repository';
import type { WebhookPayload } from './webhook-payload';

/** Why one delivery failed, and whether trying again can help. */
export class DeliveryError extends Error {
  constructor(
    message: string,
    readonly retriable: boolean,
  ) {
    super(message);
    this.name = 'DeliveryError';
  }
}

/**
 * Sends one notification to one integration of a receiver, looked up in the configuration in force
 * (so a reload applies to queued notifications too). Webhooks get the Alertmanager payload, Slack an
 * incoming-webhook message, PagerDuty an Events v2 event, e-mail an SMTP message; every body is
 * redacted. A 2xx is success; a 5xx, 408, 429, timeout or network error is worth retrying; any other
 * status (PagerDuty's 400 for an invalid event) means retrying cannot help. SMTP: a 5xx reply is
 * permanent, anything else (4xx, connection refused) is retried.
 */
@Injectable()
export class IntegrationSender implements OnModuleDestroy {
  private readonly transports = new Map<string, Transporter<SMTPTransport.SentMessageInfo>>();

  constructor(
    @Inject(SERVICE_CONFIG) private readonly config: AlertingConfig,
    @Inject(SERVICE_IDENTITY) private readonly identity: ServiceIdentity,
    private readonly routing: RoutingConfigService,
  ) {}

  async send(
    receiverName: string,
    integrationId: string,
    payload: WebhookPayload,
    action: NotificationAction | null = null,
  ): Promise<void> {
    const integration = this.find(receiverName, integrationId);
    if (action && integration.kind !== 'pagerduty') {
      throw new DeliveryError(`${integration.kind} integrations cannot ${action}`, false);
    }
    switch (integration.kind) {
      case 'webhook':
        return this.post(integration.kind, integration.url, payload);
      case 'slack':
        return this.post(integration.kind, integration.apiUrl, slackMessageOf(payload, integration));
      case 'pagerduty':
        return this.post(
          integration.kind,
          integration.url,
          pagerDutyEventOf(payload, integration, action ?? undefined),
        );
      case 'email':
        return this.mail(integration, payload);
    }
  }

  onModuleDestroy(): void {
    for (const transport of this.transports.values()) transport.close();
    this.transports.clear();
  }

  private async mail(integration: EmailIntegration, payload: WebhookPayload): Promise<void> {
    const message = emailMessageOf(payload);
    try {
      await this.transportFor(integration).sendMail({
        from: integration.from,
        to: integration.to,
        subject: message.subject,
        text: message.text,
        html: message.html,
      });
    } catch (error) {
      const code = (error as { responseCode?: number }).responseCode;
      throw new DeliveryError(`email failed: ${describe(error)}`, !(code !== undefined && code >= 500));
    }
  }

  private transportFor(integration: EmailIntegration): Transporter<SMTPTransport.SentMessageInfo> {
    const key = `${integration.host}:${integration.port}:${integration.auth?.user ?? ''}:${integration.requireTls}`;
    let transport = this.transports.get(key);
    if (!transport) {
      transport = createTransport({
        host: integration.host,
        port: integration.port,
        secure: integration.port === 465,
        requireTLS: integration.requireTls,
        ignoreTLS: !integration.requireTls,
        ...(integration.auth ? { auth: integration.auth } : {}),
        connectionTimeout: this.config.WEBHOOK_TIMEOUT_MS,
        greetingTimeout: this.config.WEBHOOK_TIMEOUT_MS,
        socketTimeout: this.config.WEBHOOK_TIMEOUT_MS * 2,
      });
      this.transports.set(key, transport);
    }
    return transport;
  }

  private find(receiverName: string, integrationId: string): Integration {
    const receiver = this.routing.current.receivers.get(receiverName);
    const [kind, index] = integrationId.split(':');
    const integration = receiver?.integrations[Number(index)];
    if (!integration || integration.kind !== kind) {
      throw new DeliveryError(`receiver ${receiverName} has no integration ${integrationId} any more`, false);
    }
    return integration;
  }

  private async post(kind: string, url: string, body: unknown): Promise<void> {
    let status: number;
    try {
      status = await postBody(
        url,
        JSON.stringify(redact(body)),
        {
          'content-type': 'application/json',
          'user-agent': `vigil-alerting/${this.identity.version}`,
        },
        this.config.WEBHOOK_TIMEOUT_MS,
      );
    } catch (error) {
      throw new DeliveryError(`${kind} request failed: ${describe(error)}`, true);
    }
    if (status >= 200 && status < 300) return;
    const retriable = status >= 500 || status === 408 || status === 429;
    throw new DeliveryError(`${kind} answered ${status}`, retriable);
  }
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
  return `${error.message}${cause}`;
}
