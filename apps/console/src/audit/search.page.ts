import { html, type SafeHtml } from '../render/html';
import type { EventPage, ListedEvent } from './audit-api';
import { auditTabs, eventHref, when } from './audit-markup';
import { OUTCOMES, searchParamsOf, type SearchField, type SearchForm } from './search-filters';

const TEXT_FIELDS: readonly { field: SearchField; label: string; hint?: string }[] = [
  { field: 'actor', label: 'Actor id' },
  { field: 'action', label: 'Action', hint: 'exact, or a prefix ending in * (wallet.*)' },
  { field: 'resource_type', label: 'Resource type' },
  { field: 'resource_id', label: 'Resource id' },
  { field: 'source', label: 'Source service' },
  { field: 'q', label: 'Text', hint: 'anywhere in the event; narrow by time on a large trail' },
];

function textInput(form: SearchForm, field: SearchField, label: string, hint?: string): SafeHtml {
  const id = `f-${field}`;
  return html`<div>
    <label for="${id}">${label}</label>
    <input
      type="text"
      id="${id}"
      name="${field}"
      value="${form[field] ?? ''}"
      ${hint === undefined ? null : html`aria-describedby="${id}-hint"`}
    />
    ${hint === undefined ? null : html`<div class="hint" id="${id}-hint">${hint}</div>`}
  </div>`;
}

function timeInput(form: SearchForm, field: 'from' | 'to', label: string): SafeHtml {
  const id = `f-${field}`;
  return html`<div>
    <label for="${id}">${label} (UTC)</label>
    <input
      type="text"
      id="${id}"
      name="${field}"
      value="${form[field] ?? ''}"
      inputmode="numeric"
      placeholder="2026-12-01T00:00"
      aria-describedby="${id}-hint"
    />
    <div class="hint" id="${id}-hint">YYYY-MM-DDThh:mm, UTC</div>
  </div>`;
}

/** The search form: a GET form, so a search is a link that can be kept and shared. */
export function searchFormHtml(form: SearchForm): SafeHtml {
  return html`<form method="get" action="/audit" class="card" role="search" aria-label="Audit events">
    <div class="filters">
      ${TEXT_FIELDS.map((f) => textInput(form, f.field, f.label, f.hint))}
      <div>
        <label for="f-outcome">Outcome</label>
        <select id="f-outcome" name="outcome">
          <option value="">any</option>
          ${OUTCOMES.map(
            (o) => html`<option value="${o}" ${form.outcome === o ? html`selected` : null}>${o}</option>`,
          )}
        </select>
      </div>
      ${timeInput(form, 'from', 'From')} ${timeInput(form, 'to', 'To')}
    </div>
    <div class="actions">
      <button type="submit">Search</button>
      <a class="button secondary" href="/audit">Clear</a>
    </div>
  </form>`;
}

function row(item: ListedEvent): SafeHtml {
  const e = item.event;
  return html`<tr>
    <td>${when(item.received_at)}</td>
    <td>${e.actor.type}: ${e.actor.id}</td>
    <td><a href="${eventHref(e.id)}">${e.action}</a></td>
    <td>${e.resource.type}: ${e.resource.id}</td>
    <td><span class="badge outcome-${e.outcome}">${e.outcome}</span></td>
    <td>${e.source}</td>
  </tr>`;
}

function resultsHtml(form: SearchForm, page: EventPage, first: boolean): SafeHtml {
  if (page.events.length === 0) {
    return html`<p>No event matches${first ? '' : ' past this point'}.</p>`;
  }
  const next =
    page.next_cursor === null
      ? null
      : html`<a
          class="button secondary"
          rel="next"
          href="/audit${searchParamsOf(form, { cursor: page.next_cursor })}"
          >Older events</a
        >`;
  return html`<div class="table-wrap">
      <table class="audit-results">
        <caption>
          ${page.count} event${page.count === 1 ? '' : 's'}, newest first${first ? '' : ' (a later page)'}
        </caption>
        <thead>
          <tr>
            <th scope="col">Received (UTC)</th>
            <th scope="col">Actor</th>
            <th scope="col">Action</th>
            <th scope="col">Resource</th>
            <th scope="col">Outcome</th>
            <th scope="col">Source</th>
          </tr>
        </thead>
        <tbody>
          ${page.events.map(row)}
        </tbody>
      </table>
    </div>
    <div class="actions">
      ${first ? null : html`<a class="button secondary" href="/audit${searchParamsOf(form)}">Newest</a>`}
      ${next}
    </div>`;
}

export interface SearchPageInput {
  form: SearchForm;
  /** Null when the search was refused (the error is shown instead). */
  page: EventPage | null;
  firstPage: boolean;
}

export function searchPageBody(input: SearchPageInput): SafeHtml {
  const exports = searchParamsOf(input.form);
  return html`<h1>Audit trail</h1>
    ${auditTabs('search')} ${searchFormHtml(input.form)}
    <p class="actions">
      <a class="button secondary" href="/audit/export.csv${exports}" download>Export CSV</a>
      <a class="button secondary" href="/audit/export.json${exports}" download>Export JSON</a>
    </p>
    <p class="hint">
      Exports stream every matching event, not just this page. Your searches, event views and exports are
      themselves recorded in the audit trail under your name.
    </p>
    ${input.page === null ? null : resultsHtml(input.form, input.page, input.firstPage)}`;
}
