import { jobProblem } from './job-problem';

describe('jobProblem', () => {
  it('calls a missed deadline late', () => {
    expect(jobProblem('2 consecutive failed checks: no ping by the deadline (missing since 02:00)')).toBe(
      'late',
    );
    expect(jobProblem('1 consecutive failed check: Late: expected a ping by 2025-01-06T03:00:00Z')).toBe(
      'late',
    );
    expect(jobProblem('1 consecutive failed check: overdue by 5m')).toBe('late');
  });

  it('calls a reported failure, bad exit code, duration or value failed', () => {
    expect(jobProblem('1 consecutive failed check: exit code 2')).toBe('failed');
    expect(jobProblem('1 consecutive failed check: run took 3s, shorter than min_duration 5m')).toBe(
      'failed',
    );
    expect(jobProblem('1 consecutive failed check: value 0 is not > 0')).toBe('failed');
    // "latency" and "translated" hold "late" only inside a word.
    expect(jobProblem('1 consecutive failed check: translated latency 900 ms')).toBe('failed');
  });
});
