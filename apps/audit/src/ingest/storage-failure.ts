import { isRefusedData } from '@vigil/platform';

/**
 * Whether a failed append was refused because of what the batch holds (so retrying the same messages
 * can never succeed): Postgres refusing the data (the platform's one definition), or our own code
 * throwing a RangeError while preparing the rows (an impossible date, a stack overflow on deep
 * nesting). Anything else is transient: the messages are retried.
 */
export function isRefusedContent(error: unknown): boolean {
  return error instanceof RangeError || isRefusedData(error);
}
