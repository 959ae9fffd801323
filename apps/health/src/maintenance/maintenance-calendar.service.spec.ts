import type { MaintenanceWindow } from '../targets/maintenance-window';
import { MaintenanceCalendar } from './maintenance-calendar.service';
import type { MaintenanceWindowRepository, StoredMaintenanceWindow } from './maintenance-window.repository';

const at = (iso: string) => new Date(iso);

function calendar(global: MaintenanceWindow[], api: Partial<StoredMaintenanceWindow>[]) {
  const stored = api.map((w, i) => ({
    id: `00000000-0000-4000-8000-00000000000${i}`,
    start: '2026-12-07T10:00:00.000Z',
    end: '2026-12-07T11:00:00.000Z',
    targets: null,
    reason: 'upgrade',
    createdBy: 'ops',
    createdAt: '2026-12-07T09:00:00.000Z',
    ...w,
  }));
  const repository = { endingAfter: () => Promise.resolve(stored) };
  return new MaintenanceCalendar(global, repository as unknown as MaintenanceWindowRepository);
}

describe('MaintenanceCalendar', () => {
  const web = { name: 'web', maintenance: [] as MaintenanceWindow[] };

  it('applies the global windows of the targets file to every target', () => {
    const nightly: MaintenanceWindow = {
      kind: 'recurring',
      schedule: { expression: '0 2 * * *', timeZone: 'UTC' },
      durationMs: 3_600_000,
    };
    const subject = calendar([nightly], []);
    expect(subject.windowAt(web, at('2026-12-07T02:00:00.000Z'))).toBe(
      'global maintenance window cron "0 2 * * *" UTC for 1h',
    );
    expect(subject.windowAt(web, at('2026-12-07T03:00:00.000Z'))).toBeNull();
  });

  it("prefers the target's own window, and applies API windows to the targets they name", async () => {
    const subject = calendar(
      [],
      [
        { targets: ['db'], reason: 'Postgres upgrade' },
        { start: '2026-12-07T12:00:00.000Z', end: '2026-12-07T13:00:00.000Z' },
      ],
    );
    await subject.refresh();
    const db = { name: 'db', maintenance: [] as MaintenanceWindow[] };
    expect(subject.windowAt(db, at('2026-12-07T10:00:00.000Z'))).toBe(
      'maintenance window 00000000-0000-4000-8000-000000000000 (Postgres upgrade)',
    );
    expect(subject.windowAt(db, at('2026-12-07T11:00:00.000Z'))).toBeNull();
    expect(subject.windowAt(web, at('2026-12-07T10:30:00.000Z'))).toBeNull();
    // A window without targets covers every target, from its start to just before its end.
    expect(subject.windowAt(web, at('2026-12-07T12:00:00.000Z'))).toContain('000000000001');
    expect(subject.windowAt(web, new Date(Date.parse('2026-12-07T13:00:00.000Z') - 1))).toContain(
      '000000000001',
    );
    expect(subject.windowAt(web, at('2026-12-07T13:00:00.000Z'))).toBeNull();
    const own = {
      name: 'db',
      maintenance: [
        { kind: 'once', start: '2026-12-07T10:00:00.000Z', end: '2026-12-07T10:05:00.000Z' },
      ] as MaintenanceWindow[],
    };
    expect(subject.windowAt(own, at('2026-12-07T10:01:00.000Z'))).toBe(
      'maintenance window 2026-12-07T10:00:00.000Z to 2026-12-07T10:05:00.000Z',
    );
  });

  it('keeps the windows it had when Postgres does not answer', async () => {
    let fail = false;
    const repository = {
      endingAfter: () =>
        fail
          ? Promise.reject(new Error('connection refused'))
          : Promise.resolve([
              {
                id: 'a',
                start: '2026-12-07T10:00:00.000Z',
                end: '2026-12-07T11:00:00.000Z',
                targets: null,
                reason: 'r',
                createdBy: 'ops',
                createdAt: '2026-12-07T09:00:00.000Z',
              },
            ]),
    };
    const subject = new MaintenanceCalendar([], repository as unknown as MaintenanceWindowRepository);
    await subject.refresh();
    fail = true;
    await subject.refresh();
    expect(subject.windowAt(web, at('2026-12-07T10:00:00.000Z'))).toBe('maintenance window a (r)');
  });
});
