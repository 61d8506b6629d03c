import { toCsv } from '../../admin/csv';
import type { OptionSpecs, OptionValues } from '../args';
import type { AdminClient } from '../client';
import { colourAllowed, type CliIo } from '../io';
import { renderTable, type Column } from '../table';

/** What a command's `run` gets: its parsed arguments, the admin client and the streams. */
export interface CommandContext {
  readonly values: OptionValues;
  readonly positionals: readonly string[];
  readonly client: AdminClient;
  readonly io: CliIo;
}

export interface CommandSpec {
  /** The words that select it: `['keys', 'create']`, or `['usage']`. */
  readonly path: readonly string[];
  /** The synopsis after `gatellm`, as --help shows it. */
  readonly usage: string;
  readonly summary: string;
  /** Extra lines for --help: what each option means. */
  readonly details?: readonly string[];
  readonly options?: OptionSpecs;
  /** How many positional arguments it takes: [least, most]. @default [0, 0] */
  readonly positionals?: readonly [number, number];
  /** Commands without a listing refuse --csv rather than ignore it. */
  readonly csv?: boolean;
  run(context: CommandContext): Promise<void>;
}

/** `--json`: the API's answer exactly as it came, pretty-printed. */
export function printJson(context: CommandContext, value: unknown): void {
  context.io.out(`${JSON.stringify(value, null, 2)}\n`);
}

/** A listing as --json (the whole API answer), --csv (the table's columns) or a table. */
export function printListing<Row>(context: CommandContext, answer: unknown, rows: readonly Row[], columns: readonly Column<Row>[]): void {
  if (context.values.json === true) {
    printJson(context, answer);
  } else if (context.values.csv === true) {
    const headers = columns.map((column) => column.header);
    const records = rows.map((row) => Object.fromEntries(columns.map((column) => [column.header, column.csv === undefined ? column.value(row) : column.csv(row)])));
    context.io.out(toCsv(headers, records));
  } else {
    context.io.out(renderTable(rows, columns, { colour: colourAllowed(context.io) }));
  }
}

/** The `data` array of a `{ object: 'list', data }` answer. */
export function listData<T>(answer: unknown): readonly T[] {
  const data = typeof answer === 'object' && answer !== null ? (answer as { data?: unknown }).data : undefined;
  return Array.isArray(data) ? (data as T[]) : [];
}
