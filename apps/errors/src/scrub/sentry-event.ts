/**
 * A Sentry event after `scrubSentryEvent`: the fields grouping and the issue views read are typed, the rest
 * (contexts, extra, request, breadcrumbs...) is scrubbed JSON kept as sent. Shapes follow the SDKs' event
 * payload (https://develop.sentry.dev/sdk/event-payloads/).
 */
export interface SentryFrame {
  filename?: string;
  abs_path?: string;
  module?: string;
  function?: string;
  lineno?: number;
  colno?: number;
  in_app?: boolean;
  context_line?: string;
  pre_context?: string[];
  post_context?: string[];
  vars?: Record<string, unknown>;
  [field: string]: unknown;
}

export interface SentryStacktrace {
  frames?: SentryFrame[];
  [field: string]: unknown;
}

export interface SentryException {
  type?: string;
  value?: string;
  module?: string;
  stacktrace?: SentryStacktrace;
  mechanism?: Record<string, unknown>;
  [field: string]: unknown;
}

export interface SentryLogEntry {
  message?: string;
  formatted?: string;
  params?: unknown;
}

export interface SentryUser {
  /** As sent, or `[HASH:user_id:…]` when the project hashes user ids. */
  id?: string;
  username?: string;
  ip_address?: string;
  [field: string]: unknown;
}

export interface SentryEventStored {
  event_id?: string;
  timestamp?: string | number;
  level?: string;
  platform?: string;
  logger?: string;
  transaction?: string;
  server_name?: string;
  release?: string;
  environment?: string;
  message?: string | SentryLogEntry;
  logentry?: SentryLogEntry;
  exception?: { values: SentryException[] };
  threads?: { values: { stacktrace?: SentryStacktrace; [field: string]: unknown }[] };
  stacktrace?: SentryStacktrace;
  fingerprint?: string[];
  user?: SentryUser;
  tags?: Record<string, string> | [string, string][];
  modules?: Record<string, string>;
  [field: string]: unknown;
}
