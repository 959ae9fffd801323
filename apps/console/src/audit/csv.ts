/**
 * One CSV cell (RFC 4180): quoted when it holds a comma, quote, line break or edge spaces, quotes doubled.
 * A cell a spreadsheet would run as a formula (starting with = + - @, tab or carriage return: OWASP's
 * CSV injection list) is prefixed with `'`, so audit data typed by anyone opens as text.
 */
export function csvCell(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** A CSV record ending in CRLF. */
export function csvRow(cells: readonly (string | number | boolean | null | undefined)[]): string {
  return `${cells.map(csvCell).join(',')}\r\n`;
}
