import {
  kindOf,
  type DayUptimeView,
  type IncidentView,
  type StatusView,
  type TargetStatusView,
  type UptimeWindow,
} from './status-view.service';

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
  .kind { display: inline-block; padding: 0 6px; border-radius: 4px; background: #eef1f5; color: #374151;
          font-size: 11px; font-weight: 600; text-transform: uppercase; }
  tr.bar-row td { padding-top: 0; }
  .days { display: flex; gap: 1px; list-style: none; margin: 0; padding: 0; height: 24px; }
  .day { flex: 1 1 0; min-width: 2px; border-radius: 1px; background: #d1d5db; }
  .day:focus { outline: 2px solid #1c2430; outline-offset: 1px; }
  .day-ok { background: #2fb344; }
  .day-minor { background: #f0b429; }
  .day-major { background: #e8590c; }
  .day-down { background: #d93025; }
  .bar-legend { display: flex; justify-content: space-between; gap: 8px; }
  .sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
  a:focus, summary:focus { outline: 2px solid #2563eb; }
  @media (max-width: 700px) {
    main { padding: 12px 8px; }
    table, thead, tbody, tr, td { display: block; width: auto; }
    thead tr { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
    tr.target-row { border-top: 2px solid #e6e9ee; }
    td { border-bottom: none; padding: 4px 10px; }
    td[data-label]::before { content: attr(data-label) ": "; color: #6b7280; font-size: 12px; }
    .spark { max-width: 100%; }
  }
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

/**
 * A `<time>` the status script rewrites into the reader's zone and a relative phrase; without
 * script the ISO instant stays.
 */
export function timeTag(iso: string | null): string {
  if (iso === null) return '—';
  const text = escapeHtml(iso);
  return `<time datetime="${text}">${text}</time>`;
}

/** An inline SVG polyline of response times; failed checks are red dots on the baseline. */
export function sparkline(points: (number | null)[], label?: string): string {
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
  const text = label ?? `response time, last ${points.length} checks, max ${Math.round(max)} ms`;
  return (
    `<svg class="spark" width="${SPARK_WIDTH}" height="${SPARK_HEIGHT}" viewBox="0 0 ${SPARK_WIDTH} ${SPARK_HEIGHT}" role="img" aria-label="${escapeHtml(text)}">` +
    `<polyline fill="none" stroke="#2563eb" stroke-width="1.5" points="${line}"/>${failures}</svg>`
  );
}

/** A day's colour: grey without data, green without downtime, then amber, orange, red as downtime grows. */
export function dayClass(day: DayUptimeView): string {
  if (day.uptime_pct === null) return 'day-none';
  if (day.downtime_s === 0) return 'day-ok';
  if (day.uptime_pct >= 99) return 'day-minor';
  if (day.uptime_pct >= 95) return 'day-major';
  return 'day-down';
}

/** "2026-12-05 (UTC): down 1h 2m, uptime 95.69%", the cell's title and its screen-reader text. */
export function dayLabel(day: DayUptimeView): string {
  if (day.uptime_pct === null) return `${day.day} (UTC): no data`;
  const down = day.downtime_s === 0 ? 'no downtime' : `down ${formatDuration(day.downtime_s)}`;
  return `${day.day} (UTC): ${down}, uptime ${pct(day.uptime_pct)}`;
}

/**
 * The per-day uptime bar, one cell per UTC day as Statuspage draws it. Every cell carries its date,
 * downtime and uptime as a title and as hidden text; days with downtime are focusable so a keyboard
 * reader reaches them.
 */
export function dayBar(target: TargetStatusView): string {
  const cells = target.days
    .map((day) => {
      const label = escapeHtml(dayLabel(day));
      const focus = day.downtime_s > 0 ? ' tabindex="0"' : '';
      return `<li class="day ${dayClass(day)}" data-day="${day.day}" title="${label}"${focus}><span class="sr-only">${label}</span></li>`;
    })
    .join('');
  const first = target.days[0]?.day ?? '';
  return (
    `<ol class="days" aria-label="${escapeHtml(`${target.name}: uptime per day, last ${target.days.length} days (UTC)`)}">${cells}</ol>` +
    `<div class="bar-legend muted"><span>${escapeHtml(first)}</span>` +
    `<span>${pct(target.uptime_90d_pct)} over ${target.days.length} days (UTC days)</span><span>today</span></div>`
  );
}

/** What only some kinds have: an SQL check's value, a heartbeat's last ping, a certificate's expiry. */
function kindDetail(target: TargetStatusView): string {
  const parts: string[] = [];
  if (kindOf(target) === 'heartbeat')
    parts.push(
      `last ping ${target.last_ping_at === null ? 'never' : timeTag(target.last_ping_at)}` +
        (target.next_due_at === null ? '' : `, next due ${timeTag(target.next_due_at)}`),
    );
  if (target.last_value !== null)
    parts.push(`last value <strong class="num">${formatValue(target.last_value)}</strong>`);
  if (target.cert_days_left !== null)
    parts.push(
      target.cert_days_left < 0
        ? '<strong>certificate expired</strong>'
        : `certificate expires in ${target.cert_days_left} ${target.cert_days_left === 1 ? 'day' : 'days'}`,
    );
  return parts.map((p) => `<div class="muted">${p}</div>`).join('');
}

export function formatValue(value: number): string {
  return Number.isInteger(value) ? String(value) : String(Math.round(value * 1000) / 1000);
}

/** SQL checks chart their measured values; every other kind its response times. */
function trend(target: TargetStatusView): string {
  if (kindOf(target) !== 'sql') return sparkline(target.response_times_ms);
  const values = target.values;
  if (values.length === 0) return sparkline([]);
  const label = `value, last ${values.length} checks, from ${formatValue(values[0])} to ${formatValue(values[values.length - 1])}`;
  return sparkline(values, label);
}

function targetRow(target: TargetStatusView): string {
  const state = escapeHtml(target.status);
  const uptime = WINDOWS.map(
    (w) => `<td class="num" data-label="uptime ${w}">${pct(target.uptime_pct[w])}</td>`,
  ).join('');
  const latency = target.response_time_ms === null ? '—' : `${Math.round(target.response_time_ms)} ms`;
  const p95 =
    target.response_time_ms_p95 === null
      ? ''
      : `<div class="muted">p95 ${Math.round(target.response_time_ms_p95)} ms</div>`;
  const error = target.last_error ? `<div class="muted">${escapeHtml(target.last_error)}</div>` : '';
  const name = escapeHtml(target.name);
  return (
    `<tr class="target-row" data-target="${name}" data-kind="${escapeHtml(target.kind)}"><td><strong>${name}</strong> ` +
    `<span class="kind">${escapeHtml(target.kind)}</span>` +
    `<div class="muted">${escapeHtml(target.url)}</div>${kindDetail(target)}${error}</td>` +
    `<td data-label="state"><span class="state state-${state}">${state}</span>` +
    `<div class="muted">since ${timeTag(target.since)}</div></td>${uptime}` +
    `<td class="num" data-label="last">${latency}${p95}</td><td>${trend(target)}</td></tr>` +
    `<tr class="bar-row" data-bar="${name}"><td colspan="7">${dayBar(target)}</td></tr>`
  );
}

function incidentRow(incident: IncidentView): string {
  const ongoing = incident.ended_at === null;
  return (
    `<tr><td>${escapeHtml(incident.target)}</td><td data-label="started">${timeTag(incident.started_at)}</td>` +
    `<td data-label="ended">${ongoing ? '<strong>ongoing</strong>' : timeTag(incident.ended_at)}</td>` +
    `<td class="num" data-label="duration">${formatDuration(incident.duration_s)}</td><td>${escapeHtml(incident.reason)}</td></tr>`
  );
}

/**
 * The whole status page: one HTML document with inline CSS and SVG and one same-origin script
 * (/status.js, which only rewrites <time> elements into the reader's zone). Readable without it.
 */
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
<title>Vigil status</title><style>${STYLE}</style><script src="/status.js" defer></script></head>
<body><header><h1>Vigil status</h1><p>Generated ${timeTag(view.generated_at)}</p></header>
<main><p class="summary">${summary}</p>
<table><thead><tr><th>target</th><th>state</th><th>uptime 24h</th><th>uptime 7d</th><th>uptime 30d</th><th>last</th><th>trend</th></tr></thead>
<tbody>${view.targets.map(targetRow).join('')}</tbody></table>
<h2>Recent incidents</h2>${incidents}</main></body></html>
`;
}
