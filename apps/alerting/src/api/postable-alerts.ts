import { z } from 'zod';

import { findUnstorable, isoDateTime, storableString, textProblem } from '@vigil/contracts';

import type { IncomingAlert, LabelSet } from '../model/alert';

const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
/** Go's zero time, which Go clients send for "not set". */
const GO_ZERO_YEAR = 1;

const timestamp = isoDateTime('must be an RFC 3339 timestamp');

/**
 * Input limits of `POST /api/v2/alerts`, well above what Prometheus sends (batches of at most 64
 * alerts, a handful of labels) and far below what would hurt: every label is stored and hashed.
 */
export const ALERT_LIMITS = {
  alertsPerPost: 1000,
  labelsPerAlert: 64,
  annotationsPerAlert: 64,
  labelNameBytes: 256,
  labelValueBytes: 2048,
  annotationValueBytes: 16 * 1024,
} as const;

const bytes = (text: string) => Buffer.byteLength(text, 'utf8');
const limitedRecord = (
  name: z.ZodString,
  what: 'label' | 'annotation',
  maxEntries: number,
  maxValueBytes: number,
) =>
  z
    .record(
      name,
      storableString().refine((value) => bytes(value) <= maxValueBytes, {
        message: `${what} values must be at most ${maxValueBytes} bytes`,
      }),
    )
    .superRefine((record, ctx) => {
      const names = Object.keys(record);
      if (names.length > maxEntries) {
        ctx.addIssue({ code: 'custom', message: `at most ${maxEntries} ${what}s per alert` });
      }
      for (const key of names) {
        if (bytes(key) > ALERT_LIMITS.labelNameBytes) {
          ctx.addIssue({
            code: 'custom',
            path: [key.slice(0, 32)],
            message: `${what} names must be at most ${ALERT_LIMITS.labelNameBytes} bytes`,
          });
        }
      }
    });

const postableAlertSchema = z
  .object({
    labels: limitedRecord(
      z.string().regex(LABEL_NAME, 'label names must match [a-zA-Z_][a-zA-Z0-9_]*'),
      'label',
      ALERT_LIMITS.labelsPerAlert,
      ALERT_LIMITS.labelValueBytes,
    ).refine((labels) => Boolean(labels.alertname), {
      message: 'labels.alertname is required',
      path: ['alertname'],
    }),
    annotations: limitedRecord(
      storableString(),
      'annotation',
      ALERT_LIMITS.annotationsPerAlert,
      ALERT_LIMITS.annotationValueBytes,
    ).optional(),
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

export type ParseResult =
  | { ok: true; alerts: IncomingAlert[] }
  | { ok: false; problems: BodyProblem[] }
  | { ok: false; tooMany: { alerts: number; max: number } };

/**
 * Validates a request body and maps it into the pipeline's input; problems name the index and field.
 * A batch over ALERT_LIMITS.alertsPerPost is refused before any alert is read.
 */
export function parsePostableAlerts(body: unknown): ParseResult {
  if (Array.isArray(body) && body.length > ALERT_LIMITS.alertsPerPost) {
    return { ok: false, tooMany: { alerts: body.length, max: ALERT_LIMITS.alertsPerPost } };
  }
  // Hot path: well-formed batches (nearly all of them) skip the schema; anything else gets its exact errors from it.
  const plain = plainPostableAlerts(body);
  if (plain) return { ok: true, alerts: plain.map(toIncoming) };
  // Before the schema, whose records would drop a `__proto__` key instead of refusing it.
  const unstorable = findUnstorable(body, { maxDepth: 3, maxEntries: ALERT_LIMITS.alertsPerPost });
  if (unstorable) return { ok: false, problems: [{ path: unstorable.path, message: unstorable.message }] };
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

/**
 * Alertmanager drops labels with an empty value: `{env: ""}` is the same alert as no `env`. The label
 * set comes from this request's own parse, so one without empty values is used as it is (ingest path).
 */
function withoutEmptyValues(labels: LabelSet): LabelSet {
  for (const name of Object.keys(labels)) {
    if (labels[name] === '')
      return Object.fromEntries(Object.entries(labels).filter(([, value]) => value !== ''));
  }
  return labels;
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

const LABEL_NAME_BYTES_SAFE = Math.floor(ALERT_LIMITS.labelNameBytes / 3);

/**
 * The schema's checks, hand-written for the common case: an array of plain objects whose labels and
 * annotations are strings within ALERT_LIMITS, with a non-empty alertname. Timestamps and
 * generatorURL are checked by the schema's own field validators. Returns null as soon as anything is
 * unusual (then the full schema runs and names the problem), so it accepts nothing the schema rejects
 * and returns what the schema would. About ten times cheaper than the schema per alert.
 */
function plainPostableAlerts(body: unknown): PostableAlert[] | null {
  if (!Array.isArray(body)) return null;
  const fields = postableAlertsSchema.element.shape;
  const alerts: PostableAlert[] = [];
  for (const item of body as unknown[]) {
    if (!isPlainObject(item)) return null;
    const { labels, annotations, startsAt, endsAt, generatorURL } = item;
    if (!isPlainObject(labels) || typeof labels.alertname !== 'string' || labels.alertname === '')
      return null;
    if (!plainStrings(labels, ALERT_LIMITS.labelsPerAlert, ALERT_LIMITS.labelValueBytes, true)) return null;
    if (annotations !== undefined) {
      if (!isPlainObject(annotations)) return null;
      if (
        !plainStrings(annotations, ALERT_LIMITS.annotationsPerAlert, ALERT_LIMITS.annotationValueBytes, false)
      )
        return null;
    }
    if (startsAt !== undefined && !fields.startsAt.safeParse(startsAt).success) return null;
    if (endsAt !== undefined && !fields.endsAt.safeParse(endsAt).success) return null;
    if (generatorURL !== undefined && !fields.generatorURL.safeParse(generatorURL).success) return null;
    const starts = startsAt as string | undefined;
    const ends = endsAt as string | undefined;
    if (starts && ends && !isZero(ends) && !(Date.parse(starts) <= Date.parse(ends))) return null;
    const alert: PostableAlert = { labels: labels as LabelSet };
    if (annotations !== undefined) alert.annotations = annotations as Record<string, string>;
    if (starts !== undefined) alert.startsAt = starts;
    if (ends !== undefined) alert.endsAt = ends;
    if (generatorURL !== undefined) alert.generatorURL = generatorURL as string;
    alerts.push(alert);
  }
  return alerts;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype;
}

/** String values within `maxValueBytes`, names within the name limit (and label names matching LABEL_NAME). */
function plainStrings(
  record: Record<string, unknown>,
  maxEntries: number,
  maxValueBytes: number,
  labelNames: boolean,
): boolean {
  const names = Object.keys(record);
  if (names.length > maxEntries) return false;
  for (const name of names) {
    const value = record[name];
    if (typeof value !== 'string' || name === '__proto__') return false;
    // NUL or a lone surrogate: Postgres would refuse the row after the answer (the schema names it).
    if (textProblem(value) !== undefined || textProblem(name) !== undefined) return false;
    if (labelNames && !LABEL_NAME.test(name)) return false;
    if (name.length > LABEL_NAME_BYTES_SAFE && bytes(name) > ALERT_LIMITS.labelNameBytes) return false;
    if (value.length * 3 > maxValueBytes && bytes(value) > maxValueBytes) return false;
  }
  return true;
}
