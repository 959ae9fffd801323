import type { ReportDocument, ReportFact, ReportSection, ReportTable } from '../model/report-document';

/** The plain-text part: aligned label/value lines and ASCII tables, readable in any client. */
export function renderText(document: ReportDocument): string {
  const lines = [document.title, '='.repeat(document.title.length), '', ...factLines(document.facts)];
  for (const section of document.sections) lines.push('', ...sectionLines(section));
  return `${lines.join('\n')}\n`;
}

function sectionLines(section: ReportSection): string[] {
  const lines = [section.title, '-'.repeat(section.title.length)];
  if (!section.available) return [...lines, `unavailable: ${section.reason}`];
  lines.push(...factLines(section.facts));
  for (const table of section.tables) lines.push('', ...tableLines(table));
  return lines;
}

function factLines(facts: ReportFact[]): string[] {
  const width = Math.max(0, ...facts.map((f) => f.label.length)) + 1;
  return facts.map((f) => `${`${f.label}:`.padEnd(width)} ${f.value}`);
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
