/**
 * A report as renderers see it: every number already formatted as text, so the plain-text and the
 * HTML part cannot disagree. Field names avoid the redactor's sensitive words on purpose: the whole
 * document goes through `redact()` and only source-provided strings should ever change.
 */
export interface ReportDocument {
  title: string;
  /** The e-mail subject line. */
  headline: string;
  /** Label/value lines shown under the title (period, generated at). */
  facts: ReportFact[];
  /** The headline figures, each with its move since the period before ("At a glance"). */
  highlights?: ReportFact[];
  sections: ReportSection[];
}

export interface ReportFact {
  label: string;
  value: string;
  /** How the figure moved since the period before (headline figures). */
  change?: FigureChange;
}

/**
 * A figure's move against the period before. `text` carries the direction in words as well as the
 * arrow ("▲ up 12.3 % from 3.5 M"), so nothing depends on seeing the colour `tone` picks.
 */
export interface FigureChange {
  direction: 'up' | 'down' | 'unchanged' | 'unknown';
  /** Whether the move is good news: more uptime is, more 5xx is not, more requests is neither. */
  tone: 'good' | 'bad' | 'neutral';
  text: string;
  /** Without the previous value, for table cells: "▲ up 12.3 %". */
  short: string;
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
  /** A horizontal reference line (an error budget); bars above it are drawn in the warning colour. */
  threshold?: { value: number; label: string };
  /** Print each bar's value above it (bar charts). */
  valueLabels?: boolean;
}

/** Text that must reach the reader byte for byte (a signed checkpoint note): shown as is, never reflowed. */
export interface ReportVerbatim {
  caption: string;
  text: string;
}

export type ReportSection =
  | {
      title: string;
      available: true;
      facts: ReportFact[];
      tables: ReportTable[];
      charts?: ReportChart[];
      verbatim?: ReportVerbatim[];
    }
  | { title: string; available: false; reason: string };
