import { makeCounterProvider } from '@willsoto/nestjs-prometheus';

export const ERRORS_INTAKE_ITEMS = 'errors_intake_items_total';

/**
 * What became of an item: `accepted` (an event in the ERRORS stream), `duplicate` (an event id the
 * stream already had), `forwarded` (a check-in on health.v1.checkins), `counted` (a type we only count),
 * `rate_limited`, `invalid` (sent to ERRORS_DLQ), `too_large` (413), `failed` (JetStream did not ack).
 */
export type ItemOutcome =
  'accepted' | 'duplicate' | 'forwarded' | 'counted' | 'rate_limited' | 'invalid' | 'too_large' | 'failed';

/** Item types with their own label value; any other type is counted as `unknown` (bounded labels). */
export const KNOWN_ITEM_TYPES: ReadonlySet<string> = new Set([
  'event',
  'transaction',
  'session',
  'sessions',
  'client_report',
  'attachment',
  'check_in',
  'log',
  'otel_log',
  'span',
  'otel_span',
  'profile',
  'profile_chunk',
  'replay_event',
  'replay_recording',
  'replay_video',
  'user_report',
  'feedback',
  'statsd',
  'metric_buckets',
  'trace_metric',
  'security',
  'envelope',
]);

export const intakeMetricProviders = [
  makeCounterProvider({
    name: ERRORS_INTAKE_ITEMS,
    help: 'Sentry envelope items and store events received, by project slug, item type and outcome',
    labelNames: ['project', 'type', 'outcome'],
  }),
];
