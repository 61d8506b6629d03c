/** RFC 4180 CSV: every row has the header's columns; fields with commas, quotes or newlines are quoted. */
function field(value: unknown): string {
  if (value === undefined || value === null) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function toCsv(columns: readonly string[], rows: readonly object[]): string {
  const lines = [columns.join(',')];
  for (const row of rows) {
    const values = new Map(Object.entries(row));
    lines.push(columns.map((column) => field(values.get(column))).join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
}
