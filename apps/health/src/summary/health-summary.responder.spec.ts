import type { NatsMessaging } from '@vigil/platform';

import type { CheckHistoryRepository, Incident } from '../history/check-history.repository';
import { initialTargetState } from '../state/target-state-machine';
import type { TargetSnapshot, TargetStateService } from '../state/target-state.service';
import type { DailyValue, StatusHistoryRepository } from '../history/status-history.repository';
import { HealthSummaryResponder } from './health-summary.responder';

const from = '2025-01-06T00:00:00.000Z';
const to = '2025-01-13T00:00:00.000Z';

/** A target of any kind: heartbeat and sql are only strings here, as the responder reads them. */
function snapshot(name: string, kind: string): TargetSnapshot {
  const target = { name, kind, url: `${kind}:${name}` } as unknown as TargetSnapshot['target'];
  return { target, state: initialTargetState(from) };
}

function responder(incidents: Incident[], values: DailyValue[]): HealthSummaryResponder {
  const states = {
    snapshot: () => [snapshot('web', 'http'), snapshot('orphans', 'sql'), snapshot('backup', 'heartbeat')],
  } as unknown as TargetStateService;
  const history = {
    uptimeBetween: () => Promise.resolve([]),
    percentilesBetween: () => Promise.resolve([]),
    incidentsBetween: () => Promise.resolve(incidents),
  } as unknown as CheckHistoryRepository;
  const statusHistory = {
    dailyLastValues: (targets: readonly string[]) =>
      Promise.resolve(values.filter((v) => targets.includes(v.target))),
  } as unknown as StatusHistoryRepository;
  return new HealthSummaryResponder({} as NatsMessaging, states, history, statusHistory);
}

describe('HealthSummaryResponder', () => {
  it('gives each target its kind and an SQL check its daily values and last value', async () => {
    const reply = await responder(
      [],
      [
        { target: 'orphans', day: '2025-01-06', value: 0 },
        { target: 'orphans', day: '2025-01-08', value: 4 },
        { target: 'web', day: '2025-01-08', value: 99 },
      ],
    ).summarise({ from, to });
    expect(reply.targets.map((t) => [t.name, t.kind])).toEqual([
      ['web', 'http'],
      ['orphans', 'sql'],
      ['backup', 'heartbeat'],
    ]);
    const orphans = reply.targets[1];
    expect(orphans.last_value).toBe(4);
    expect(orphans.values).toEqual([
      { day: '2025-01-06', value: 0 },
      { day: '2025-01-08', value: 4 },
    ]);
    // Only SQL checks carry values.
    expect(reply.targets[0]).not.toHaveProperty('values');
  });

  it('lists heartbeat incidents as late or failed jobs, oldest first, and no other kind', async () => {
    const incidents: Incident[] = [
      {
        target: 'backup',
        startedAt: '2025-01-09T02:00:00.000Z',
        endedAt: null,
        reason: '1 consecutive failed check: exit code 1',
      },
      { target: 'web', startedAt: '2025-01-08T00:00:00.000Z', endedAt: to, reason: 'HTTP 503' },
      {
        target: 'backup',
        startedAt: '2025-01-07T03:00:00.000Z',
        endedAt: '2025-01-07T05:00:00.000Z',
        reason: '1 consecutive failed check: no ping by the deadline',
      },
    ];
    const reply = await responder(incidents, []).summarise({ from, to });
    expect(reply.late_or_failed_jobs).toEqual([
      {
        target: 'backup',
        problem: 'late',
        started_at: '2025-01-07T03:00:00.000Z',
        ended_at: '2025-01-07T05:00:00.000Z',
        reason: '1 consecutive failed check: no ping by the deadline',
      },
      {
        target: 'backup',
        problem: 'failed',
        started_at: '2025-01-09T02:00:00.000Z',
        ended_at: null,
        reason: '1 consecutive failed check: exit code 1',
      },
    ]);
    expect(reply.incidents).toHaveLength(3);
  });
});
