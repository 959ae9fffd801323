import type { ReportDocument, ReportFact, ReportSection, ReportTable } from '../model/report-document';

/** The plain-text part: aligned label/value lines and ASCII tables, readable in any client. */
export function renderText(document: ReportDocument): string {
  const lines = [document.title, '='.repeat(document.title.length), '', ...factLines(document.facts)];
  if (document.highlights?.length)
    lines.push('', ...headingLines(AT_A_GLANCE), ...factLines(document.highlights));
  for (const section of document.sections) lines.push('', ...sectionLines(section));
  return `${lines.join('\n')}\n`;
}

/** The heading of the headline figures, in both parts. */
export const AT_A_GLANCE = 'At a glance';

function headingLines(title: string): string[] {
  return [title, '-'.repeat(title.length)];
}

function sectionLines(section: ReportSection): string[] {
  const lines = headingLines(section.title);
  if (!section.available) return [...lines, `unavailable: ${section.reason}`];
  lines.push(...factLines(section.facts));
  for (const table of section.tables) lines.push('', ...tableLines(table));
  // Unindented, so a copy of the lines is the exact text (a signed note verifies only byte for byte).
  for (const block of section.verbatim ?? [])
    lines.push('', `${block.caption}:`, ...block.text.replace(/\n$/, '').split('\n'));
  return lines;
}

function factLines(facts: ReportFact[]): string[] {
  const width = Math.max(0, ...facts.map((f) => f.label.length)) + 1;
  const valueWidth = Math.max(0, ...facts.filter((f) => f.change).map((f) => f.value.length));
  return facts.map((f) =>
    f.change
      ? `${`${f.label}:`.padEnd(width)} ${f.value.padEnd(valueWidth)}  ${f.change.text}`
      : `${`${f.label}:`.padEnd(width)} ${f.value}`,
  );
}

function tableLines(table: ReportTable): string[] {
  if (table.rows.length === 0) return [`${table.caption}: none`];
  const widths = table.columns.map((column, i) =>
    Math.max(column.length, ...table.rows.map((row) => row[i].length)),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => cell.padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  return [
    `${table.caption}:`,
    line(table.columns),
    line(widths.map((w) => '-'.repeat(w))),
    ...table.rows.map(line),
  ];
}
