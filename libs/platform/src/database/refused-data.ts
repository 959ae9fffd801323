/**
 * SQLSTATE classes and codes that mean "Postgres refuses the data this statement carries", whatever
 * the retry: 21 cardinality violation (an upsert touching one row twice), 22 data exception (invalid
 * byte sequence or escape, datetime or numeric out of range, value too long…), 54 program limit
 * exceeded (an index row too large…), and the not-null and check violations of class 23. A unique
 * violation is left out: concurrent DDL (two replicas creating one partition) raises it for a moment.
 */
const REFUSED_CLASSES = new Set(['21', '22', '54']);
const REFUSED_CODES = new Set(['23502', '23514']);

/**
 * Whether a statement failed because of what it carries (retrying the same data can never succeed),
 * rather than because of the moment (connection lost, deadlock, shutdown, a missing table). A consumer
 * isolates and sets aside such data; anything else it retries.
 */
export function isRefusedData(error: unknown): boolean {
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
