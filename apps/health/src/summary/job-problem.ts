/**
 * Whether a heartbeat incident was a late job (no ping by the deadline) or a failed one (a fail
 * ping, a non-zero exit code, a run out of its duration bounds, a value off its condition). The
 * incident keeps only the reason text of the check that turned the monitor down, so its words decide:
 * a missed deadline's reason says "missing", "late", "overdue" or "no ping".
 */
const LATE_WORDS = /\b(missing|late|overdue|no ping|not pinged|no success)\b/i;

export type JobProblem = 'late' | 'failed';

export function jobProblem(reason: string): JobProblem {
  return LATE_WORDS.test(reason) ? 'late' : 'failed';
}
