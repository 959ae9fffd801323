import { z } from 'zod';

import { platformConfigSchema } from '@vigil/platform';

const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' });

export const alertingConfigSchema = platformConfigSchema
  .extend({
    /**
     * An Alertmanager-format YAML file (route tree, inhibit_rules, receivers), validated at boot and
     * reloaded on SIGHUP or `POST /-/reload`. Without it every alert goes to ALERT_WEBHOOK_URL.
     */
    ALERTING_CONFIG_FILE: z.string().min(1).optional(),
    /** Without a config file: where every notification is POSTed as an Alertmanager webhook payload (version 4). */
    ALERT_WEBHOOK_URL: httpUrl.optional(),
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
    /**
     * How long a claimed notification stays hidden from other senders beyond WEBHOOK_TIMEOUT_MS: after
     * a crash mid-send it is retried this much later; shorter risks a second send by another replica.
     */
    DELIVERY_LEASE_MARGIN_MS: z.coerce.number().int().min(100).default(30_000),
    /** How often the outbox sender looks for due notifications. */
    DELIVERY_POLL_MS: z.coerce.number().int().min(10).max(60_000).default(1000),
  })
  .superRefine((config, ctx) => {
    if (!config.ALERTING_CONFIG_FILE && !config.ALERT_WEBHOOK_URL) {
      ctx.addIssue({
        code: 'custom',
        path: ['ALERT_WEBHOOK_URL'],
        message: 'is required unless ALERTING_CONFIG_FILE is set',
      });
    }
  });

export type AlertingConfig = z.infer<typeof alertingConfigSchema> & { PORT: number };
