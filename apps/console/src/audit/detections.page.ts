import { html, type SafeHtml } from '../render/html';
import type { Detection, DetectionPage, ReportRun } from './audit-api';
import { auditTabs, eventHref, when } from './audit-markup';

/** The detector rules the audit service ships (apps/audit/detector-rules.yaml), by what they watch. */
export const DETECTION_RULES = [
  { rule: 'AdminEconomyFieldChanged', label: 'Economy field edits' },
  { rule: 'AdminBulkActionLarge', label: 'Large bulk actions' },
  { rule: 'AdminSensitiveAccessRate', label: 'Wallet/KYC access rate' },
  { rule: 'PrivacySettingsContradictory', label: 'Contradictory privacy settings' },
] as const;

export const PRIVACY_REPORT = 'monthly-privacy-audit';

const labelOf = (rule: string) => DETECTION_RULES.find((r) => r.rule === rule)?.label ?? rule;

function filterForm(rule: string | undefined): SafeHtml {
  return html`<form method="get" action="/audit/detections" class="card" aria-label="Detections filter">
    <div class="filters">
      <div>
        <label for="d-rule">What</label>
        <select id="d-rule" name="rule">
          <option value="">every rule</option>
          ${DETECTION_RULES.map(
            (r) =>
              html`<option value="${r.rule}" ${rule === r.rule ? html`selected` : null}>${r.label}</option>`,
          )}
        </select>
      </div>
    </div>
    <div class="actions"><button type="submit">Show</button></div>
    <p class="hint">
      Every wallet or KYC access, not only those over the rate:
      <a href="/audit?resource_type=wallet">wallet accesses</a>,
      <a href="/audit?resource_type=kyc">KYC accesses</a>.
    </p>
  </form>`;
}

function row(d: Detection): SafeHtml {
  return html`<tr>
    <td>${when(d.occurred_at)}</td>
    <td>${labelOf(d.rule)}</td>
    <td><span class="badge sev-${d.severity}">${d.severity}</span></td>
    <td>${d.actor_id}</td>
    <td>${d.summary}</td>
    <td>
      <a href="${eventHref(d.event_id)}"><code>${d.event_id.slice(0, 8)}</code></a>
    </td>
  </tr>`;
}

function detectionsTable(page: DetectionPage, rule: string | undefined): SafeHtml {
  if (page.detections.length === 0) return html`<p>No detection.</p>`;
  const next = new URLSearchParams({
    ...(rule === undefined ? {} : { rule }),
    cursor: page.next_cursor ?? '',
  });
  return html`<div class="table-wrap">
      <table>
        <caption>
          Detections, newest first
        </caption>
        <thead>
          <tr>
            <th scope="col">Occurred (UTC)</th>
            <th scope="col">Rule</th>
            <th scope="col">Severity</th>
            <th scope="col">Actor</th>
            <th scope="col">Summary</th>
            <th scope="col">Event</th>
          </tr>
        </thead>
        <tbody>
          ${page.detections.map(row)}
        </tbody>
      </table>
    </div>
    ${
      page.next_cursor === null
        ? null
        : html`<p>
            <a class="button secondary" rel="next" href="/audit/detections?${next.toString()}">Older</a>
          </p>`
    }`;
}

/** The month a run covers: its period's middle, so a time zone's offset at the edges does not shift it. */
const monthOf = (run: ReportRun) =>
  new Date((Date.parse(run.period_start) + Date.parse(run.period_end)) / 2).toISOString().slice(0, 7);

function reportsHtml(runs: readonly ReportRun[] | string): SafeHtml {
  if (typeof runs === 'string') return html`<p>${runs}</p>`;
  if (runs.length === 0) return html`<p>No monthly privacy report has been run yet.</p>`;
  return html`<ul class="report-runs">
    ${runs.map(
      (r) =>
        html`<li>
          <a href="/audit/privacy-report/${r.id}">${monthOf(r)}</a>
          ${r.sent_at === null ? html`(${r.status})` : html`(sent ${when(r.sent_at)})`}
        </li>`,
    )}
  </ul>`;
}

export function detectionsPageBody(input: {
  rule: string | undefined;
  page: DetectionPage;
  /** Archived monthly privacy reports, or why they cannot be listed. */
  reports: readonly ReportRun[] | string;
}): SafeHtml {
  return html`<h1>Detections</h1>
    ${auditTabs('detections')} ${filterForm(input.rule)} ${detectionsTable(input.page, input.rule)}
    <section class="card" aria-labelledby="privacy-h">
      <h2 id="privacy-h">Monthly privacy report</h2>
      ${reportsHtml(input.reports)}
    </section>`;
}
