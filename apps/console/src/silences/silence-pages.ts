import { labelBadges, severityBadge, timeTag } from '../alerts/alert-pages';
import { matcherText, type AlertJson, type SilenceJson } from '../alerts/alerting-api';
import { html, type SafeHtml } from '../render/html';
import { DURATIONS, type SilenceForm } from './silence-form';

const STATE_ORDER = ['active', 'pending', 'expired'];
const PREVIEW_SHOWN = 50;

export function silenceListBody(
  silences: readonly SilenceJson[],
  canWrite: boolean,
  csrf: SafeHtml,
): SafeHtml {
  const sorted = [...silences].sort(
    (a, b) =>
      STATE_ORDER.indexOf(a.status.state) - STATE_ORDER.indexOf(b.status.state) ||
      b.endsAt.localeCompare(a.endsAt),
  );
  return html`<h1>Silences</h1>
    ${canWrite ? html`<p><a class="button" href="/silences/new">New silence</a></p>` : null}
    <div class="table-wrap">
      <table>
        <caption>
          Silences: active, pending, then expired
        </caption>
        <thead>
          <tr>
            <th scope="col">State</th>
            <th scope="col">Matchers</th>
            <th scope="col">Ends</th>
            <th scope="col">Created by</th>
            <th scope="col">Comment</th>
            ${canWrite ? html`<th scope="col">Action</th>` : null}
          </tr>
        </thead>
        <tbody>
          ${sorted.map(
            (s) =>
              html`<tr>
                <td>${s.status.state}</td>
                <td>${s.matchers.map((m) => html`<code class="badge">${matcherText(m)}</code> `)}</td>
                <td>${timeTag(s.endsAt)}</td>
                <td>${s.createdBy}</td>
                <td>${s.comment}</td>
                ${
                  canWrite
                    ? html`<td>
                        ${
                          s.status.state === 'expired'
                            ? null
                            : html`<form
                                method="post"
                                action="/silences/${s.id}/expire"
                                data-confirm="Expire this silence?"
                              >
                                ${csrf}
                                <button type="submit" class="danger" aria-label="Expire silence ${s.id}">
                                  Expire
                                </button>
                              </form>`
                        }
                      </td>`
                    : null
                }
              </tr>`,
          )}
        </tbody>
      </table>
    </div>`;
}

/** The new-silence form, with the preview of the alerts its matchers catch now (when asked). */
export function silenceFormBody(
  form: SilenceForm,
  preview: readonly AlertJson[] | undefined,
  from: string,
  csrf: SafeHtml,
): SafeHtml {
  return html`<h1>New silence</h1>
    <form method="post" action="/silences" class="card silence-form">
      ${csrf}
      <input type="hidden" name="from" value="${from}" />
      <label for="s-matchers">Matchers, one per line (name="value", name!="value", name=~"regex")</label>
      <textarea id="s-matchers" name="matchers" rows="6" required>${form.matchers}</textarea>
      <fieldset>
        <legend>Duration</legend>
        ${DURATIONS.map(
          (d) =>
            html`<label
              ><input
                type="radio"
                name="duration"
                value="${d.value}"
                ${form.duration === d.value ? html`checked` : null}
              />
              ${d.label}</label
            >`,
        )}
        <label for="s-ends">Custom end (UTC)</label>
        <input type="datetime-local" id="s-ends" name="ends" value="${form.ends}" />
      </fieldset>
      <label for="s-creator">Created by</label>
      <input type="text" id="s-creator" name="createdBy" value="${form.createdBy}" required maxlength="200" />
      <label for="s-comment">Comment</label>
      <textarea id="s-comment" name="comment" rows="3" required maxlength="2000">${form.comment}</textarea>
      <div class="actions">
        <button
          type="submit"
          formmethod="get"
          formaction="/silences/new"
          name="preview"
          value="1"
          class="secondary"
        >
          Preview
        </button>
        <button type="submit">Create silence</button>
      </div>
    </form>
    ${preview === undefined ? null : previewSection(preview)}`;
}

function previewSection(alerts: readonly AlertJson[]): SafeHtml {
  return html`<section aria-labelledby="preview-heading" class="card">
    <h2 id="preview-heading">
      Preview: ${alerts.length} firing alert${alerts.length === 1 ? '' : 's'} would be silenced
    </h2>
    <ul class="preview">
      ${alerts.slice(0, PREVIEW_SHOWN).map(
        (a) =>
          html`<li>
            ${severityBadge(a.labels['severity'])}
            <a href="/alerts/${a.fingerprint}">${a.labels['alertname'] ?? a.fingerprint}</a>
            ${labelBadges(a.labels)}
          </li>`,
      )}
    </ul>
    ${alerts.length > PREVIEW_SHOWN ? html`<p>…and ${alerts.length - PREVIEW_SHOWN} more.</p>` : null}
  </section>`;
}
