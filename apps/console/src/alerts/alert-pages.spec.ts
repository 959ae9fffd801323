import { html } from '../render/html';
import {
  alertDetailBody,
  alertListBody,
  alertListQueryOf,
  selectAlerts,
  type ListedAlert,
} from './alert-pages';
import type { AlertJson, HistoryJson } from './alerting-api';

const HOSTILE = '<script>alert(1)</script>';

function alert(
  fingerprint: string,
  labels: Record<string, string>,
  annotations: Record<string, string> = {},
): AlertJson {
  return {
    fingerprint,
    labels,
    annotations,
    startsAt: '2026-12-08T01:00:00.000Z',
    endsAt: '2026-12-08T05:00:00.000Z',
    updatedAt: '2026-12-08T01:00:00.000Z',
    status: { state: 'active', silencedBy: [], inhibitedBy: [] },
    receivers: [{ name: 'p1-page' }],
  };
}

const ack: HistoryJson = {
  id: '7',
  at: '2026-12-08T01:05:00.000Z',
  event: 'acknowledged',
  actor: 'alice',
  fingerprint: 'aa01',
  alertname: 'DiskFull',
  severity: 'critical',
  episodeStartsAt: '2026-12-08T01:00:00.000Z',
  comment: `looking ${HOSTILE}`,
  details: null,
};

describe('alert pages', () => {
  const rows: ListedAlert[] = [
    { alert: alert('bb02', { alertname: 'Slow', severity: 'low' }), ack: undefined },
    {
      alert: alert(
        'aa01',
        { alertname: 'DiskFull', severity: 'critical', [HOSTILE]: HOSTILE },
        { summary: HOSTILE },
      ),
      ack,
    },
  ];

  it('renders hostile labels, annotations and comments escaped, never as markup', () => {
    const list = alertListBody(selectAlerts(rows, alertListQueryOf({})), alertListQueryOf({})).value;
    const detail = alertDetailBody(
      { fingerprint: 'aa01', alert: rows[1]?.alert, history: [ack] },
      { ack: true, silence: true },
      html``,
    ).value;
    for (const page of [list, detail]) {
      expect(page).not.toContain('<script>');
      expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    }
  });

  it('puts P1 first and shows who acknowledged it', () => {
    const list = alertListBody(selectAlerts(rows, alertListQueryOf({})), alertListQueryOf({})).value;
    expect(list.indexOf('P1 critical')).toBeGreaterThan(-1);
    expect(list.indexOf('P1 critical')).toBeLessThan(list.indexOf('P3 low'));
    expect(list).toContain('acknowledged by <strong>alice</strong>');
  });

  it('filters by state and text, and paginates by 50', () => {
    expect(
      selectAlerts(rows, alertListQueryOf({ state: 'unacknowledged' })).map((r) => r.alert.fingerprint),
    ).toEqual(['bb02']);
    expect(selectAlerts(rows, alertListQueryOf({ text: 'SLOW' })).map((r) => r.alert.fingerprint)).toEqual([
      'bb02',
    ]);
    const many: ListedAlert[] = Array.from({ length: 120 }, (_, i) => ({
      alert: alert(`f${i}`, { alertname: `A${i}`, severity: 'high' }),
      ack: undefined,
    }));
    const page3 = alertListBody(
      selectAlerts(many, alertListQueryOf({ page: '3' })),
      alertListQueryOf({ page: '3' }),
    ).value;
    expect(page3).toContain('page 3 of 3');
    expect((page3.match(/href="\/alerts\/f/g) ?? []).length).toBe(20);
    expect(page3).toContain('rel="prev"');
    expect(page3).not.toContain('rel="next"');
  });

  it('shows the write buttons only to a key that may use them', () => {
    const input = { fingerprint: 'aa01', alert: rows[1]?.alert, history: [ack] };
    const writer = alertDetailBody(input, { ack: true, silence: true }, html``).value;
    const reader = alertDetailBody(input, { ack: false, silence: false }, html``).value;
    expect(writer).toContain('action="/alerts/aa01/ack"');
    expect(writer).toContain('href="/silences/new?from=aa01"');
    expect(reader).not.toContain('action="/alerts/aa01/ack"');
    expect(reader).not.toContain('/silences/new');
  });
});
