import * as Sentry from '@sentry/node';
import type { Breadcrumb, ErrorEvent, NodeOptions } from '@sentry/node';

import { redact } from '@vigil/redaction';

/** Where a reported error was caught: a tag on the event, so issues can be filtered by it. */
export type ErrorOrigin = 'http' | 'consumer' | 'process';

export interface ErrorReportingSettings {
  /** SENTRY_DSN; unset, nothing is reported and nothing is installed. */
  dsn: string | undefined;
  /** The service name: the event's server_name and its `service` tag. */
  service: string;
  release: string;
  environment: string;
  /** Flush timeout on close (the SIGTERM drain waits this long at most). */
  flushTimeoutMs?: number;
  /**
   * Also report uncaught exceptions and unhandled rejections (then exit 1, as Node does without a
   * handler). Only a process's owner (bootstrapService) sets it; in-process tests leave it off.
   */
  processHooks?: boolean;
}

const DEFAULT_FLUSH_TIMEOUT_MS = 2000;

type SdkIntegration = Omit<ReturnType<typeof Sentry.dedupeIntegration>, 'name'> & { name: string };

/**
 * SDK 11's form of `sendDefaultPii: false`: its data collection defaults to on, so every category is
 * turned off (users, cookies, headers, bodies, query strings, GraphQL and AI payloads).
 */
const NO_PERSONAL_DATA: NonNullable<NodeOptions['dataCollection']> = {
  userInfo: false,
  cookies: false,
  httpHeaders: false,
  httpBodies: [],
  urlQueryParams: false,
  graphQL: { document: false, variables: false },
  genAI: { inputs: false, outputs: false },
};

/**
 * Reports the unhandled errors of one Vigil service with the official SDK, each event scrubbed by
 * libs/redaction before it leaves the process. The SDK's client is process-wide: one service per process
 * in production; in-process tests start at most one reporting service at a time.
 */
export class ErrorReporting {
  private static current: ErrorReporting | null = null;

  private constructor(private readonly flushTimeoutMs: number) {}

  /** Starts reporting when `settings.dsn` is set; otherwise returns null and installs nothing. */
  static start(settings: ErrorReportingSettings): ErrorReporting | null {
    if (!settings.dsn) return null;
    Sentry.init({
      dsn: settings.dsn,
      release: settings.release,
      environment: settings.environment,
      serverName: settings.service,
      initialScope: { tags: { service: settings.service } },
      // Personal data stays out by default, and whatever an error message carries is scrubbed below.
      dataCollection: NO_PERSONAL_DATA,
      // Errors only: no tracing, no profiling, no module load hooks.
      enableOpenTelemetrySetup: false,
      enableRuntimeChannelInjection: false,
      defaultIntegrations: false,
      integrations: errorIntegrations(settings.processHooks === true),
      beforeSend: scrubEvent,
      beforeBreadcrumb: scrubBreadcrumb,
    });
    const reporting = new ErrorReporting(settings.flushTimeoutMs ?? DEFAULT_FLUSH_TIMEOUT_MS);
    ErrorReporting.current = reporting;
    return reporting;
  }

  /** The running reporter, if any (the exception filter and consumers report through it). */
  static active(): ErrorReporting | null {
    return ErrorReporting.current;
  }

  /** Reports one error caught by Vigil code (the SDK's process hooks report the others on their own). */
  capture(error: unknown, origin: ErrorOrigin, tags: Record<string, string> = {}): void {
    Sentry.captureException(error, {
      captureContext: { tags: { origin, ...tags } },
      mechanism: { type: `vigil.${origin}`, handled: false },
    });
  }

  /** Sends what is queued and stops the client (the SIGTERM drain and test teardown). */
  async close(): Promise<void> {
    if (ErrorReporting.current === this) ErrorReporting.current = null;
    await Sentry.close(this.flushTimeoutMs);
  }
}

/** Reports `error` if reporting runs in this process; a no-op otherwise. */
export function reportError(error: unknown, origin: ErrorOrigin, tags?: Record<string, string>): void {
  ErrorReporting.active()?.capture(error, origin, tags);
}

/**
 * The SDK's error integrations only: uncaught exceptions and unhandled rejections (captured, flushed,
 * then exit 1 as Node would without a handler), linked causes, dedupe, source context and runtime
 * context. Left out on purpose: HTTP/console breadcrumbs and request data (personal data), tracing.
 */
function errorIntegrations(processHooks: boolean): SdkIntegration[] {
  const integrations = [
    Sentry.eventFiltersIntegration(),
    Sentry.functionToStringIntegration(),
    Sentry.linkedErrorsIntegration(),
    Sentry.dedupeIntegration(),
    Sentry.contextLinesIntegration(),
    Sentry.nodeContextIntegration(),
  ];
  if (!processHooks) return integrations;
  return [
    ...integrations,
    Sentry.onUncaughtExceptionIntegration(),
    Sentry.onUnhandledRejectionIntegration({ mode: 'strict' }),
  ];
}

/** The event as libs/redaction scrubs any value; the ids the protocol needs are kept as they are. */
export function scrubEvent(event: ErrorEvent): ErrorEvent {
  const scrubbed = redact(event);
  return { ...scrubbed, event_id: event.event_id, type: event.type };
}

export function scrubBreadcrumb(breadcrumb: Breadcrumb): Breadcrumb {
  return redact(breadcrumb);
}
