import { z } from 'zod';

import { platformConfigSchema } from '@vigil/platform';

const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' });

export const alertingConfigSchema = platformConfigSchema.extend({
  /** Where every notification is POSTed as an Alertmanager webhook payload (version 4). */
  ALERT_WEBHOOK_URL: httpUrl,
  /** An alert received without endsAt stays firing this long unless it is re-sent (Alertmanager's resolve_timeout). */
  ALERT_RESOLVE_TIMEOUT_S: z.coerce.number().int().min(1).default(300),
  /** Our own URL, sent as `externalURL` in webhook payloads; defaults to http://localhost:<PORT>. */
  ALERT_EXTERNAL_URL: httpUrl.optional(),
  /** One webhook call is abandoned (and retried) after this long. */
  WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(5000),
  /** A notification is marked failed after this many unsuccessful attempts. */
  DELIVERY_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(5),
  /** Delay before the first retry; each further retry doubles it (capped at one hour). */
  DELIVERY_RETRY_BASE_MS: z.coerce.number().int().min(10).default(2000),
  /** How often the outbox sender looks for due notifications. */
  DELIVERY_POLL_MS: z.coerce.number().int().min(10).max(60_000).default(1000),
});

export type AlertingConfig = z.infer<typeof alertingConfigSchema> & { PORT: number };
