import type { IncidentView, StatusView, TargetStatusView, UptimeWindow } from './status-view.service';

const WINDOWS: UptimeWindow[] = ['24h', '7d', '30d'];
const SPARK_WIDTH = 180;
const SPARK_HEIGHT = 32;

const STYLE = `
  :root { color-scheme: light; font-family: system-ui, -apple-system, "Segoe UI", sans-serif; }
  body { margin: 0; background: #f5f6f8; color: #1c2430; }
  header { background: #1c2430; color: #fff; padding: 16px 24px; }
  header h1 { margin: 0; font-size: 20px; }
  header p { margin: 4px 0 0; color: #b8c2d0; font-size: 13px; }
  main { padding: 16px 24px; max-width: 1100px; }
  table { width: 100%; border-collapse: collapse; background: #fff; border-radius: 6px; overflow: hidden; }
  th, td { text-align: left; padding: 10px 12px; border-bottom: 1px solid #e6e9ee; font-size: 14px; vertical-align: middle; }
  th { background: #eef1f5; font-weight: 600; }
  .state { display: inline-block; min-width: 64px; text-align: center; padding: 2px 8px; border-radius: 10px;
           font-weight: 600; font-size: 12px; text-transform: uppercase; }
  .state-up { background: #d7f5e1; color: #13652f; }
  .state-down { background: #fde0df; color: #9b1c17; }
  .state-unknown { background: #e8eaee; color: #4b5563; }
  .muted { color: #6b7280; font-size: 12px; }
  .num { font-variant-numeric: tabular-nums; }
  h2 { font-size: 16px; margin: 24px 0 8px; }
  .summary { margin: 0 0 16px; font-size: 15px; }
`;

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function pct(value: number | null): string {
  return value === null ? '—' : `${value.toFixed(2)}%`;
}

export function formatDuration(seconds: number): string {
  if (seconds < 60) return `${seconds}s`;
  const units: [number, string][] = [
    [86_400, 'd'],
    [3600, 'h'],
    [60, 'm'],
  ];
  const parts: string[] = [];
  let rest = seconds;
  for (const [size, unit] of units) {
    if (rest >= size) {
      parts.push(`${Math.floor(rest / size)}${unit}`);
      rest %= size;
    }
  }
  return parts.slice(0, 2).join(' ');
}

/** An inline SVG polyline of response times; failed checks are red dots on the baseline. */
export function sparkline(points: (number | null)[]): string {
  if (points.length === 0) return '<span class="muted">no data</span>';
  const max = Math.max(1, ...points.map((p) => p ?? 0));
  const step = points.length > 1 ? SPARK_WIDTH / (points.length - 1) : 0;
  const x = (i: number) => (i * step).toFixed(1);
  const y = (ms: number) => (SPARK_HEIGHT - 2 - (ms / max) * (SPARK_HEIGHT - 4)).toFixed(1);
  const line = points
    .map((p, i) => (p === null ? null : `${x(i)},${y(p)}`))
    .filter((p): p is string => p !== null)
    .join(' ');
  const failures = points
    .map((p, i) => (p === null ? `<circle cx="${x(i)}" cy="${SPARK_HEIGHT - 2}" r="2" fill="#d93025"/>` : ''))
    .join('');
  const label = `response time, last ${points.length} checks, max ${Math.round(max)} ms`;
  return (
    `<svg class="spark" width="${SPARK_WIDTH}" height="${SPARK_HEIGHT}" viewBox="0 0 ${SPARK_WIDTH} ${SPARK_HEIGHT}" role="img" aria-label="${escapeHtml(label)}">` +
    `<polyline fill="none" stroke="#2563eb" stroke-width="1.5" points="${line}"/>${failures}</svg>`
  );
}

function targetRow(target: TargetStatusView): string {
  const state = escapeHtml(target.status);
  const uptime = WINDOWS.map((w) => `<td class="num">${pct(target.uptime_pct[w])}</td>`).join('');
  const latency = target.response_time_ms === null ? '—' : `${Math.round(target.response_time_ms)} ms`;
  const p95 =
    target.response_time_ms_p95 === null
      ? ''
      : `<div class="muted">p95 ${Math.round(target.response_time_ms_p95)} ms</div>`;
  const error = target.last_error ? `<div class="muted">${escapeHtml(target.last_error)}</div>` : '';
  return (
    `<tr data-target="${escapeHtml(target.name)}"><td><strong>${escapeHtml(target.name)}</strong>` +
    `<div class="muted">${escapeHtml(target.kind)} ${escapeHtml(target.url)}</div>${error}</td>` +
    `<td><span class="state state-${state}">${state}</span>` +
    `<div class="muted">since ${escapeHtml(target.since)}</div></td>${uptime}` +
    `<td class="num">${latency}${p95}</td><td>${sparkline(target.response_times_ms)}</td></tr>`
  );
}

function incidentRow(incident: IncidentView): string {
  const ongoing = incident.ended_at === null;
  return (
    `<tr><td>${escapeHtml(incident.target)}</td><td>${escapeHtml(incident.started_at)}</td>` +
    `<td>${ongoing ? '<strong>ongoing</strong>' : escapeHtml(incident.ended_at ?? '')}</td>` +
    `<td class="num">${formatDuration(incident.duration_s)}</td><td>${escapeHtml(incident.reason)}</td></tr>`
  );
}

/** The whole status page: one self-contained HTML document (inline CSS and SVG, no scripts, no external assets). */
export function renderStatusPage(view: StatusView): string {
  const down = view.targets.filter((t) => t.status === 'down');
  const summary =
    view.targets.length === 0
      ? 'No targets configured.'
      : down.length === 0
        ? 'All systems operational.'
        : `${down.length} of ${view.targets.length} down: ${down.map((t) => escapeHtml(t.name)).join(', ')}.`;
  const incidents =
    view.incidents.length === 0
      ? '<p class="muted">No incidents in the last 30 days.</p>'
      : `<table><thead><tr><th>target</th><th>started</th><th>ended</th><th>duration</th><th>reason</th></tr></thead>` +
        `<tbody>${view.incidents.map(incidentRow).join('')}</tbody></table>`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Vigil status</title><style>${STYLE}</style></head>
<body><header><h1>Vigil status</h1><p>Generated ${escapeHtml(view.generated_at)}</p></header>
<main><p class="summary">${summary}</p>
<table><thead><tr><th>target</th><th>state</th><th>uptime 24h</th><th>uptime 7d</th><th>uptime 30d</th><th>last</th><th>response time</th></tr></thead>
<tbody>${view.targets.map(targetRow).join('')}</tbody></table>
<h2>Recent incidents</h2>${incidents}</main></body></html>
`;
}
