/**
 * SQLSTATE classes and codes that mean "Postgres refuses this data", whatever the retry: 22 data
 * exception (invalid byte sequence or escape, datetime or numeric out of range…), 54 program limit
 * exceeded (an index row too large…), and the not-null and check violations of class 23.
 */
const REFUSED_CLASSES = new Set(['22', '54']);
const REFUSED_CODES = new Set(['23502', '23514']);

/**
 * Whether a failed append was refused because of what the batch holds (so retrying the same messages
 * can never succeed), rather than because of the moment (connection lost, deadlock, shutdown). Errors
 * thrown by our own code while preparing the rows (a RangeError: an impossible date, a stack overflow on
 * deep nesting) are content too. Anything else is transient: the messages are retried.
 */
export function isRefusedContent(error: unknown): boolean {
  if (error instanceof RangeError) return true;
  const code = sqlState(error);
  return code !== undefined && (REFUSED_CLASSES.has(code.slice(0, 2)) || REFUSED_CODES.has(code));
}

/** The SQLSTATE of a pg error, also when TypeORM wrapped it (QueryFailedError.driverError). */
export function sqlState(error: unknown): string | undefined {
  for (const candidate of [error, (error as { driverError?: unknown } | null)?.driverError]) {
    const code = (candidate as { code?: unknown } | null | undefined)?.code;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code;
  }
  return undefined;
}
