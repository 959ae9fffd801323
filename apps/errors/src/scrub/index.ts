export { hashUserId, type ScrubbedEvent, type ScrubOptions, scrubSentryEvent } from './scrub-sentry-event';
export type {
  SentryEventStored,
  SentryException,
  SentryFrame,
  SentryLogEntry,
  SentryStacktrace,
  SentryUser,
} from './sentry-event';
export { SENTRY_EVENT_EXTRA_KEYS, sentryEventRedactionPolicy } from './sentry-redaction-policy';
