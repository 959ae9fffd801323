import { html, type SafeHtml } from '../render/html';
import { csrfField } from '../render/layout';
import { dataTable, durationText, timeTag } from '../render/fragments';
import type { ConsoleSession } from '../session/console-session';
import type { AlertingSummary, ReportDefinition, ReportRun } from './reporting-api';

/** The periods the team-lead panel offers, in days. */
export const PANEL_DAYS = [1, 7, 30] as const;
export type PanelDays = (typeof PANEL_DAYS)[number];

/** The panel's figures, or why they are missing (no alerting access, or alerting did not answer). */
export type PanelData = { summary: AlertingSummary } | { unavailable: string };

export interface ReportsPage {
  runs: readonly ReportRun[];
  definitions: readonly ReportDefinition[];
  panel: PanelData;
  days: PanelDays;
  /** Whether the person's key has reports:run (the run and dry-run buttons show only then). */
  mayRun: boolean;
}

const PERIOD_EXAMPLE: Record<string, string> = { day: '2026-11-16', week: '2026-W47', month: '2026-11' };
const PERIOD_NAME: Record<string, string> = { day: 'daily', week: 'weekly', month: 'monthly' };

function runRow(run: ReportRun): SafeHtml {
  const files =
    run.status === 'sent'
      ? html`<a href="/reports/${run.id}"
            >HTML<span class="visually-hidden"> of ${run.subject ?? run.report}</span></a
          >
          ·
          <a href="/reports/${run.id}.pdf" download
            >PDF<span class="visually-hidden"> of ${run.subject ?? run.report}</span></a
          >`
      : html`<span class="hint">${run.error ?? 'not sent'}</span>`;
  return html`<tr>
    <th scope="row">${run.subject ?? run.report}</th>
    <td>${run.report}</td>
    <td>${timeTag(run.period_start)} to ${timeTag(run.period_end)}</td>
    <td>
      <span class="badge ${run.status === 'sent' ? 'ok' : run.status === 'failed' ? 'bad' : 'hint'}"
        >${run.status}</span
      >
    </td>
    <td>${timeTag(run.sent_at)}</td>
    <td>${files}</td>
  </tr>`;
}

function archive(runs: readonly ReportRun[]): SafeHtml {
  return dataTable({
    caption: 'Archived reports, newest first',
    columns: ['Report', 'Definition', 'Period', 'Status', 'Sent', 'Open'],
    rows: runs.map(runRow),
    empty: 'No report has been run yet.',
  });
}

function runForm(definitions: readonly ReportDefinition[], session: ConsoleSession): SafeHtml {
  return html`<form method="post" action="/reports/run" class="card tight">
    ${csrfField(session)}
    <h2 id="run-heading">Run a report</h2>
    <label for="run-definition">Report</label>
    <select id="run-definition" name="definition" required>
      ${definitions.map(
        (d) =>
          html`<option value="${d.id}">
            ${d.name} (${PERIOD_NAME[d.period] ?? d.period}, ${d.time_zone}${d.enabled ? '' : ', disabled'})
          </option>`,
      )}
    </select>
    <label for="run-period">Period (optional)</label>
    <input id="run-period" name="period" type="text" aria-describedby="run-period-hint" />
    <p class="hint" id="run-period-hint">
      A day, week or month by the report's kind, such as
      ${definitions
        .map((d) => PERIOD_EXAMPLE[d.period] ?? '')
        .filter((x) => x)
        .filter((x, i, all) => all.indexOf(x) === i)
        .join(', ')};
      empty: the last one that ended. "Run now" e-mails it to its recipients (once per period); "Dry run"
      shows it and sends nothing.
    </p>
    <div class="actions">
      <button type="submit" name="mode" value="run">Run now</button>
      <button type="submit" name="mode" value="dry" class="secondary">Dry run</button>
    </div>
  </form>`;
}

function panelLinks(days: PanelDays): SafeHtml {
  return html`<p>
    Period:
    ${PANEL_DAYS.map((d) =>
      d === days
        ? html`<strong aria-current="true">last ${d === 1 ? '24 hours' : `${d} days`}</strong> `
        : html`<a href="/reports?days=${d}">last ${d === 1 ? '24 hours' : `${d} days`}</a> `,
    )}
  </p>`;
}

function teamLeadPanel(panel: PanelData, days: PanelDays): SafeHtml {
  if ('unavailable' in panel)
    return html`<section class="card tight" aria-labelledby="lead-heading">
      <h2 id="lead-heading">Response times and noisiest alerts</h2>
      <p>${panel.unavailable}</p>
    </section>`;
  const s = panel.summary;
  const rate =
    s.false_positive_rate === null || s.false_positive_rate === undefined
      ? '—'
      : `${(s.false_positive_rate * 100).toFixed(1)} %`;
  const noisy = s.top_noisy ?? [];
  return html`<section class="card tight" aria-labelledby="lead-heading">
    <h2 id="lead-heading">Response times and noisiest alerts</h2>
    ${panelLinks(days)}
    <dl class="facts lead-figures">
      <dt>MTTA</dt>
      <dd>${durationText(s.mtta_s)} <span class="hint">mean time to acknowledge</span></dd>
      <dt>MTTR</dt>
      <dd>${durationText(s.mttr_s)} <span class="hint">mean time to resolve</span></dd>
      <dt>Alert episodes</dt>
      <dd>${s.episodes ?? 0}, ${s.acknowledged ?? 0} acknowledged</dd>
      <dt>False positives</dt>
      <dd>${s.false_positives ?? 0} (${rate})</dd>
      <dt>Notifications</dt>
      <dd>${s.delivered} delivered, ${s.failed} failed</dd>
    </dl>
    <p class="hint">From ${timeTag(s.from)} to ${timeTag(s.to)}; episodes that started in the period.</p>
    ${dataTable({
      caption: 'Noisiest alerts (most episodes first)',
      columns: ['Alert', 'Episodes', 'Now'],
      rows: noisy.map((n) => {
        const now = s.top_alerts?.find((t) => t.alertname === n.alertname);
        return html`<tr>
          <th scope="row">${n.alertname}</th>
          <td>${n.count}</td>
          <td>
            ${now === undefined ? '—' : html`${now.status} <span class="badge sev-${now.severity}">${now.severity}</span>`}
          </td>
        </tr>`;
      }),
      empty: 'No alert in this period.',
    })}
  </section>`;
}

export function reportsBody(page: ReportsPage, session: ConsoleSession): SafeHtml {
  return html`<h1>Reports</h1>
    ${teamLeadPanel(page.panel, page.days)}
    ${page.mayRun && page.definitions.length > 0 ? runForm(page.definitions, session) : null}
    <h2>Archive</h2>
    <p class="hint">Each report opens as it was e-mailed (HTML) or as a PDF download.</p>
    ${archive(page.runs)}`;
}
