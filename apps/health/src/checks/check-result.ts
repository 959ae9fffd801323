/** The outcome of one check of one target. `error` is raw here; it is redacted before it is stored or published. */
export interface CheckResult {
  target: string;
  ok: boolean;
  /** HTTP status of the response; null when none arrived (refused, timed out, ...). */
  statusCode: number | null;
  responseTimeMs: number;
  error: string | null;
  checkedAt: Date;
}
