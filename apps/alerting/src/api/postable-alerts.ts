import { z } from 'zod';

import type { IncomingAlert, LabelSet } from '../alerts/alert';

const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
/** Go's zero time, which Go clients send for "not set". */
const GO_ZERO_YEAR = 1;

const timestamp = z.iso.datetime({ offset: true, error: 'must be an RFC 3339 timestamp' });

const postableAlertSchema = z
  .object({
    labels: z
      .record(z.string().regex(LABEL_NAME, 'label names must match [a-zA-Z_][a-zA-Z0-9_]*'), z.string())
      .refine((labels) => Boolean(labels.alertname), {
        message: 'labels.alertname is required',
        path: ['alertname'],
      }),
    annotations: z.record(z.string(), z.string()).optional(),
    startsAt: timestamp.optional(),
    endsAt: timestamp.optional(),
    generatorURL: z.union([z.literal(''), z.url()]).optional(),
  })
  .refine(
    (a) => !a.startsAt || !a.endsAt || isZero(a.endsAt) || Date.parse(a.startsAt) <= Date.parse(a.endsAt),
    {
      message: 'endsAt must not be before startsAt',
      path: ['endsAt'],
    },
  );

/** Body of `POST /api/v2/alerts` (Alertmanager's postableAlerts). */
export const postableAlertsSchema = z.array(postableAlertSchema);

export type PostableAlert = z.infer<typeof postableAlertSchema>;

export interface BodyProblem {
  path: string;
  message: string;
}

export type ParseResult = { ok: true; alerts: IncomingAlert[] } | { ok: false; problems: BodyProblem[] };

/** Validates a request body and maps it into the pipeline's input; problems name the index and field. */
export function parsePostableAlerts(body: unknown): ParseResult {
  const parsed = postableAlertsSchema.safeParse(body);
  if (!parsed.success) {
    return {
      ok: false,
      problems: parsed.error.issues.map((issue) => ({ path: pathOf(issue.path), message: issue.message })),
    };
  }
  return { ok: true, alerts: parsed.data.map(toIncoming) };
}

function toIncoming(alert: PostableAlert): IncomingAlert {
  return {
    labels: withoutEmptyValues(alert.labels),
    annotations: alert.annotations ?? {},
    startsAt: dateOrUndefined(alert.startsAt),
    endsAt: dateOrUndefined(alert.endsAt),
    generatorURL: alert.generatorURL || undefined,
  };
}

/** Alertmanager drops labels with an empty value: `{env: ""}` is the same alert as no `env`. */
function withoutEmptyValues(labels: LabelSet): LabelSet {
  return Object.fromEntries(Object.entries(labels).filter(([, value]) => value !== ''));
}

function dateOrUndefined(value: string | undefined): Date | undefined {
  return value === undefined || isZero(value) ? undefined : new Date(value);
}

function isZero(value: string): boolean {
  return new Date(value).getUTCFullYear() <= GO_ZERO_YEAR;
}

/** `[0, 'labels', 'alertname']` → `[0].labels.alertname` */
function pathOf(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(body)';
  return path
    .map((part, i) => (typeof part === 'number' ? `[${part}]` : `${i ? '.' : ''}${String(part)}`))
    .join('');
}
