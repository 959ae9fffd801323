import type {
  ReportChart,
  ReportDocument,
  ReportFact,
  ReportSection,
  ReportTable,
} from '../model/report-document';
import { CHART_WIDTH } from '../charts/svg-chart';
import { AT_A_GLANCE } from './text-renderer';

/** Where an `<img>` finds a chart: `cid:<id>` in the e-mail, a data: URI in the archive. */
export type ChartSource = (chart: ReportChart) => string;

export const cidSource: ChartSource = (chart) => `cid:${chart.id}`;

// Inline styles only: most mail clients drop <style> blocks and never run scripts.
const STYLE = {
  body: 'margin:0;padding:8px;background:#f5f6f8;font-family:Helvetica,Arial,sans-serif;color:#1f2933;',
  card: 'max-width:720px;width:100%;box-sizing:border-box;margin:0 auto;background:#ffffff;border:1px solid #d9dde3;border-radius:6px;padding:16px;',
  h1: 'margin:0 0 16px;font-size:20px;',
  h2: 'margin:24px 0 8px;font-size:16px;border-bottom:1px solid #d9dde3;padding-bottom:4px;',
  table: 'border-collapse:collapse;width:100%;margin:8px 0;font-size:14px;',
  caption: 'text-align:left;font-weight:bold;padding:4px 0;',
  th: 'text-align:left;background:#eef1f4;border:1px solid #d9dde3;padding:4px 6px;',
  // Long text (causes, routes) keeps a readable width on a phone; the table scrolls sideways instead.
  td: 'border:1px solid #d9dde3;padding:4px 6px;min-width:120px;',
  tdFigure: 'border:1px solid #d9dde3;padding:4px 6px;white-space:nowrap;',
  factLabel: 'padding:2px 16px 2px 0;color:#52606d;',
  factValue: 'padding:2px 0;font-weight:bold;',
  unavailable: 'color:#b42318;font-weight:bold;',
  none: 'margin:8px 0;font-size:14px;color:#52606d;',
  verbatim:
    'margin:4px 0 12px;padding:8px;background:#f5f6f8;border:1px solid #d9dde3;font-size:12px;white-space:pre;overflow-x:auto;',
  chart: `display:block;width:100%;max-width:${CHART_WIDTH}px;height:auto;margin:8px 0;border:0;`,
  change: 'display:inline-block;font-weight:normal;font-size:12px;',
} as const;

/** Colours of a change; the text says up or down as well, so nothing rests on the colour. */
const TONE = { good: '#067647', bad: '#b42318', neutral: '#52606d' } as const;

/** The HTML part: the same document as the text part, as simple tables with inline CSS and no scripts. */
export function renderHtml(document: ReportDocument, chartSource: ChartSource = cidSource): string {
  return [
    '<!DOCTYPE html>',
    // lang: screen readers pick the voice (axe: html-has-lang), in the inbox and in the archive alike.
    '<html lang="en"><head><meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(document.title)}</title></head>`,
    `<body style="${STYLE.body}"><div style="${STYLE.card}">`,
    `<h1 style="${STYLE.h1}">${title(document.title)}</h1>`,
    facts(document.facts),
    ...(document.highlights?.length
      ? [`<h2 style="${STYLE.h2}">${escapeHtml(AT_A_GLANCE)}</h2>`, facts(document.highlights)]
      : []),
    ...document.sections.map((s) => section(s, chartSource)),
    '</div></body></html>',
  ].join('\n');
}

function section(s: ReportSection, chartSource: ChartSource): string {
  const heading = `<h2 style="${STYLE.h2}">${escapeHtml(s.title)}</h2>`;
  if (!s.available)
    return `${heading}\n<p style="${STYLE.unavailable}">unavailable: ${escapeHtml(s.reason)}</p>`;
  const charts = (s.charts ?? []).map(
    (c) =>
      `<img src="${escapeHtml(chartSource(c))}" alt="${escapeHtml(c.title)}" width="${CHART_WIDTH}" style="${STYLE.chart}">`,
  );
  const verbatim = (s.verbatim ?? []).map(
    (v) =>
      `<p style="${STYLE.caption}">${escapeHtml(v.caption)}</p>\n<pre style="${STYLE.verbatim}">${escapeHtml(v.text)}</pre>`,
  );
  return [heading, facts(s.facts), ...charts, ...s.tables.map(table), ...verbatim].join('\n');
}

function facts(list: ReportFact[]): string {
  const rows = list.map((f) => {
    const change = f.change
      ? ` <span style="${STYLE.change}color:${TONE[f.change.tone]};">${figure(f.change.text)}</span>`
      : '';
    return `<tr><td style="${STYLE.factLabel}">${escapeHtml(f.label)}</td><td style="${STYLE.factValue}">${figure(f.value)}${change}</td></tr>`;
  });
  return `<table role="presentation" style="border-collapse:collapse;font-size:14px;">${rows.join('')}</table>`;
}

function table(t: ReportTable): string {
  const caption = `<caption style="${STYLE.caption}">${escapeHtml(t.caption)}</caption>`;
  if (t.rows.length === 0) return `<p style="${STYLE.none}">${escapeHtml(t.caption)}: none</p>`;
  const head = `<tr>${t.columns.map((c) => `<th style="${STYLE.th}">${escapeHtml(c)}</th>`).join('')}</tr>`;
  const body = t.rows
    .map(
      (row) =>
        `<tr>${row.map((cell) => `<td style="${cell.length <= NOWRAP_CELL ? STYLE.tdFigure : STYLE.td}">${figure(cell)}</td>`).join('')}</tr>`,
    )
    .join('\n');
  return `<div style="overflow-x:auto;"><table style="${STYLE.table}">${caption}\n<thead>${head}</thead>\n<tbody>\n${body}\n</tbody></table></div>`;
}

/** The title with its last word (the period, `2026-W47`) kept whole on a narrow screen. */
function title(text: string): string {
  const cut = text.lastIndexOf(' ');
  if (cut < 0) return escapeHtml(text);
  return `${escapeHtml(text.slice(0, cut))} <span style="white-space:nowrap;">${escapeHtml(text.slice(cut + 1))}</span>`;
}

/** Cells this short (figures, statuses, dates) never wrap; longer text (causes, routes) may. */
const NOWRAP_CELL = 16;

/** Escaped text whose numbers stay on one line with their unit and arrow (`0.42&nbsp;%`, `▲&nbsp;up`), dates whole. */
function figure(text: string): string {
  return escapeHtml(text)
    .replace(/(\d) (%|ms|M|B|points)(?!\w)/g, '$1&nbsp;$2')
    .replace(/([▲▼=–]) (up|down|unchanged|no)\b/g, '$1&nbsp;$2')
    .replace(
      /\d{4}-\d{2}-\d{2}(?: \d{2}:\d{2})?/g,
      (date) => `<span style="white-space:nowrap;">${date}</span>`,
    );
}

export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}
