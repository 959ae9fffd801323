/** Phases of an HTTP check, named as blackbox_exporter names them in probe_http_duration_seconds. */
export const HTTP_PHASES = ['resolve', 'connect', 'tls', 'processing', 'transfer'] as const;
export type HttpPhase = (typeof HTTP_PHASES)[number];

/** The outcome of one check of one target. `error` is raw here; it is redacted before it is stored or published. */
export interface CheckResult {
  target: string;
  ok: boolean;
  /** HTTP status of the response; null when none arrived (refused, timed out, ...) or not an HTTP check. */
  statusCode: number | null;
  responseTimeMs: number;
  error: string | null;
  checkedAt: Date;
  /** HTTP checks: milliseconds spent in each phase of the last request (redirects included in the total). */
  phases?: Partial<Record<HttpPhase, number>>;
  /** The number the check measured, when it measures one: an SQL check's value, a heartbeat's `value`. */
  value?: number | null;
  /**
   * Why a pushed-to monitor failed: `missing` (no ping by its deadline) or `failed` (a fail ping, a non-zero
   * exit code, a run out of its duration bounds, a value outside its condition). Decides the alert's name.
   */
  failure?: 'missing' | 'failed';
  /**
   * https checks: the earliest expiry of the certificate chain the server presented (also when the
   * certificate was refused: expired, wrong host, untrusted); null when no handshake completed this time
   * (then the last known expiry stands). Absent for checks without TLS.
   */
  certExpiresAt?: Date | null;
}
