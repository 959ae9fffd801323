import { html, type SafeHtml } from '../render/html';
import { csrfField } from '../render/layout';
import { dataTable, timeTag } from '../render/fragments';
import type { ConsoleSession } from '../session/console-session';
import {
  ISSUE_LEVELS,
  ISSUE_STATUSES,
  type ActivityEntry,
  type Issue,
  type IssueDetail,
  type IssueFilters,
  type IssuePage,
  type StoredEvent,
} from './errors-api';
import { summariseEvent } from './event-summary';

const LEVEL_TONE: Record<string, string> = {
  fatal: 'sev-critical',
  error: 'sev-high',
  warning: 'sev-medium',
  info: 'sev-low',
  debug: 'sev-low',
};

function levelBadge(level: string): SafeHtml {
  return html`<span class="badge ${LEVEL_TONE[level] ?? 'sev-low'}">${level}</span>`;
}

function statusText(issue: Issue): string {
  return issue.substatus === null ? issue.status : `${issue.status} (${issue.substatus})`;
}

function select(
  name: string,
  label: string,
  options: readonly string[],
  chosen: string | undefined,
): SafeHtml {
  return html`<div>
    <label for="f-${name}">${label}</label>
    <select id="f-${name}" name="${name}">
      <option value="">any</option>
      ${options.map((o) => html`<option value="${o}" ${o === chosen ? html`selected` : null}>${o}</option>`)}
    </select>
  </div>`;
}

function textFilter(name: string, label: string, value: string | undefined): SafeHtml {
  return html`<div>
    <label for="f-${name}">${label}</label>
    <input id="f-${name}" name="${name}" type="search" value="${value ?? ''}" />
  </div>`;
}

function filtersForm(filters: IssueFilters): SafeHtml {
  return html`<form
    method="get"
    action="/errors"
    class="card filters"
    role="search"
    aria-label="Filter issues"
  >
    ${select('status', 'Status', ISSUE_STATUSES, filters.status)}
    ${select('level', 'Level', ISSUE_LEVELS, filters.level)}
    ${textFilter('project', 'Project (slug or id)', filters.project)}
    ${textFilter('environment', 'Environment', filters.environment)}
    ${textFilter('release', 'Release', filters.release)}
    ${textFilter('q', 'Text in title or culprit', filters.q)}
    <div class="actions"><button type="submit">Filter</button> <a href="/errors">Clear</a></div>
  </form>`;
}

function nextLink(filters: IssueFilters, cursor: string): SafeHtml {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(filters))
    if (key !== 'cursor' && value !== undefined && value !== '') query.set(key, value);
  query.set('cursor', cursor);
  return html`<p><a href="/errors?${query.toString()}" rel="next">Older issues</a></p>`;
}

export function issuesBody(page: IssuePage, filters: IssueFilters): SafeHtml {
  const rows = page.issues.map(
    (issue) =>
      html`<tr>
        <th scope="row">
          <a href="/errors/${issue.id}">${issue.title}</a>
          ${issue.culprit === null ? null : html`<div class="hint">${issue.culprit}</div>`}
        </th>
        <td>${issue.project.slug ?? issue.project.id}</td>
        <td>${levelBadge(issue.level)}</td>
        <td>${statusText(issue)}</td>
        <td>${issue.count}</td>
        <td>${issue.users}</td>
        <td>${timeTag(issue.first_seen)}</td>
        <td>${timeTag(issue.last_seen)}</td>
      </tr>`,
  );
  return html`<h1>Error issues</h1>
    ${filtersForm(filters)}
    ${dataTable({
      caption: html`Issues, last seen first${filters.cursor === undefined ? null : ' (older page)'}`,
      columns: ['Issue', 'Project', 'Level', 'Status', 'Events', 'Users', 'First seen', 'Last seen'],
      rows,
      empty: 'No issue matches.',
    })}
    ${page.next_cursor === null ? null : nextLink(filters, page.next_cursor)}`;
}

function counted(values: Record<string, number>): string {
  const entries = Object.entries(values ?? {});
  return entries.length === 0 ? 'none' : entries.map(([name, n]) => `${name} (${n})`).join(', ');
}

function statusForms(issue: IssueDetail, session: ConsoleSession): SafeHtml {
  const action = `/errors/${issue.id}/status`;
  const reopen = html`<form method="post" action="${action}" class="actions">
    ${csrfField(session)}<input type="hidden" name="status" value="unresolved" />
    <button type="submit" class="secondary">Reopen</button>
  </form>`;
  const resolve = html`<form method="post" action="${action}" class="actions">
    ${csrfField(session)}<input type="hidden" name="status" value="resolved" />
    <span>
      <input type="checkbox" id="in_next_release" name="in_next_release" value="on" />
      <label for="in_next_release" class="inline">in the next release</label>
    </span>
    <button type="submit">Resolve</button>
  </form>`;
  const ignore = html`<form method="post" action="${action}" class="card">
    ${csrfField(session)}<input type="hidden" name="status" value="ignored" />
    <fieldset>
      <legend>Ignore until</legend>
      <label for="ignore_count">this many more events (optional)</label>
      <input id="ignore_count" name="ignore_count" type="number" min="1" step="1" inputmode="numeric" />
      <label for="ignore_until">this date, UTC (optional)</label>
      <input id="ignore_until" name="ignore_until" type="date" />
      <p class="hint">Neither: ignored until someone changes it.</p>
    </fieldset>
    <button type="submit" class="secondary">Ignore</button>
  </form>`;
  return html`<section aria-labelledby="change-status">
    <h2 id="change-status">Change status</h2>
    ${issue.status === 'unresolved' ? html`${resolve}${ignore}` : issue.status === 'resolved' ? html`${reopen}${ignore}` : html`${reopen}${resolve}`}
  </section>`;
}

function eventCard(stored: StoredEvent, index: number): SafeHtml {
  const summary = summariseEvent(stored.event);
  const id = `event-${index}`;
  return html`<article class="card event" aria-labelledby="${id}">
    <h3 id="${id}">${summary.headline}</h3>
    <dl class="facts">
      <dt>Event</dt>
      <dd><code>${stored.event_id}</code>, received ${timeTag(stored.received_at)}</dd>
      <dt>Release</dt>
      <dd>${stored.release ?? 'none'}</dd>
      <dt>Environment</dt>
      <dd>${stored.environment ?? 'none'}</dd>
      ${
        summary.user === null
          ? null
          : html`<dt>User</dt>
              <dd>${summary.user}</dd>`
      }
      ${
        summary.request === null
          ? null
          : html`<dt>Request</dt>
              <dd>${summary.request}</dd>`
      }
      ${
        summary.tags.length === 0
          ? null
          : html`<dt>Tags</dt>
              <dd>
                <ul class="tags">
                  ${summary.tags.map(([k, v]) => html`<li><code>${k}</code> = ${v}</li>`)}
                </ul>
              </dd>`
      }
      <dt>Scrubbed</dt>
      <dd>${counted(stored.scrub_rules ?? {})}</dd>
    </dl>
    ${
      summary.frames.length === 0
        ? null
        : html`<p>Stack (innermost first):</p>
            <ol class="frames">
              ${summary.frames.map((f) => html`<li><code>${f}</code></li>`)}
            </ol>`
    }
    <details>
      <summary>The stored event (scrubbed JSON)</summary>
      <pre>${JSON.stringify(stored.event, null, 2)}</pre>
    </details>
  </article>`;
}

/** An activity's details as JSON, or null when there are none (`{}` says nothing). */
function detailsText(details: unknown): string | null {
  if (details === null || details === undefined) return null;
  const json = JSON.stringify(details);
  return json === '{}' || json === '[]' ? null : json;
}

function activityList(activity: readonly ActivityEntry[]): SafeHtml {
  if (activity.length === 0) return html`<p>No activity yet.</p>`;
  return html`<ul>
    ${activity.map(
      (a) =>
        html`<li>
          ${timeTag(a.at)}
          ${a.kind}${a.actor === null ? null : html` by ${a.actor}`}${
            detailsText(a.details) === null ? null : html` <code>${detailsText(a.details)}</code>`
          }
        </li>`,
    )}
  </ul>`;
}

export function issueBody(issue: IssueDetail, session: ConsoleSession, mayWrite: boolean): SafeHtml {
  return html`<p><a href="/errors">All issues</a></p>
    <h1>${issue.title}</h1>
    <section class="card tight">
      <dl class="facts">
        <dt>Status</dt>
        <dd>
          ${statusText(issue)}${issue.ignore_until === null ? null : html`, until ${timeTag(issue.ignore_until)}`}${
            issue.ignore_count_remaining === null ? null : html`, ${issue.ignore_count_remaining} more events`
          }${issue.resolved_in_next_release ? ' in the next release' : null}
        </dd>
        <dt>Level</dt>
        <dd>${levelBadge(issue.level)}</dd>
        <dt>Project</dt>
        <dd>${issue.project.slug ?? issue.project.id}</dd>
        <dt>Culprit</dt>
        <dd>${issue.culprit ?? 'unknown'}</dd>
        <dt>Events</dt>
        <dd>${issue.count}</dd>
        <dt>Users</dt>
        <dd>${issue.users}</dd>
        <dt>First seen</dt>
        <dd>${timeTag(issue.first_seen)}</dd>
        <dt>Last seen</dt>
        <dd>${timeTag(issue.last_seen)}</dd>
        <dt>Releases</dt>
        <dd>${counted(issue.releases)}</dd>
        <dt>Environments</dt>
        <dd>${counted(issue.environments)}</dd>
        <dt>Scrubbed</dt>
        <dd>${counted(issue.scrub_rules ?? {})}</dd>
      </dl>
    </section>
    ${mayWrite ? statusForms(issue, session) : null}
    <h2>Latest events</h2>
    ${issue.latest_events.length === 0 ? html`<p>No stored event.</p>` : issue.latest_events.map(eventCard)}
    <h2>Activity</h2>
    ${activityList(issue.activity)}`;
}
