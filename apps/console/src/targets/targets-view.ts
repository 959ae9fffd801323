import { html, type SafeHtml } from '../render/html';
import { dataTable, durationText, percentText, timeTag } from '../render/fragments';
import type { HeartbeatMonitor, Incident, TargetStatus } from './health-api';

/** One row of /targets: a checked target, or a heartbeat monitor with its schedule. */
export interface TargetRow {
  status: TargetStatus | null;
  monitor: HeartbeatMonitor | null;
}

/** Checked targets in health's order, each with its monitor; monitors health's status does not list yet after them. */
export function targetRows(
  targets: readonly TargetStatus[],
  monitors: readonly HeartbeatMonitor[],
): TargetRow[] {
  const byName = new Map(monitors.map((m) => [m.name, m]));
  const rows: TargetRow[] = targets.map((t) => ({ status: t, monitor: byName.get(t.name) ?? null }));
  const listed = new Set(targets.map((t) => t.name));
  for (const monitor of monitors) if (!listed.has(monitor.name)) rows.push({ status: null, monitor });
  return rows;
}

export function stateBadge(state: string): SafeHtml {
  const tone = state === 'up' ? 'ok' : state === 'down' ? 'bad' : 'hint';
  return html`<span class="badge ${tone}">${state}</span>`;
}

function nameOf(row: TargetRow): string {
  return row.status?.name ?? row.monitor?.name ?? '';
}

export function scheduleText(monitor: HeartbeatMonitor): string {
  const every =
    'period_s' in monitor.schedule
      ? `every ${durationText(monitor.schedule.period_s)}`
      : `cron ${monitor.schedule.cron} (${monitor.schedule.timezone})`;
  return monitor.grace_s > 0 ? `${every}, grace ${durationText(monitor.grace_s)}` : every;
}

function row(target: TargetRow): SafeHtml {
  const name = nameOf(target);
  const s = target.status;
  const nextDue = target.monitor?.next_due_at ?? s?.next_due_at ?? null;
  return html`<tr>
    <th scope="row"><a href="/targets/${encodeURIComponent(name)}">${name}</a></th>
    <td>${s?.kind ?? 'heartbeat'}</td>
    <td>${stateBadge(s?.status ?? target.monitor?.status ?? 'unknown')}</td>
    <td>${timeTag(s?.last_checked_at ?? target.monitor?.last_ping_at ?? null)}</td>
    <td>${percentText(s?.uptime_pct['24h'])}</td>
    <td>${percentText(s?.uptime_pct['7d'])}</td>
    <td>${percentText(s?.uptime_pct['30d'])}</td>
    <td>${s?.kind === 'heartbeat' || target.monitor !== null ? timeTag(nextDue) : '—'}</td>
  </tr>`;
}

export function targetsBody(rows: readonly TargetRow[], generatedAt: string): SafeHtml {
  const down = rows.filter((r) => (r.status?.status ?? r.monitor?.status) === 'down').length;
  return html`<h1>Targets</h1>
    <p>
      ${rows.length} targets and heartbeats, ${down} down. As of ${timeTag(generatedAt)}; the public status
      page is served by the health service.
    </p>
    ${dataTable({
      caption: 'Every checked target and heartbeat monitor, with its uptime',
      columns: ['Name', 'Kind', 'State', 'Last check or ping', 'Uptime 24 h', '7 d', '30 d', 'Next due'],
      rows: rows.map(row),
      empty: 'No targets are configured.',
    })}`;
}

/** How many of the latest results the detail page lists (newest first). */
const RECENT_RESULTS = 20;

function recentResults(target: TargetStatus): SafeHtml {
  const latest = target.response_times_ms.slice(-RECENT_RESULTS).reverse();
  if (latest.length === 0) return html`<p>No results yet.</p>`;
  const failed = target.response_times_ms.filter((ms) => ms === null).length;
  return html`<p>
      ${failed} of the last ${target.response_times_ms.length} checks failed; the newest ${latest.length},
      newest first:
    </p>
    <ol class="results">
      ${latest.map((ms) =>
        ms === null
          ? html`<li><span class="badge bad">failed</span></li>`
          : html`<li><span class="badge ok">ok</span> ${ms} ms</li>`,
      )}
    </ol>`;
}

function incidentsTable(incidents: readonly Incident[]): SafeHtml {
  return dataTable({
    caption: 'Incidents of the last 30 days, newest first',
    columns: ['Started', 'Ended', 'Down for', 'Reason'],
    rows: incidents.map(
      (i) =>
        html`<tr>
          <th scope="row">${timeTag(i.started_at)}</th>
          <td>${i.ended_at === null ? html`<span class="badge bad">ongoing</span>` : timeTag(i.ended_at)}</td>
          <td>${durationText(i.duration_s)}</td>
          <td>${i.reason}</td>
        </tr>`,
    ),
    empty: 'No incident in the last 30 days.',
  });
}

function downDays(target: TargetStatus): SafeHtml {
  const days = target.days.filter((d) => d.downtime_s > 0).reverse();
  if (days.length === 0)
    return html`<p>No downtime in the last 90 days (uptime ${percentText(target.uptime_90d_pct)}).</p>`;
  return html`<p>Uptime over 90 days: ${percentText(target.uptime_90d_pct)}. Days with downtime (UTC):</p>
    <ul>
      ${days.map((d) => html`<li>${d.day}: down ${durationText(d.downtime_s)}, uptime ${percentText(d.uptime_pct)}</li>`)}
    </ul>`;
}

export function targetBody(target: TargetStatus | null, monitor: HeartbeatMonitor | null): SafeHtml {
  const name = target?.name ?? monitor?.name ?? '';
  const facts = html`<dl class="facts">
    <dt>Kind</dt>
    <dd>${target?.kind ?? 'heartbeat'}</dd>
    <dt>State</dt>
    <dd>
      ${stateBadge(target?.status ?? monitor?.status ?? 'unknown')} since ${timeTag(target?.since ?? null)}
    </dd>
    ${
      target === null
        ? null
        : html`<dt>Checks</dt>
            <dd>${target.url}</dd>
            <dt>Last check</dt>
            <dd>
              ${timeTag(target.last_checked_at)}${
                target.response_time_ms === null ? null : html`, ${target.response_time_ms} ms`
              }
            </dd>
            <dt>Last error</dt>
            <dd>${target.last_error ?? 'none'}</dd>
            <dt>Uptime</dt>
            <dd>
              24 h ${percentText(target.uptime_pct['24h'])}, 7 d ${percentText(target.uptime_pct['7d'])}, 30 d
              ${percentText(target.uptime_pct['30d'])}
            </dd>
            <dt>Response time (24 h)</dt>
            <dd>
              p50 ${target.response_time_ms_p50 ?? '—'} ms, p95 ${target.response_time_ms_p95 ?? '—'} ms
            </dd>
            ${
              target.last_value === null
                ? null
                : html`<dt>Last value</dt>
                    <dd>${target.last_value}</dd>`
            }
            ${
              target.cert_days_left === null
                ? null
                : html`<dt>Certificate</dt>
                    <dd>expires in ${target.cert_days_left} days</dd>`
            }`
    }
    ${
      monitor === null
        ? null
        : html`<dt>Schedule</dt>
            <dd>${scheduleText(monitor)} (${monitor.origin})</dd>
            <dt>Last ping</dt>
            <dd>${timeTag(monitor.last_ping_at)}</dd>
            <dt>Last success</dt>
            <dd>${timeTag(monitor.last_success_at)}</dd>
            <dt>Next due</dt>
            <dd>${timeTag(monitor.next_due_at)}</dd>`
    }
  </dl>`;
  return html`<p><a href="/targets">All targets</a></p>
    <h1>${name}</h1>
    <section class="card tight">${facts}</section>
    ${
      target === null
        ? null
        : html`<h2>Recent results</h2>
            ${recentResults(target)}
            <h2>Incidents</h2>
            ${incidentsTable(target.incidents)}
            <h2>Last 90 days</h2>
            ${downDays(target)}`
    }`;
}
