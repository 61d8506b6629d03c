import { isLabelChar, type PlaceholderTable } from './placeholder-table';

/**
 * Where restored text goes: `plain` text the caller reads as it is, or `json-string` — the text is
 * itself JSON (tool-call arguments) and placeholders sit inside its string literals, so an original
 * with a quote, a backslash or a newline is inserted escaped and the JSON stays valid.
 */
export type RestoreMode = 'plain' | 'json-string';

/**
 * Restores one channel of generated text that arrives in pieces (the deltas of one content block or
 * one tool call). Whatever a piece splits, the concatenated output equals restoring the whole text.
 */
export interface TextRestorer {
  /** Everything that can no longer be part of a placeholder, restored; holds back only a trailing run that still could. */
  push(text: string): string;
  /** The held-back rest, as it is (it never completed a placeholder); the restorer is then empty again. */
  end(): string;
  /** Text is held back: a later piece may complete it. */
  readonly holding: boolean;
}

const CLOSE_BRACKET = 93;

/**
 * Restores every whole placeholder of the table in `input`; returns the output and the trailing run
 * that could still grow into a placeholder (empty when there is none, or when `final`).
 */
function scan(input: string, table: PlaceholderTable, mode: RestoreMode, final: boolean): { out: string; held: string } {
  let out = '';
  let emittedTo = 0;
  let open = input.indexOf('[');
  while (open !== -1) {
    let end = open + 1;
    // A run longer than the longest placeholder can never be one: stop looking, it goes out as it is.
    while (end < input.length && end - open < table.longest && isLabelChar(input.charCodeAt(end))) end++;
    if (end === input.length) {
      const tail = input.slice(open);
      if (!final && table.couldBecomePlaceholder(tail)) return { out: out + input.slice(emittedTo, open), held: tail };
      break; // The run has no `[` in it, so nothing after `open` can start another candidate.
    }
    if (input.charCodeAt(end) === CLOSE_BRACKET) {
      const placeholder = input.slice(open, end + 1);
      const original = mode === 'plain' ? table.original(placeholder) : table.escapedOriginal(placeholder);
      if (original !== undefined) {
        out += input.slice(emittedTo, open) + original;
        emittedTo = end + 1;
      }
      end++;
    }
    // The run between `open` and `end` holds no `[`: the next candidate starts at or after `end`.
    open = input.indexOf('[', end);
  }
  return { out: out + input.slice(emittedTo), held: '' };
}

/** Restores a whole text at once: the same result as pushing it in any pieces and ending. */
export function restoreText(text: string, table: PlaceholderTable, mode: RestoreMode): string {
  if (!text.includes('[')) return text;
  return scan(text, table, mode, true).out;
}

/**
 * A streaming restorer for one channel. Text without a `[` that continues a held run costs one
 * `includes` and goes out unchanged; only a run that is the start of one of the table's placeholders
 * is ever held (never `[1]`, `[a`, `[NOTE` when no placeholder starts so, nor a markdown link).
 */
export function createTextRestorer(table: PlaceholderTable, mode: RestoreMode): TextRestorer {
  let held = '';
  return {
    push(text) {
      if (held === '' && !text.includes('[')) return text;
      const result = scan(held + text, table, mode, false);
      held = result.held;
      return result.out;
    },
    end() {
      const rest = held;
      held = '';
      return rest;
    },
    get holding() {
      return held !== '';
    },
  };
}
