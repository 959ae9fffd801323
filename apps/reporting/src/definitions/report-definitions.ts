import { readFileSync } from 'node:fs';

import { validateCronExpression } from 'cron';
import { parse } from 'yaml';
import { z } from 'zod';

import { findUnstorable, severitySchema, type Severity } from '@vigil/contracts';
import { ConfigError } from '@vigil/platform';

import { isTimeZone, type ReportingConfig } from '../config/reporting-config';
import { REPORT_SECTIONS, type ReportSectionName } from '../report/weekly-report.builder';

export const PERIOD_KINDS = ['day', 'week', 'month'] as const;
export type PeriodKind = (typeof PERIOD_KINDS)[number];

/** One scheduled report: what it covers, which sections it shows, who receives it and when. */
export interface ReportDefinition {
  /** Claim key and URL segment (`POST /reports/<id>/run`); `weekly` is the weekly ops report. */
  id: string;
  /** Shown in the title: "Vigil <name> report <period>". */
  name: string;
  /** Five-field cron (or six, seconds first), evaluated in `timeZone`. */
  cron: string;
  period: PeriodKind;
  /** IANA zone of the cron, of the period's local midnights and of the dates shown (REPORT_TIME_ZONE by default). */
  timeZone: string;
  sections: readonly ReportSectionName[];
  recipients: readonly string[];
  enabled: boolean;
  /** Alert severities the report counts (sent as the alerting summary's filter); absent: all. */
  severities?: readonly Severity[];
}

const VARIABLE = 'REPORTS_FILE';
/** Five fields, or six with seconds first (cron's extension). */
const CRON = /^(\S+\s+){4,5}\S+$/;

const definitionSchema = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'must be lower-case letters, digits and dashes'),
  name: z.string().min(1),
  cron: z
    .string()
    .regex(CRON, 'must be a five-field cron expression such as "0 8 * * 1"')
    .refine((cron) => validateCronExpression(cron).valid, 'is not a valid cron expression'),
  period: z.enum(PERIOD_KINDS),
  time_zone: z
    .string()
    .min(1)
    .refine(isTimeZone, 'must be an IANA time zone such as Europe/Berlin')
    .optional(),
  sections: z.array(z.enum(REPORT_SECTIONS)).min(1),
  recipients: z
    .array(z.email({ pattern: z.regexes.html5Email }))
    .min(1)
    .optional(),
  enabled: z.boolean().default(true),
  severities: z.array(severitySchema).min(1).optional(),
});

const fileSchema = z.object({ reports: z.array(definitionSchema).min(1) });

/**
 * The built-in definitions (weekly ops on REPORT_CRON, a daily P3 digest, a monthly privacy audit),
 * or the list in REPORTS_FILE (YAML `reports: [...]`), which replaces them. Recipients default to
 * REPORT_RECIPIENTS and the time zone to REPORT_TIME_ZONE. A bad file stops boot naming REPORTS_FILE.
 */
export function loadReportDefinitions(config: ReportingConfig): ReportDefinition[] {
  const recipients = config.REPORT_RECIPIENTS;
  const timeZone = config.REPORT_TIME_ZONE;
  if (config.REPORTS_FILE === undefined) {
    return [
      {
        id: 'weekly',
        name: 'weekly',
        cron: config.REPORT_CRON,
        period: 'week',
        timeZone,
        sections: REPORT_SECTIONS,
        recipients,
        enabled: true,
      },
      {
        id: 'daily-p3-digest',
        name: 'daily P3 digest',
        cron: '0 8 * * *',
        period: 'day',
        timeZone,
        sections: ['alerts', 'uptime'],
        recipients,
        enabled: true,
        // P3 = medium and low: the digest is where the seeds send them; P1/P2 page or reach chat.
        severities: ['medium', 'low'],
      },
      {
        id: 'monthly-privacy-audit',
        name: 'monthly privacy audit',
        cron: '0 8 1 * *',
        period: 'month',
        timeZone,
        sections: ['privacy', 'audit'],
        recipients,
        enabled: true,
      },
    ];
  }
  const file = config.REPORTS_FILE;
  let raw: unknown;
  try {
    raw = parse(readFileSync(file, 'utf8'));
  } catch (error) {
    // fs errors are not always `instanceof Error` across realms (jest); read the message directly.
    const message =
      typeof error === 'object' && error !== null && 'message' in error
        ? String(error.message)
        : 'unreadable';
    throw new ConfigError(VARIABLE, `${file}: ${message.split('\n')[0]}`);
  }
  const unstorable = findUnstorable(raw);
  if (unstorable) throw new ConfigError(VARIABLE, `${file}: ${unstorable.path}: ${unstorable.message}`);
  const parsed = fileSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigError(VARIABLE, `${file}: ${issue.path.join('.')}: ${issue.message}`);
  }
  const ids = new Set<string>();
  for (const definition of parsed.data.reports) {
    if (ids.has(definition.id))
      throw new ConfigError(VARIABLE, `${file}: duplicate report id "${definition.id}"`);
    ids.add(definition.id);
  }
  return parsed.data.reports.map(({ time_zone, ...d }) => ({
    ...d,
    timeZone: time_zone ?? timeZone,
    recipients: d.recipients ?? recipients,
  }));
}

/** The loaded definitions, by id (injected; loaded once at boot). */
export class ReportDefinitions {
  private readonly byId: Map<string, ReportDefinition>;

  constructor(readonly all: readonly ReportDefinition[]) {
    this.byId = new Map(all.map((d) => [d.id, d]));
  }

  get(id: string): ReportDefinition | undefined {
    return this.byId.get(id);
  }
}
