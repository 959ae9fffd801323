/**
 * A report as renderers see it: every number already formatted as text, so the plain-text and the
 * HTML part cannot disagree. Field names avoid the redactor's sensitive words on purpose: the whole
 * document goes through `redact()` and only source-provided strings should ever change.
 */
export interface ReportDocument {
  title: string;
  /** The e-mail subject line. */
  headline: string;
  /** Label/value lines shown under the title (period, generated at, key figures). */
  facts: ReportFact[];
  sections: ReportSection[];
}

export interface ReportFact {
  label: string;
  value: string;
}

export interface ReportTable {
  caption: string;
  columns: string[];
  rows: string[][];
}

/** A chart's data; rendered to SVG and then PNG (inline `cid:` image in the e-mail). */
export interface ReportChart {
  /** Unique within a report; the Content-ID of the inline image. */
  id: string;
  title: string;
  kind: 'line' | 'bar';
  unit: string;
  /** One label per x position (days, targets). */
  labels: string[];
  series: { name: string; values: (number | null)[] }[];
}

export type ReportSection =
  | { title: string; available: true; facts: ReportFact[]; tables: ReportTable[]; charts?: ReportChart[] }
  | { title: string; available: false; reason: string };
