/**
 * JetStream streams as plain data (no NATS client types); the platform creates or updates them
 * idempotently at boot. Durations are nanoseconds, as the JetStream API expects.
 */
export interface StreamDefinition {
  name: string;
  subjects: readonly string[];
  description: string;
  storage: 'file' | 'memory';
  retention: 'limits' | 'interest' | 'workqueue';
  duplicate_window_ns?: number;
  max_age_ns?: number;
}

const NS_PER_MINUTE = 60 * 1e9;
const NS_PER_DAY = 24 * 60 * NS_PER_MINUTE;

export const AUDIT_DLQ_SUBJECT_PREFIX = 'audit.v1.dlq.';
export const AUDIT_DLQ_WILDCARD = 'audit.v1.dlq.>';
/** Durable pull consumer of the AUDIT stream. */
export const AUDIT_INGEST_CONSUMER = 'audit-ingest';

const REASON_PATTERN = /^[a-z0-9_-]{1,64}$/;

export const ERRORS_DLQ_SUBJECT_PREFIX = 'errors.v1.dlq.';
export const ERRORS_DLQ_WILDCARD = 'errors.v1.dlq.>';
/** Durable pull consumer of the ERRORS stream (scrubs, groups, stores). */
export const ERRORS_INGEST_CONSUMER = 'errors-ingest';

export const HEALTH_DLQ_SUBJECT_PREFIX = 'health.v1.dlq.';
export const HEALTH_DLQ_WILDCARD = 'health.v1.dlq.>';
/** Durable pull consumer of the HEALTH stream's Sentry check-ins (health.v1.checkins -> heartbeat pings). */
export const HEALTH_CHECKINS_CONSUMER = 'health-checkins';

export const ALERTING_DLQ_SUBJECT_PREFIX = 'alerting.v1.dlq.';
export const ALERTING_DLQ_WILDCARD = 'alerting.v1.dlq.>';

function dlqSubject(prefix: string, reason: string): string {
  if (!REASON_PATTERN.test(reason)) {
    throw new Error(`invalid DLQ reason "${reason}": expected 1-64 characters of [a-z0-9_-]`);
  }
  return `${prefix}${reason}`;
}

/** `audit.v1.dlq.<reason>`, e.g. `audit.v1.dlq.schema`; throws when `reason` is not a subject token. */
export function auditDlqSubject(reason: string): string {
  return dlqSubject(AUDIT_DLQ_SUBJECT_PREFIX, reason);
}

/** `alerting.v1.dlq.<reason>`: alert events alerting refused or could not store (outside `alerts.v1.>`). */
export function alertingDlqSubject(reason: string): string {
  return dlqSubject(ALERTING_DLQ_SUBJECT_PREFIX, reason);
}

/** `errors.v1.dlq.<reason>`: envelope items and events the errors service could not take. */
export function errorsDlqSubject(reason: string): string {
  return dlqSubject(ERRORS_DLQ_SUBJECT_PREFIX, reason);
}

/** `health.v1.dlq.<reason>`: check-ins health could not take (malformed, or not stored after every retry). */
export function healthDlqSubject(reason: string): string {
  return dlqSubject(HEALTH_DLQ_SUBJECT_PREFIX, reason);
}

export const AUDIT_STREAM: StreamDefinition = {
  name: 'AUDIT',
  subjects: ['audit.v1.events.>'],
  description: 'Audit events from every service, de-duplicated on Nats-Msg-Id',
  storage: 'file',
  retention: 'limits',
  duplicate_window_ns: 2 * NS_PER_MINUTE,
  max_age_ns: 7 * NS_PER_DAY,
};

export const AUDIT_DLQ_STREAM: StreamDefinition = {
  name: 'AUDIT_DLQ',
  subjects: [AUDIT_DLQ_WILDCARD],
  description: 'Rejected audit events, with Vigil-Dlq-Reason and Vigil-Original-Subject headers',
  storage: 'file',
  retention: 'limits',
  max_age_ns: 30 * NS_PER_DAY,
};

export const ALERTS_STREAM: StreamDefinition = {
  name: 'ALERTS',
  subjects: ['alerts.v1.>'],
  description: 'Fired and resolved alerts from detectors and health',
  storage: 'file',
  retention: 'limits',
  max_age_ns: 7 * NS_PER_DAY,
};

export const ALERTING_DLQ_STREAM: StreamDefinition = {
  name: 'ALERTING_DLQ',
  subjects: [ALERTING_DLQ_WILDCARD],
  description:
    'Alert events alerting refused or could not store, with Vigil-Dlq-Reason and Vigil-Original-Subject headers',
  storage: 'file',
  retention: 'limits',
  max_age_ns: 30 * NS_PER_DAY,
};

export const HEALTH_STREAM: StreamDefinition = {
  name: 'HEALTH',
  subjects: ['health.v1.status', 'health.v1.checkins'],
  description: 'Health target state changes and Sentry cron check-ins forwarded by errors',
  storage: 'file',
  retention: 'limits',
  max_age_ns: 7 * NS_PER_DAY,
};

export const ERRORS_STREAM: StreamDefinition = {
  name: 'ERRORS',
  subjects: ['errors.v1.events.>'],
  description:
    'Sentry events accepted by the errors intake, de-duplicated on Nats-Msg-Id <project>:<event_id>',
  storage: 'file',
  retention: 'limits',
  // SDKs retry a failed send soon (transport backoff, offline caches flush on next start): 10 minutes.
  duplicate_window_ns: 10 * NS_PER_MINUTE,
  max_age_ns: 7 * NS_PER_DAY,
};

export const ERRORS_DLQ_STREAM: StreamDefinition = {
  name: 'ERRORS_DLQ',
  subjects: [ERRORS_DLQ_WILDCARD],
  description:
    'Envelope items and events errors refused, with Vigil-Dlq-Reason and Vigil-Original-Subject headers',
  storage: 'file',
  retention: 'limits',
  max_age_ns: 30 * NS_PER_DAY,
};

export const HEALTH_DLQ_STREAM: StreamDefinition = {
  name: 'HEALTH_DLQ',
  subjects: [HEALTH_DLQ_WILDCARD],
  description: 'Check-ins health refused, with Vigil-Dlq-Reason and Vigil-Original-Subject headers',
  storage: 'file',
  retention: 'limits',
  max_age_ns: 30 * NS_PER_DAY,
};

export const STREAMS: readonly StreamDefinition[] = [
  AUDIT_STREAM,
  AUDIT_DLQ_STREAM,
  ALERTS_STREAM,
  ALERTING_DLQ_STREAM,
  HEALTH_STREAM,
  ERRORS_STREAM,
  ERRORS_DLQ_STREAM,
  HEALTH_DLQ_STREAM,
];
