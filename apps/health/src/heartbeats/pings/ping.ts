/** What a ping says: the kinds and channels heartbeat_pings accepts (its CHECK constraints). */
export type PingKind = 'success' | 'start' | 'fail' | 'log' | 'exit';
export type PingVia = 'http' | 'kuma' | 'sentry';

/** One row of heartbeat_pings, before it is stored. */
export interface Ping {
  monitor: string;
  kind: PingKind;
  /** Set for kind `exit` (0-255). */
  exitCode: number | null;
  /** Pairs a start with its end (Healthchecks' `rid`, Sentry's check_in_id). */
  rid: string | null;
  value: number | null;
  durationMs: number | null;
  /** Already redacted. */
  body: string | null;
  via: PingVia;
  receivedAt: Date;
}
