import { z } from 'zod';

import { CaptureRegexError, compileCaptureRegex } from './capture-regex';
import { checkSqlEntry, sqlFileFields, sqlIntervalS, toSqlFields, type SqlTarget } from './sql-definition';
import {
  checkHeartbeatEntry,
  HEARTBEAT_LEASE_INTERVAL_MS,
  heartbeatFields,
  heartbeatSettings,
  type HeartbeatTarget,
} from './heartbeat-definition';
import type { SecretEnvironment } from './target-secrets';
import {
  alertRuleFields,
  alertRulesOf,
  defaultAlertRules,
  severityField,
  type AlertRules,
} from './common-fields';
import { isEnvironmentReference, withoutSecretReferences, type TargetSecrets } from './secret-references';

/** Error messages for a field: "is required" when it is missing, `otherwise` when it has the wrong type. */
const field = (otherwise: string) => ({
  error: (issue: { input: unknown }) => (issue.input === undefined ? 'is required' : otherwise),
});

const HTTP_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;
/** Target names become metric labels, NATS payload fields and primary keys: keep them plain. */
const TARGET_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;
/** A zod check: the capture pattern compiles on RE2 with one group; the issue carries RE2's reason. */
function checkCaptureRegex(value: string, ctx: z.RefinementCtx): void {
  try {
    compileCaptureRegex(value);
  } catch (error) {
    if (!(error instanceof CaptureRegexError)) throw error;
    ctx.addIssue({ code: 'custom', message: error.message });
  }
}

const JSON_PATH = /^\$(\.[A-Za-z_][A-Za-z0-9_-]*|\[\d+\])*$/;

export function isHttpUrl(value: string): boolean {
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

/** Fields of every kind: a new kind spreads `...common` into its file schema. */
export const common = {
  name: z
    .string(field('must be a string'))
    .regex(TARGET_NAME, "must be 1-63 letters, digits, '.', '_' or '-', starting with a letter or digit"),
  interval_s: wholeNumber(1, 86_400).default(30),
  timeout_ms: wholeNumber(1, 120_000).default(5000),
  recovery_threshold: wholeNumber(1, 100).default(1),
  // failure_threshold (alias failures_to_alert), failure_window, severity, labels, depends_on, maintenance
  ...alertRuleFields,
};

/** A condition on a JSON response: the value at `path` (`$.a.b[0]`) exists, or equals `equals`. */
const jsonPathCondition = z.strictObject({
  path: z
    .string(field('must be a string'))
    .regex(JSON_PATH, 'must look like $.field.sub[0] (dot fields and [index] only)'),
  equals: z
    .union(
      [z.string(), z.number(), z.boolean(), z.null()],
      field('must be a string, number, boolean or null'),
    )
    .optional(),
});

/** TLS settings of an https request: `ca_file` is a PEM file of the CA(s) to trust instead of the system's. */
const tlsSettings = z.strictObject(
  { ca_file: z.string(field('must be a path to a PEM file')).min(1, 'must not be empty') },
  field('must be a mapping with ca_file'),
);

/** What an HTTP request sends and what its answer must satisfy: an http target, or a synthetic step. */
const httpExchange = {
  url: z
    .string(field('must be an http(s) URL'))
    .refine((url) => isHttpUrl(withoutSecretReferences(url)), 'must be an http(s) URL'),
  method: z.enum(HTTP_METHODS, field(`must be one of ${HTTP_METHODS.join(', ')}`)).default('GET'),
  headers: z
    .record(
      z.string(),
      z.string(field('must be a string')),
      field('must be a mapping of header names to strings'),
    )
    .default({}),
  body: z.string(field('must be a string')).optional(),
  expect_status: wholeNumber(100, 599).default(200),
  keyword: z.string(field('must be a string')).min(1, 'must not be empty').optional(),
  json_path: jsonPathCondition.optional(),
  max_response_ms: wholeNumber(1, 120_000).optional(),
  /** The answer must be an HTML document (content-type text/html, <html>...</html>). */
  expect_html: z.boolean(field('must be true or false')).default(false),
  tls: tlsSettings.optional(),
};

/** Certificate expiry thresholds of an https target or flow: CertificateExpiring medium, then critical. */
const certificateExpiry = {
  cert_expiry_warn_days: wholeNumber(1, 365).default(21),
  cert_expiry_critical_days: wholeNumber(0, 365).default(7),
};

/** The critical threshold lies inside the warning one. */
function checkCertificateExpiry(
  entry: { cert_expiry_warn_days: number; cert_expiry_critical_days: number },
  ctx: z.RefinementCtx,
): void {
  if (entry.cert_expiry_critical_days > entry.cert_expiry_warn_days)
    ctx.addIssue({
      code: 'custom',
      path: ['cert_expiry_critical_days'],
      message: 'must not be more than cert_expiry_warn_days',
    });
}

/** One entry of `targets:` as written in the YAML file (snake_case, defaults applied). `type` defaults to http. */
export const httpTargetFileSchema = z
  .strictObject({
    type: z.literal('http').default('http'),
    ...common,
    ...httpExchange,
    ...certificateExpiry,
  })
  .superRefine(checkCertificateExpiry);

const CAPTURE_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,31}$/;

/** A value a synthetic step keeps for later steps: a regex group of the body, a JSON path, or a header. */
const captureSchema = z.union(
  [
    z.strictObject({
      regex: z.string().min(1).superRefine(checkCaptureRegex),
    }),
    z.strictObject({ json_path: z.string().regex(JSON_PATH, 'must look like $.field.sub[0]') }),
    z.strictObject({ header: z.string().min(1) }),
  ],
  field('must be one of {regex}, {json_path} or {header}'),
);

const syntheticStepSchema = z.strictObject({
  name: z.string(field('must be a string')).min(1, 'must not be empty'),
  ...httpExchange,
  /** Values later steps use as ${name} in their url, headers and body. */
  capture: z
    .record(
      z
        .string()
        .regex(CAPTURE_NAME, 'capture names are letters, digits and _')
        .refine(
          (name) => !isEnvironmentReference(name),
          'all-uppercase names are environment variables (${NAME}); give a capture a lowercase letter',
        ),
      captureSchema,
    )
    .default({}),
});

/** A multi-step flow: each step is an HTTP exchange; steps run in order and stop at the first failure. */
export const syntheticTargetFileSchema = z
  .strictObject({
    type: z.literal('synthetic'),
    ...common,
    steps: z
      .array(syntheticStepSchema, field('must be a list of steps'))
      .min(1, 'must have at least one step')
      .max(20, 'must have at most 20 steps'),
    ...certificateExpiry,
  })
  .superRefine(checkCertificateExpiry);

export const tcpTargetFileSchema = z.strictObject({
  type: z.literal('tcp'),
  ...common,
  host: z.string(field('must be a host name or address')).min(1, 'must not be empty'),
  port: wholeNumber(1, 65_535),
});

export const postgresTargetFileSchema = z.strictObject({
  type: z.literal('postgres'),
  ...common,
  url: z
    .string(field('must be a postgres:// URL'))
    .regex(/^postgres(ql)?:\/\/\S+$/, 'must be a postgres:// URL'),
});

export const natsTargetFileSchema = z.strictObject({
  type: z.literal('nats'),
  ...common,
  url: z.string(field('must be a nats:// URL')).regex(/^(nats|tls):\/\/\S+$/, 'must be a nats:// URL'),
});

// Integrity checks and jobs page as P2 (high) unless told otherwise; an endpoint down is P1 (critical).
export const sqlTargetFileSchema = z
  .strictObject({ ...common, severity: severityField.default('high'), ...sqlFileFields })
  .superRefine(checkSqlEntry);

/** A job that pings the service (heartbeats/): see heartbeat-definition.ts. */
export const heartbeatTargetFileSchema = z
  .strictObject({
    type: z.literal('heartbeat'),
    ...common,
    severity: severityField.default('high'),
    ...heartbeatFields,
  })
  .superRefine(checkHeartbeatEntry);

export const TARGET_TYPES = ['http', 'tcp', 'postgres', 'nats', 'synthetic', 'sql', 'heartbeat'] as const;
export type TargetType = (typeof TARGET_TYPES)[number];

export const targetFileSchemas = {
  http: httpTargetFileSchema,
  tcp: tcpTargetFileSchema,
  postgres: postgresTargetFileSchema,
  nats: natsTargetFileSchema,
  synthetic: syntheticTargetFileSchema,
  sql: sqlTargetFileSchema,
  heartbeat: heartbeatTargetFileSchema,
} as const;

export const targetsFileSchema = z.strictObject(
  {
    targets: z.array(z.unknown(), field('must be a list of targets')),
    /** Windows of every target (validated by targets-file.ts, after the targets). */
    maintenance: z.unknown().optional(),
  },
  field('must be a mapping with a `targets:` list'),
);

/** Fields of every kind (see common-fields.ts for severity, labels, dependsOn, failureWindow, maintenance). */
export interface TargetBase extends AlertRules {
  name: string;
  /** What is checked, for people: a URL (credentials are redacted wherever it is shown). */
  url: string;
  intervalMs: number;
  timeoutMs: number;
  recoveryThreshold: number;
}

export interface JsonPathCondition {
  path: string;
  /** When undefined, the value only has to exist. */
  equals?: string | number | boolean | null;
}

/** Days before a certificate's expiry at which CertificateExpiring fires as medium, then critical. */
export interface CertificateExpiryThresholds {
  warnDays: number;
  criticalDays: number;
}

export const DEFAULT_CERT_EXPIRY: CertificateExpiryThresholds = { warnDays: 21, criticalDays: 7 };

/** `tls.ca_file` and its PEM text, read when the targets file is loaded. */
export interface TlsSettings {
  caFile: string;
  ca: string;
}

/** A validated HTTP target, as the checker, scheduler and state machine use it. */
export interface HttpTarget extends TargetBase {
  kind: 'http';
  method: (typeof HTTP_METHODS)[number];
  headers: Record<string, string>;
  body: string | null;
  expectStatus: number;
  /** When set, the response body must contain it. */
  keyword: string | null;
  jsonPath: JsonPathCondition | null;
  /** When set, a slower answer fails the check even with the right status. */
  maxResponseTimeMs: number | null;
  expectHtml: boolean;
  /** A private CA to trust (tls.ca_file); absent: the system's roots. */
  tls?: TlsSettings;
  /**
   * The values of the `${NAME}` / `${file:/path}` references in url, headers and body, read at load;
   * the definition keeps the references, the checker fills them in per request.
   */
  secrets?: TargetSecrets;
  /** Absent on synthetic steps (their flow has the thresholds): DEFAULT_CERT_EXPIRY. */
  certExpiry?: CertificateExpiryThresholds;
}

export type Capture = { regex: string } | { json_path: string } | { header: string };

export interface SyntheticStep {
  name: string;
  /** The step as an HTTP target (its url, headers and body may hold ${capture} placeholders). */
  request: HttpTarget;
  capture: Record<string, Capture>;
}

export interface SyntheticTarget extends TargetBase {
  kind: 'synthetic';
  steps: SyntheticStep[];
  certExpiry?: CertificateExpiryThresholds;
}

export interface TcpTarget extends TargetBase {
  kind: 'tcp';
  host: string;
  port: number;
}

export interface PostgresTarget extends TargetBase {
  kind: 'postgres';
}

export interface NatsTarget extends TargetBase {
  kind: 'nats';
}

/** Every kind of target the service checks. */
export type TargetDefinition =
  HttpTarget | TcpTarget | PostgresTarget | NatsTarget | SyntheticTarget | SqlTarget | HeartbeatTarget;
export type { SqlTarget };
export type { HeartbeatTarget } from './heartbeat-definition';

type FileEntry<K extends TargetType> = z.infer<(typeof targetFileSchemas)[K]>;
/** One validated entry of `targets:`, before it becomes a TargetDefinition. */
export type TargetFileEntry = FileEntry<TargetType>;

/** The common part of a target of any kind; a new kind builds its definition with it. */
export function base(
  entry: Omit<FileEntry<TargetType>, 'interval_s'> & { interval_s: number },
  url: string,
): TargetBase {
  return {
    name: entry.name,
    url,
    intervalMs: entry.interval_s * 1000,
    timeoutMs: entry.timeout_ms,
    recoveryThreshold: entry.recovery_threshold,
    // A heartbeat is down at its first missed deadline or failed run, unless told to wait for more.
    ...alertRulesOf(entry, entry.type === 'heartbeat' ? 1 : undefined),
  };
}

type HttpExchangeEntry = Omit<
  FileEntry<'http'>,
  | 'type'
  | 'interval_s'
  | 'recovery_threshold'
  | 'cert_expiry_warn_days'
  | 'cert_expiry_critical_days'
  | keyof typeof alertRuleFields
> & {
  interval_s?: number;
  failure_threshold?: number;
  recovery_threshold?: number;
};

export function toHttpTarget(entry: HttpExchangeEntry): HttpTarget {
  return {
    kind: 'http',
    name: entry.name,
    url: entry.url,
    intervalMs: (entry.interval_s ?? 0) * 1000,
    timeoutMs: entry.timeout_ms,
    ...defaultAlertRules(entry.failure_threshold ?? 1),
    recoveryThreshold: entry.recovery_threshold ?? 1,
    method: entry.method,
    headers: entry.headers,
    body: entry.body ?? null,
    expectStatus: entry.expect_status,
    keyword: entry.keyword ?? null,
    jsonPath: entry.json_path ?? null,
    maxResponseTimeMs: entry.max_response_ms ?? null,
    expectHtml: entry.expect_html,
  };
}

function certExpiryOf(entry: {
  cert_expiry_warn_days: number;
  cert_expiry_critical_days: number;
}): CertificateExpiryThresholds {
  return { warnDays: entry.cert_expiry_warn_days, criticalDays: entry.cert_expiry_critical_days };
}

/** `environment` holds the secrets an entry names (an sql connection string, a heartbeat's token_env); TargetSecretError if one is missing. */
export function toTarget(
  entry: FileEntry<TargetType>,
  environment: SecretEnvironment = {},
): TargetDefinition {
  switch (entry.type) {
    case 'http':
      return { ...toHttpTarget(entry), ...base(entry, entry.url), certExpiry: certExpiryOf(entry) };
    case 'synthetic':
      return {
        kind: 'synthetic',
        ...base(entry, `synthetic:${entry.steps.map((s) => s.url).join(' -> ')}`),
        certExpiry: certExpiryOf(entry),
        steps: entry.steps.map((step) => ({
          name: step.name,
          request: toHttpTarget({ ...step, timeout_ms: entry.timeout_ms }),
          capture: step.capture,
        })),
      };
    case 'tcp':
      return {
        kind: 'tcp',
        ...base(entry, `tcp://${entry.host}:${entry.port}`),
        host: entry.host,
        port: entry.port,
      };
    case 'postgres':
      return { kind: 'postgres', ...base(entry, entry.url) };
    case 'nats':
      return { kind: 'nats', ...base(entry, entry.url) };
    case 'sql':
      return {
        ...base({ ...entry, interval_s: sqlIntervalS(entry) }, `sql:${entry.name}`),
        ...toSqlFields(entry, environment),
      };
    case 'heartbeat':
      return {
        kind: 'heartbeat',
        ...base(entry, `heartbeat:${entry.name}`),
        intervalMs: HEARTBEAT_LEASE_INTERVAL_MS,
        ...heartbeatSettings(entry, environment),
      };
  }
}
