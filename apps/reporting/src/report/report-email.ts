import { redactString } from '@vigil/redaction';

import { renderChartPng } from '../charts/chart-renderer';
import type { ReportChart, ReportDocument } from '../model/report-document';
import { renderHtml } from './html-renderer';
import { renderText } from './text-renderer';

export interface ReportEmail {
  subject: string;
  text: string;
  html: string;
  /** PNG charts the HTML shows as `cid:<cid>`. */
  images: { cid: string; filename: string; content: Buffer }[];
}

/**
 * Subject and both parts of a report e-mail. The document is already redacted; the rendered
 * strings are scrubbed once more so nothing reaches SMTP without passing through the redactor.
 */
export function composeReportEmail(document: ReportDocument): ReportEmail {
  return {
    subject: redactString(document.headline),
    text: redactString(renderText(document)),
    html: redactString(renderHtml(document)),
    images: chartsOf(document).map((chart) => {
      const rendered = renderChartPng(chart);
      return { cid: chart.id, filename: `${chart.id}.png`, content: rendered.png };
    }),
  };
}

/** The archive's standalone HTML: charts embedded as data: URIs, so the page needs no attachments. */
export function renderArchiveHtml(document: ReportDocument): string {
  // Redact first, embed after: base64 image data must not be mistaken for a token.
  let html = redactString(renderHtml(document));
  for (const chart of chartsOf(document)) {
    const data = `data:image/png;base64,${renderChartPng(chart).png.toString('base64')}`;
    html = html.split(`src="cid:${chart.id}"`).join(`src="${data}"`);
  }
  return html;
}

export function chartsOf(document: ReportDocument): ReportChart[] {
  return document.sections.flatMap((s) => (s.available ? (s.charts ?? []) : []));
}
