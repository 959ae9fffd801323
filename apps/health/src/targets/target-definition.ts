import { z } from 'zod';

/** Error messages for a field: "is required" when it is missing, `otherwise` when it has the wrong type. */
const field = (otherwise: string) => ({
  error: (issue: { input: unknown }) => (issue.input === undefined ? 'is required' : otherwise),
});

const HTTP_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;
/** Target names become metric labels, NATS payload fields and primary keys: keep them plain. */
const TARGET_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}

const wholeNumber = (min: number, max: number) =>
  z
    .number(field('must be a number'))
    .int('must be a whole number')
    .min(min, `must be at least ${min}`)
    .max(max, `must be at most ${max}`);

/** One entry of `targets:` as written in the YAML file (snake_case, defaults applied). */
export const httpTargetFileSchema = z.strictObject({
  name: z
    .string(field('must be a string'))
    .regex(TARGET_NAME, "must be 1-63 letters, digits, '.', '_' or '-', starting with a letter or digit"),
  url: z.string(field('must be an http(s) URL')).refine(isHttpUrl, 'must be an http(s) URL'),
  method: z.enum(HTTP_METHODS, field(`must be one of ${HTTP_METHODS.join(', ')}`)).default('GET'),
  interval_s: wholeNumber(1, 86_400).default(30),
  timeout_ms: wholeNumber(1, 120_000).default(5000),
  expect_status: wholeNumber(100, 599).default(200),
  keyword: z.string(field('must be a string')).min(1, 'must not be empty').optional(),
  failure_threshold: wholeNumber(1, 100).default(2),
  recovery_threshold: wholeNumber(1, 100).default(1),
});

export const targetsFileSchema = z.strictObject(
  { targets: z.array(z.unknown(), field('must be a list of targets')) },
  field('must be a mapping with a `targets:` list'),
);

/** A validated HTTP target, as the checker, scheduler and state machine use it. */
export interface HttpTarget {
  kind: 'http';
  name: string;
  url: string;
  method: (typeof HTTP_METHODS)[number];
  intervalMs: number;
  timeoutMs: number;
  expectStatus: number;
  /** When set, the response body must contain it. */
  keyword: string | null;
  failureThreshold: number;
  recoveryThreshold: number;
}

/** Every kind of target the service checks (tcp, postgres and nats join this union later). */
export type TargetDefinition = HttpTarget;

export function toHttpTarget(entry: z.infer<typeof httpTargetFileSchema>): HttpTarget {
  return {
    kind: 'http',
    name: entry.name,
    url: entry.url,
    method: entry.method,
    intervalMs: entry.interval_s * 1000,
    timeoutMs: entry.timeout_ms,
    expectStatus: entry.expect_status,
    keyword: entry.keyword ?? null,
    failureThreshold: entry.failure_threshold,
    recoveryThreshold: entry.recovery_threshold,
  };
}
