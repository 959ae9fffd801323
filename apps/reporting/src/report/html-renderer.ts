import type { ReportDocument, ReportFact, ReportSection, ReportTable } from './report-document';

// Inline styles only: most mail clients drop <style> blocks and never run scripts.
const STYLE = {
  body: 'margin:0;padding:24px;background:#f5f6f8;font-family:Helvetica,Arial,sans-serif;color:#1f2933;',
  card: 'max-width:720px;margin:0 auto;background:#ffffff;border:1px solid #d9dde3;border-radius:6px;padding:24px;',
  h1: 'margin:0 0 16px;font-size:20px;',
  h2: 'margin:24px 0 8px;font-size:16px;border-bottom:1px solid #d9dde3;padding-bottom:4px;',
  table: 'border-collapse:collapse;width:100%;margin:8px 0;font-size:14px;',
  caption: 'text-align:left;font-weight:bold;padding:4px 0;',
  th: 'text-align:left;background:#eef1f4;border:1px solid #d9dde3;padding:4px 8px;',
  td: 'border:1px solid #d9dde3;padding:4px 8px;',
  factLabel: 'padding:2px 16px 2px 0;color:#52606d;',
  factValue: 'padding:2px 0;font-weight:bold;',
  unavailable: 'color:#b42318;font-weight:bold;',
} as const;

/** The HTML part: the same document as the text part, as simple tables with inline CSS and no scripts. */
export function renderHtml(document: ReportDocument): string {
  return [
    '<!DOCTYPE html>',
    '<html><head><meta charset="utf-8">',
    `<title>${escapeHtml(document.title)}</title></head>`,
    `<body style="${STYLE.body}"><div style="${STYLE.card}">`,
    `<h1 style="${STYLE.h1}">${escapeHtml(document.title)}</h1>`,
    facts(document.facts),
    ...document.sections.map(section),
    '</div></body></html>',
  ].join('\n');
}

function section(s: ReportSection): string {
  const heading = `<h2 style="${STYLE.h2}">${escapeHtml(s.title)}</h2>`;
  if (!s.available)
    return `${heading}\n<p style="${STYLE.unavailable}">unavailable: ${escapeHtml(s.reason)}</p>`;
  return [heading, facts(s.facts), ...s.tables.map(table)].join('\n');
}

function facts(list: ReportFact[]): string {
  const rows = list.map(
    (f) =>
      `<tr><td style="${STYLE.factLabel}">${escapeHtml(f.label)}</td><td style="${STYLE.factValue}">${escapeHtml(f.value)}</td></tr>`,
  );
  return `<table role="presentation" style="border-collapse:collapse;font-size:14px;">${rows.join('')}</table>`;
}

function table(t: ReportTable): string {
  const caption = `<caption style="${STYLE.caption}">${escapeHtml(t.caption)}</caption>`;
  if (t.rows.length === 0) return `<p>${escapeHtml(t.caption)}: none</p>`;
  const head = `<tr>${t.columns.map((c) => `<th style="${STYLE.th}">${escapeHtml(c)}</th>`).join('')}</tr>`;
  const body = t.rows
    .map(
      (row) => `<tr>${row.map((cell) => `<td style="${STYLE.td}">${escapeHtml(cell)}</td>`).join('')}</tr>`,
    )
    .join('\n');
  return `<table style="${STYLE.table}">${caption}\n<thead>${head}</thead>\n<tbody>\n${body}\n</tbody></table>`;
}

export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}
