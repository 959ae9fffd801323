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

function isTimeZone(value: string): boolean {
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
  /** IANA time zone in which the e-mail shows dates (periods themselves are ISO weeks in UTC). */
  REPORT_TIME_ZONE: z
    .string()
    .min(1)
    .refine(isTimeZone, 'must be an IANA time zone such as Europe/Berlin')
    .default('UTC'),
  /** Sending attempts per report before the run is marked failed. */
  SMTP_SEND_ATTEMPTS: z.coerce.number().int().min(1).max(10).default(3),
  /** Wait before the first retry; doubled before each further one. */
  SMTP_RETRY_BACKOFF_MS: z.coerce.number().int().min(0).max(60_000).default(1000),
});

export type ReportingConfig = z.infer<typeof reportingConfigSchema> & { PORT: number };
