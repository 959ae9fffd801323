import { html, type HtmlValue, type SafeHtml } from './html';

/** A time in UTC ISO inside `<time datetime>`, or a dash when there is none. */
export function timeTag(iso: string | null | undefined): SafeHtml {
  if (iso === null || iso === undefined || iso === '') return html`<span class="hint">never</span>`;
  return html`<time datetime="${iso}">${iso.replace(/\.\d{3}Z$/, 'Z')}</time>`;
}

/** Seconds as people read them: `45s`, `12m 5s`, `3h 20m`, `2d 4h`. */
export function durationText(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return '—';
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${s % 60}s`;
  if (s < 86_400) return `${Math.floor(s / 3600)}h ${Math.floor((s % 3600) / 60)}m`;
  return `${Math.floor(s / 86_400)}d ${Math.floor((s % 86_400) / 3600)}h`;
}

/** A percentage with two decimals, or a dash without data. */
export function percentText(pct: number | null | undefined): string {
  return pct === null || pct === undefined ? '—' : `${pct.toFixed(2)} %`;
}

export interface DataTable {
  caption: HtmlValue;
  columns: readonly string[];
  /** Each a `<tr>` whose first cell is a `<th scope="row">` naming it. */
  rows: readonly SafeHtml[];
  /** Said in one row when there are none. */
  empty: string;
}

/** A table people can read with a screen reader and scroll sideways on a phone: caption, column headers, rows. */
export function dataTable(table: DataTable): SafeHtml {
  return html`<div class="table-wrap">
    <table class="data">
      <caption>
        ${table.caption}
      </caption>
      <thead>
        <tr>
          ${table.columns.map((column) => html`<th scope="col">${column}</th>`)}
        </tr>
      </thead>
      <tbody>
        ${rowsOrEmpty(table.rows, table.columns.length, table.empty)}
      </tbody>
    </table>
  </div>`;
}

/** A table's rows, or one row spanning `columns` saying there is nothing to show. */
function rowsOrEmpty(
  rows: readonly SafeHtml[],
  columns: number,
  emptyText: string,
): SafeHtml | readonly SafeHtml[] {
  return rows.length > 0
    ? rows
    : html`<tr>
        <td colspan="${columns}">${emptyText}</td>
      </tr>`;
}

/** The `?notice=` a write redirected with (PRG), for layout's live region. */
export function noticeOf(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}
