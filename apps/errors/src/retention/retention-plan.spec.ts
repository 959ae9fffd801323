import { retentionPlan } from './retention-plan';

const month = (y: number, m: number) => ({
  name: `error_events_${y}${String(m).padStart(2, '0')}`,
  from: new Date(Date.UTC(y, m - 1, 1)),
  to: new Date(Date.UTC(y, m, 1)),
});
const partitions = [month(2026, 1), month(2026, 2), month(2026, 3), month(2026, 4)];
const now = new Date('2026-04-15T00:00:00Z');

describe('retentionPlan', () => {
  it('drops the months every project has let go of', () => {
    const plan = retentionPlan(
      partitions,
      [
        { id: '1', retention_days: 30 },
        { id: '2', retention_days: 60 },
      ],
      now,
    );
    // 60 days before Apr 15 is Feb 14: January is past for both projects.
    expect(plan.drop.map((p) => p.name)).toEqual(['error_events_202601']);
  });

  it('trims the rows of a shorter retention from partitions kept for a longer one', () => {
    const plan = retentionPlan(
      partitions,
      [
        { id: '1', retention_days: 30 },
        { id: '2', retention_days: 60 },
      ],
      now,
    );
    expect(plan.trim).toEqual([
      {
        project_id: '1',
        cutoff: new Date('2026-03-16T00:00:00Z'),
        partitions: [month(2026, 2), month(2026, 3)],
      },
      { project_id: '2', cutoff: new Date('2026-02-14T00:00:00Z'), partitions: [month(2026, 2)] },
    ]);
  });

  it('does nothing inside every retention, or without projects', () => {
    expect(retentionPlan(partitions, [{ id: '1', retention_days: 365 }], now)).toEqual({
      drop: [],
      trim: [],
    });
    expect(retentionPlan(partitions, [], now)).toEqual({ drop: [], trim: [] });
  });
});
