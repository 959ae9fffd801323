import type { IssueRow } from '../storage/issue-row';
import { applyEvents } from './issue-batch';

const at = (minute: number) => new Date(Date.UTC(2026, 2, 1, 12, minute));

const issue: IssueRow = {
  id: '1',
  project_id: '1',
  grouping_version: 'vigil-1',
  fingerprint: 'f',
  title: 'KeyError',
  culprit: null,
  level: 'error',
  status: 'resolved',
  substatus: null,
  resolved_in_next_release: true,
  resolved_release: '1.0',
  resolved_at: at(0),
  ignore_until: null,
  ignore_count_remaining: null,
  first_seen: at(0),
  last_seen: at(1),
  times_seen: 4,
  user_count: 1,
  last_release: '1.0',
  releases: { '1.0': 4 },
  environments: { production: 4 },
  regressed_at: null,
  spike_alerted_at: null,
  merged_into: null,
};

describe('applyEvents', () => {
  it('counts the events into the breakdowns and takes the status through each in order', () => {
    const outcome = applyEvents(issue, [
      { received_at: at(5), release: '1.0', environment: 'production' },
      { received_at: at(6), release: '1.1', environment: 'staging' },
      { received_at: at(4), release: null, environment: null },
    ]);
    expect(outcome.counts).toMatchObject({
      events: 3,
      last_seen: at(6),
      last_release: '1.1',
      releases: { '1.0': 5, '1.1': 1 },
      environments: { production: 5, staging: 1 },
      state: { status: 'unresolved', substatus: 'regressed' },
      regressed_at: at(6),
    });
    expect(outcome.regressions).toEqual([at(6)]);
    expect(issue.releases).toEqual({ '1.0': 4 }); // the row read is not changed
  });

  it('ends an ignore on the event that uses its count up', () => {
    const ignored = { ...issue, status: 'ignored' as const, ignore_count_remaining: 2 };
    const events = [at(5), at(6), at(7)].map((received_at) => ({
      received_at,
      release: null,
      environment: null,
    }));
    const outcome = applyEvents(ignored, events);
    expect(outcome.unignored).toEqual([at(6)]);
    expect(outcome.counts.state.status).toBe('unresolved');
    expect(outcome.counts.regressed_at).toBeNull();
  });
});
