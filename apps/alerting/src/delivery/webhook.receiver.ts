import { Inject, Injectable } from '@nestjs/common';

import { SERVICE_CONFIG, SERVICE_IDENTITY, type ServiceIdentity } from '@vigil/platform';

import type { AlertingConfig } from '../config/alerting-config';
import type { WebhookPayload } from './webhook-payload';

/** Why one webhook call failed, and whether trying again can help. */
export class DeliveryError extends Error {
  constructor(
    message: string,
    readonly retriable: boolean,
  ) {
    super(message);
    this.name = 'DeliveryError';
  }
}

/** The receiver name every notification carries until routing arrives. */
export const DEFAULT_RECEIVER = 'default';

/**
 * POSTs a payload to ALERT_WEBHOOK_URL. A 2xx is success; a 5xx, 408, 429, timeout or network error is
 * worth retrying; any other status means the receiver rejects the request and retrying cannot help.
 */
@Injectable()
export class WebhookReceiver {
  constructor(
    @Inject(SERVICE_CONFIG) private readonly config: AlertingConfig,
    @Inject(SERVICE_IDENTITY) private readonly identity: ServiceIdentity,
  ) {}

  async send(payload: WebhookPayload): Promise<void> {
    let response: Response;
    try {
      response = await fetch(this.config.ALERT_WEBHOOK_URL, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': `vigil-alerting/${this.identity.version}`,
        },
        body: JSON.stringify(payload),
        signal: AbortSignal.timeout(this.config.WEBHOOK_TIMEOUT_MS),
      });
    } catch (error) {
      const timedOut = error instanceof Error && error.name === 'TimeoutError';
      const reason = timedOut ? `timed out after ${this.config.WEBHOOK_TIMEOUT_MS} ms` : describe(error);
      throw new DeliveryError(`webhook request failed: ${reason}`, true);
    }
    // Drain the body so the connection can be reused; its content does not matter.
    await response.arrayBuffer().catch(() => undefined);
    if (response.ok) return;
    const retriable = response.status >= 500 || response.status === 408 || response.status === 429;
    throw new DeliveryError(`webhook answered ${response.status}`, retriable);
  }
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
  return `${error.message}${cause}`;
}
