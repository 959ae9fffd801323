import { validateCronExpression } from 'cron';
import { z } from 'zod';

import { platformConfigSchema } from '@vigil/platform';

/** HTML5's e-mail grammar: accepts `vigil@localhost`, which zod's stricter default rejects. */
const emailAddress = z.email({ pattern: z.regexes.html5Email });

/** Splits a comma-separated list, ignoring blanks around and between entries. */
export function splitList(value: string): string[] {
  return value
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry.length > 0);
}

export function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

const recipients = z
  .string()
  .superRefine((value, ctx) => {
    const entries = splitList(value);
    if (entries.length === 0)
      ctx.addIssue({ code: 'custom', message: 'must list at least one e-mail address' });
    for (const entry of entries) {
      if (!emailAddress.safeParse(entry).success) {
        ctx.addIssue({ code: 'custom', message: `"${entry}" is not an e-mail address` });
      }
    }
  })
  .transform(splitList);

export const reportingConfigSchema = platformConfigSchema.extend({
  /** Where reports are sent: smtp://[user:pass@]host:port (STARTTLS when offered) or smtps:// (TLS). */
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\/[^\s]+$/, 'must be an smtp:// or smtps:// URL')
    .refine((value) => URL.canParse(value), 'must be an smtp:// or smtps:// URL'),
  /** Sender address of every report. */
  REPORT_FROM: emailAddress.default('vigil@localhost'),
  /** Comma-separated e-mail addresses that receive every report. */
  REPORT_RECIPIENTS: recipients,
  /** How long each summary request to audit, alerting and health may take before its section says unavailable. */
  SUMMARY_TIMEOUT_MS: z.coerce.number().int().min(50).max(60_000).default(3000),
  /** IANA time zone of the cron schedules, of report periods (days, ISO weeks and months from local midnight) and of dates shown. */
  REPORT_TIME_ZONE: z
    .string()
    .min(1)
    .refine(isTimeZone, 'must be an IANA time zone such as Europe/Berlin')
    .default('UTC'),
  /** Prometheus' base URL (HTTP API) whose `fleet:` recording rules feed the traffic, errors and latency sections; unset: "no metrics source configured". */
  PROMETHEUS_URL: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional(),
  /** The availability objective (%) each health target's downtime is measured against in the uptime chart. */
  REPORT_UPTIME_SLO: z.coerce
    .number({ error: 'must be a percentage such as 99.9' })
    .gt(0, 'must be above 0 and below 100')
    .lt(100, 'must be above 0 and below 100')
    .default(99.9),
  /** When the weekly ops report runs (five-field cron in REPORT_TIME_ZONE); default Monday 08:00. */
  REPORT_CRON: z
    .string()
    .regex(/^(\S+\s+){4,5}\S+$/, 'must be a five-field cron expression such as "0 8 * * 1"')
    .refine((cron) => validateCronExpression(cron).valid, 'is not a valid cron expression')
    .default('0 8 * * 1'),
  /** YAML list of report definitions (id, name, cron, period, sections, recipients); replaces the built-in three. */
  REPORTS_FILE: z.string().min(1).optional(),
  /** Whether the cron schedule runs in this process (on-demand runs work either way). */
  REPORT_SCHEDULE_ENABLED: z
    .enum(['true', 'false'], { error: 'must be true or false' })
    .default('true')
    .transform((value) => value === 'true'),
  /** A claim older than this is from a replica that died mid-send; another replica finishes it. */
  REPORT_CLAIM_STALE_MS: z.coerce
    .number()
    .int()
    .min(1000)
    .max(86_400_000)
    .default(15 * 60_000),
  /** How often each replica looks for such stale claims. */
  REPORT_STALE_SWEEP_MS: z.coerce.number().int().min(100).max(3_600_000).default(60_000),
  /** Headless Chromium used for GET /reports/:id.pdf. */
  CHROMIUM_PATH: z.string().min(1).default('chromium'),
  /** Sending attempts per report before the run is marked failed. */
  SMTP_SEND_ATTEMPTS: z.coerce.number().int().min(1).max(10).default(3),
  /** Wait before the first retry; doubled before each further one. */
  SMTP_RETRY_BACKOFF_MS: z.coerce.number().int().min(0).max(60_000).default(1000),
});

export type ReportingConfig = z.infer<typeof reportingConfigSchema> & { PORT: number };
