/** Plain-text tables for people: widths from the content, long cells cut with an ellipsis. */

export interface Column<Row> {
  readonly header: string;
  readonly value: (row: Row) => string;
  /** Numbers and money line up on the right. */
  readonly align?: 'left' | 'right';
  /** Longest a cell may be before it is cut; ids and names are rarely worth more than a line. @default 40 */
  readonly maxWidth?: number;
  /** The value for --csv when the table's text would hinder a spreadsheet (money: a number, not `$1.2345`). */
  readonly csv?: (row: Row) => unknown;
}

const DEFAULT_MAX_WIDTH = 40;
const GAP = '  ';
const BOLD = '\u001b[1m';
const RESET = '\u001b[0m';

/** Cuts `text` to `width` characters, the last one an ellipsis so a reader knows it was cut. */
export function truncate(text: string, width: number): string {
  const singleLine = text.replace(/\s*[\r\n]+\s*/g, ' ');
  const characters = [...singleLine];
  if (characters.length <= width) return singleLine;
  return `${characters.slice(0, Math.max(0, width - 1)).join('')}…`;
}

function pad(text: string, width: number, align: 'left' | 'right'): string {
  const fill = ' '.repeat(Math.max(0, width - [...text].length));
  return align === 'right' ? fill + text : text + fill;
}

/** The table as lines ending in a newline; `(none)` for no rows, so an empty result is still an answer. */
export function renderTable<Row>(rows: readonly Row[], columns: readonly Column<Row>[], options: { colour?: boolean } = {}): string {
  if (rows.length === 0) return '(none)\n';
  const cells = rows.map((row) => columns.map((column) => truncate(column.value(row), column.maxWidth ?? DEFAULT_MAX_WIDTH)));
  const widths = columns.map((column, index) => Math.max([...column.header].length, ...cells.map((line) => [...(line[index] ?? '')].length)));
  const format = (line: readonly string[]): string =>
    line.map((cell, index) => pad(cell, widths[index] ?? 0, columns[index]?.align ?? 'left')).join(GAP).trimEnd();
  const header = format(columns.map((column) => column.header));
  return [options.colour === true ? `${BOLD}${header}${RESET}` : header, ...cells.map(format)].join('\n') + '\n';
}

/** One record as `label: value` lines, labels aligned; absent values are left out. */
export function renderDetails(fields: readonly (readonly [string, string | undefined])[]): string {
  const present = fields.filter((field): field is readonly [string, string] => field[1] !== undefined && field[1] !== '');
  const width = Math.max(0, ...present.map(([label]) => label.length));
  return present.map(([label, value]) => `${`${label}:`.padEnd(width + 1)}  ${value}`).join('\n') + '\n';
}

/** USD to four decimals: per-request costs are often fractions of a cent. */
export function formatMoney(value: unknown): string {
  return typeof value === 'number' && Number.isFinite(value) ? `${value < 0 ? '-' : ''}$${Math.abs(value).toFixed(4)}` : '';
}

export function formatCount(value: unknown): string {
  return typeof value === 'number' && Number.isFinite(value) ? String(value) : '';
}

/** Whatever the API returned, as one cell: lists joined, objects as k=v, nothing as ''. */
export function formatValue(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) return value.map(formatValue).join(',');
  if (typeof value === 'object') return Object.entries(value).map(([key, item]) => `${key}=${formatValue(item)}`).join(',');
  return String(value);
}
