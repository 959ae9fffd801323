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
    /**
     * The alertname of Prometheus' always-firing dead man's switch. Its arrivals are recorded, never
     * stored or routed as an alert; when none arrives for WATCHDOG_TIMEOUT_S, VigilWatchdogMissing fires.
     */
    WATCHDOG_ALERTNAME: z.string().min(1).default('Watchdog'),
    /**
     * How long without a Watchdog before VigilWatchdogMissing fires. Prometheus re-sends a firing alert
     * every resend_delay (1m) after each rule evaluation, so leave several of those: 10m by default.
     */
    WATCHDOG_TIMEOUT_S: z.coerce.number().int().min(1).default(600),
    /**
     * false (default): the check starts with the first Watchdog ever received, so an install without
     * Prometheus never pages. true: it starts at once, so a Prometheus that never sent one pages too.
     */
    WATCHDOG_REQUIRED: z
      .enum(['true', 'false'], { error: 'must be true or false' })
      .default('false')
      .transform((value) => value === 'true'),
    /** How often one replica (an advisory lock) judges the Watchdog; VigilWatchdogMissing is re-sent as often. */
    WATCHDOG_CHECK_INTERVAL_MS: z.coerce.number().int().min(50).max(300_000).default(15_000),
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
