/**
 * RFC 4180 CSV: every row has the header's columns; fields with commas, quotes or newlines are quoted.
 * Text starting with = + - @ or a tab/CR is prefixed with `'` (OWASP's advice): usage exports hold
 * caller-chosen model names and user agents, and a spreadsheet would run such a cell as a formula.
 * Numbers are never prefixed, so negative amounts stay numbers.
 */
function field(value: unknown): string {
  if (value === undefined || value === null) return '';
  const raw = String(value);
  const text = typeof value === 'string' && /^[=+\-@\t\r]/.test(raw) ? `'${raw}` : raw;
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
