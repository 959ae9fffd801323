import { html, type SafeHtml } from '../render/html';
import { priorityOf, severityRank, type AlertJson, type HistoryJson } from './alerting-api';

export const PAGE_SIZE = 50;
export const ALERT_STATES = ['all', 'unacknowledged', 'acknowledged', 'silenced'] as const;
export type AlertStateFilter = (typeof ALERT_STATES)[number];
export const SEVERITIES = ['critical', 'high', 'medium', 'low'] as const;

/** The list page's GET form, as read from the query (anything unknown falls back to "all"). */
export interface AlertListQuery {
  severity: string;
  service: string;
  state: AlertStateFilter;
  text: string;
  page: number;
}

export function alertListQueryOf(query: Record<string, unknown>): AlertListQuery {
  const text = (name: string) => (typeof query[name] === 'string' ? query[name].trim() : '');
  const state = ALERT_STATES.find((s) => s === query['state']) ?? 'all';
  const severity = SEVERITIES.find((s) => s === query['severity']) ?? '';
  const page = Number.parseInt(text('page'), 10);
  return {
    severity,
    service: text('service').slice(0, 200),
    state,
    text: text('text').slice(0, 200),
    page: Number.isFinite(page) && page > 0 ? page : 1,
  };
}

/** One row of the list: the alert and who acknowledged its current episode, if anyone. */
export interface ListedAlert {
  alert: AlertJson;
  ack: HistoryJson | undefined;
}

/** What the GET form cannot ask alerting (acknowledged, free text) is decided here. */
export function selectAlerts(listed: readonly ListedAlert[], query: AlertListQuery): ListedAlert[] {
  const needle = query.text.toLowerCase();
  return listed
    .filter(({ alert, ack }) => {
      if (query.state === 'acknowledged' && ack === undefined) return false;
      if (query.state === 'unacknowledged' && ack !== undefined) return false;
      if (needle === '') return true;
      return [...Object.values(alert.labels), ...Object.values(alert.annotations)].some((v) =>
        v.toLowerCase().includes(needle),
      );
    })
    .sort(byPriority);
}

/** P1 first, then by group (alertname), newest first inside a group. */
function byPriority(a: ListedAlert, b: ListedAlert): number {
  return (
    severityRank(a.alert.labels['severity']) - severityRank(b.alert.labels['severity']) ||
    (a.alert.labels['alertname'] ?? '').localeCompare(b.alert.labels['alertname'] ?? '') ||
    b.alert.startsAt.localeCompare(a.alert.startsAt) ||
    a.alert.fingerprint.localeCompare(b.alert.fingerprint)
  );
}

export function timeTag(iso: string): SafeHtml {
  return html`<time datetime="${iso}">${iso.replace(/\.\d{3}Z$/, 'Z')}</time>`;
}

export function severityBadge(severity: string | undefined): SafeHtml {
  const known = SEVERITIES.find((s) => s === severity);
  return html`<span class="badge ${known ? `sev-${known}` : ''}"
    >${priorityOf(severity)} ${severity ?? 'no severity'}</span
  >`;
}

export function labelBadges(labels: Record<string, string>): SafeHtml {
  return html`<ul class="labels">
    ${Object.entries(labels).map(([name, value]) => html`<li class="badge">${name}=${value}</li>`)}
  </ul>`;
}

export function stateOf(alert: AlertJson, ack: HistoryJson | undefined): SafeHtml {
  if (alert.status.silencedBy.length > 0) return html`silenced`;
  if (alert.status.inhibitedBy.length > 0) return html`inhibited`;
  if (ack !== undefined) return html`acknowledged by <strong>${ack.actor}</strong>`;
  return html`<strong>firing</strong>`;
}

/**
 * The list page. `rows` holds every row up to the page shown; `complete` is false when more follow that
 * were not read (the count then says "at least").
 */
export function alertListBody(
  rows: readonly ListedAlert[],
  query: AlertListQuery,
  complete = true,
): SafeHtml {
  const pages = Math.max(1, Math.ceil(rows.length / PAGE_SIZE), complete ? 1 : query.page + 1);
  const page = Math.min(query.page, pages);
  const shown = rows.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE);
  return html`<h1>Firing alerts</h1>
    ${filterForm(query)}
    <section aria-labelledby="live-heading" class="card live-alerts">
      <h2 id="live-heading">Live changes</h2>
      <p class="hint" id="live-state">Changes since this page opened appear here without reloading.</p>
      <ol id="live-list" data-stream="/alerts/stream"></ol>
    </section>
    <p>
      ${
        complete
          ? html`${rows.length} alert${rows.length === 1 ? '' : 's'} · page ${page} of ${pages}`
          : html`at least ${rows.length} alerts · page ${page}`
      }
    </p>
    <div class="table-wrap">
      <table class="alerts">
        <caption>
          Firing alerts by priority (P1 first), grouped by alert name
        </caption>
        <thead>
          <tr>
            <th scope="col">Alert</th>
            <th scope="col">Labels</th>
            <th scope="col">State</th>
            <th scope="col">Since</th>
          </tr>
        </thead>
        ${groupsOf(shown).map(groupBody)}
      </table>
    </div>
    ${pager(query, page, pages)}`;
}

function groupsOf(rows: readonly ListedAlert[]): ListedAlert[][] {
  const groups: ListedAlert[][] = [];
  for (const row of rows) {
    const last = groups[groups.length - 1];
    const same =
      last?.[0] !== undefined &&
      last[0].alert.labels['alertname'] === row.alert.labels['alertname'] &&
      last[0].alert.labels['severity'] === row.alert.labels['severity'];
    if (same) last.push(row);
    else groups.push([row]);
  }
  return groups;
}

function groupBody(group: ListedAlert[]): SafeHtml {
  const first = group[0]?.alert.labels ?? {};
  return html`<tbody>
    <tr class="group">
      <th scope="rowgroup" colspan="4">
        ${severityBadge(first['severity'])} ${first['alertname'] ?? '(no alertname)'} · ${group.length}
      </th>
    </tr>
    ${group.map(
      ({ alert, ack }) =>
        html`<tr>
          <td>
            <a href="/alerts/${alert.fingerprint}"
              >${alert.annotations['summary'] ?? alert.labels['alertname'] ?? alert.fingerprint}</a
            >
          </td>
          <td>${labelBadges(alert.labels)}</td>
          <td>${stateOf(alert, ack)}</td>
          <td>${timeTag(alert.startsAt)}</td>
        </tr>`,
    )}
  </tbody>`;
}

function filterForm(query: AlertListQuery): SafeHtml {
  const option = (value: string, label: string, current: string) =>
    html`<option value="${value}" ${value === current ? html`selected` : null}>${label}</option>`;
  return html`<form method="get" action="/alerts" class="filters" role="search">
    <div>
      <label for="f-severity">Severity</label>
      <select id="f-severity" name="severity">
        ${option('', 'any', query.severity)}
        ${SEVERITIES.map((s) => option(s, `${priorityOf(s)} ${s}`, query.severity))}
      </select>
    </div>
    <div>
      <label for="f-service">Service</label>
      <input type="text" id="f-service" name="service" value="${query.service}" />
    </div>
    <div>
      <label for="f-state">State</label>
      <select id="f-state" name="state">
        ${ALERT_STATES.map((s) => option(s, s, query.state))}
      </select>
    </div>
    <div>
      <label for="f-text">Text</label>
      <input type="search" id="f-text" name="text" value="${query.text}" />
    </div>
    <div><button type="submit">Filter</button></div>
  </form>`;
}

function pager(query: AlertListQuery, page: number, pages: number): SafeHtml {
  const link = (target: number) => {
    const params = new URLSearchParams();
    if (query.severity) params.set('severity', query.severity);
    if (query.service) params.set('service', query.service);
    if (query.state !== 'all') params.set('state', query.state);
    if (query.text) params.set('text', query.text);
    params.set('page', String(target));
    return `/alerts?${params.toString()}`;
  };
  return html`<nav aria-label="Pages" class="actions">
    ${page > 1 ? html`<a href="${link(page - 1)}" rel="prev">Previous page</a>` : null}
    ${page < pages ? html`<a href="${link(page + 1)}" rel="next">Next page</a>` : null}
  </nav>`;
}

/** Everything the detail page shows, read in two calls (history, then the alert by its alertname). */
export interface AlertDetail {
  fingerprint: string;
  alert: AlertJson | undefined;
  history: readonly HistoryJson[];
}

export const ALERT_ACTIONS = [
  { action: 'ack', label: 'Acknowledge', done: 'Alert acknowledged' },
  { action: 'resolve', label: 'Resolve', done: 'Alert resolved' },
  { action: 'false-positive', label: 'Mark false positive', done: 'Alert marked as a false positive' },
] as const;
export type AlertAction = (typeof ALERT_ACTIONS)[number]['action'];

export function alertDetailBody(
  detail: AlertDetail,
  can: { ack: boolean; silence: boolean },
  csrf: SafeHtml,
): SafeHtml {
  const { alert, history } = detail;
  const latest = history[0];
  const name = alert?.labels['alertname'] ?? latest?.alertname ?? detail.fingerprint;
  const escalation = history.find((entry) => entry.event === 'escalated');
  const ack = history.find((entry) => entry.event === 'acknowledged');
  return html`<h1>${name}</h1>
    <dl class="facts">
      <dt>Priority</dt>
      <dd>${severityBadge(alert?.labels['severity'] ?? latest?.severity)}</dd>
      <dt>State</dt>
      <dd>${alert === undefined ? 'not firing' : stateOf(alert, ack)}</dd>
      <dt>Since</dt>
      <dd>${alert === undefined ? '—' : timeTag(alert.startsAt)}</dd>
      <dt>Fingerprint</dt>
      <dd><code>${detail.fingerprint}</code></dd>
      <dt>Escalation</dt>
      <dd>${escalationText(escalation)}</dd>
      <dt>Receivers</dt>
      <dd>${receiversText(alert, history)}</dd>
    </dl>
    ${alert === undefined ? null : alertFacts(alert)}
    ${alert !== undefined && can.ack ? actionForms(detail.fingerprint, csrf) : null}
    ${
      alert !== undefined && can.silence
        ? html`<p>
            <a class="button" href="/silences/new?from=${detail.fingerprint}">Silence this alert's group…</a>
          </p>`
        : null
    }
    ${historyTable(history)}`;
}

function escalationText(entry: HistoryJson | undefined): SafeHtml {
  if (entry === undefined) return html`not escalated`;
  const d = (entry.details ?? {}) as Record<string, unknown>;
  const text = (key: string) =>
    typeof d[key] === 'string' || typeof d[key] === 'number' ? String(d[key]) : '?';
  return html`step ${text('step')} of policy ${text('policy')} (to ${text('receiver')}) at
  ${timeTag(entry.at)}`;
}

/** The route's receivers, and those an escalation step told. */
function receiversText(alert: AlertJson | undefined, history: readonly HistoryJson[]): string {
  const names = new Set((alert?.receivers ?? []).map((r) => r.name));
  for (const entry of history) {
    const receiver = (entry.details as Record<string, unknown> | null)?.['receiver'];
    if (entry.event === 'escalated' && typeof receiver === 'string') names.add(receiver);
  }
  return names.size === 0 ? 'none' : [...names].join(', ');
}

function alertFacts(alert: AlertJson): SafeHtml {
  return html`<section aria-labelledby="labels-heading">
      <h2 id="labels-heading">Labels</h2>
      ${labelBadges(alert.labels)}
    </section>
    <section aria-labelledby="annotations-heading">
      <h2 id="annotations-heading">Annotations</h2>
      <dl class="facts">
        ${Object.entries(alert.annotations).map(
          ([k, v]) =>
            html`<dt>${k}</dt>
              <dd>${v}</dd>`,
        )}
      </dl>
    </section>`;
}

function actionForms(fingerprint: string, csrf: SafeHtml): SafeHtml {
  return html`<section aria-labelledby="act-heading" class="card">
    <h2 id="act-heading">Act on this alert</h2>
    <div class="actions">
      ${ALERT_ACTIONS.map(
        ({ action, label }) =>
          html`<form method="post" action="/alerts/${fingerprint}/${action}">
            ${csrf}
            <label for="c-${action}">Comment (${label.toLowerCase()})</label>
            <input type="text" id="c-${action}" name="comment" maxlength="2000" />
            <button type="submit">${label}</button>
          </form>`,
      )}
    </div>
  </section>`;
}

function historyTable(history: readonly HistoryJson[]): SafeHtml {
  return html`<section aria-labelledby="history-heading">
    <h2 id="history-heading">History</h2>
    <div class="table-wrap">
      <table>
        <caption>
          State changes, newest first
        </caption>
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">Event</th>
            <th scope="col">By</th>
            <th scope="col">Comment</th>
          </tr>
        </thead>
        <tbody>
          ${history.map(
            (entry) =>
              html`<tr>
                <td>${timeTag(entry.at)}</td>
                <td>${entry.event.replace(/_/g, ' ')}</td>
                <td>${entry.actor}</td>
                <td>${entry.comment ?? ''}</td>
              </tr>`,
          )}
        </tbody>
      </table>
    </div>
  </section>`;
}
