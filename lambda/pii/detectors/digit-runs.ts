import { codeAt, isAlnum, isDigit, isWordChar } from './chars';

/**
 * A numeric cluster: digit runs joined by the separators numbers are written with (one space, `-`, `.`,
 * `/`, parentheses, a leading `+`). Run `i` is `text.slice(starts[i], ends[i])`.
 */
export interface DigitRuns {
  readonly text: string;
  readonly starts: readonly number[];
  readonly ends: readonly number[];
}

export function runLength(runs: DigitRuns, index: number): number {
  return (runs.ends[index] ?? 0) - (runs.starts[index] ?? 0);
}

export function runText(runs: DigitRuns, index: number): string {
  return runs.text.slice(runs.starts[index], runs.ends[index]);
}

/** The characters between run `index` and the next one ('' when there is no next run). */
export function separatorAfter(runs: DigitRuns, index: number): string {
  const next = runs.starts[index + 1];
  return next === undefined ? '' : runs.text.slice(runs.ends[index], next);
}

/** The digits of runs `from..to` (inclusive) without separators. */
export function digitsOf(runs: DigitRuns, from: number, to: number): string {
  let digits = '';
  for (let i = from; i <= to; i += 1) digits += runText(runs, i);
  return digits;
}

/**
 * Whether a value starting at `start` is glued to what precedes it: a letter or digit right before it,
 * or a connector (`-`, `.`, `/`) that joins it to a longer identifier (`ORD-4155550132`, `v1.2.3.4`).
 */
export function gluedBefore(text: string, start: number): boolean {
  const before = codeAt(text, start - 1);
  if (isWordChar(before) || before === 43) return true;
  if (before === 45 || before === 46 || before === 47) return isAlnum(codeAt(text, start - 2));
  return false;
}

/**
 * Whether a value ending at `end` continues: a letter or digit right after it, or a connector followed by
 * one (`4155550132-01`, `1.2.3.4.5`). A sentence's final `.` is not a connector.
 */
export function gluedAfter(text: string, end: number): boolean {
  const after = codeAt(text, end);
  if (isWordChar(after)) return true;
  if (after === 45 || after === 46 || after === 47) return isAlnum(codeAt(text, end + 1));
  return false;
}

/** Whether the run before `start` is joined to it by `separator` (a list of numbers, not one). */
export function joinedBefore(text: string, start: number, separator: string): boolean {
  return text.startsWith(separator, start - separator.length) && isDigit(codeAt(text, start - separator.length - 1));
}

export function joinedAfter(text: string, end: number, separator: string): boolean {
  return text.startsWith(separator, end) && isDigit(codeAt(text, end + separator.length));
}

const MAX_BACK = 64;
const MAX_FORWARD = 1024;

function isClusterChar(code: number): boolean {
  // digits, space, + ( ) - . /
  return isDigit(code) || code === 32 || code === 43 || code === 40 || code === 41 || code === 45 || code === 46 || code === 47;
}

/** Bounds of the cluster around the digit at `at` (never two spaces in a row: that is layout, not a number). */
export function clusterBounds(text: string, at: number): { start: number; end: number } {
  // Bounds are checked here, so the loops read with charCodeAt itself (no call per character).
  let start = at;
  const stop = Math.max(1, at - MAX_BACK);
  while (start > stop && isClusterChar(text.charCodeAt(start - 1)) && !(text.charCodeAt(start - 1) === 32 && text.charCodeAt(start - 2) === 32)) start -= 1;
  if (start === 1 && isClusterChar(text.charCodeAt(0))) start = 0;
  let end = at;
  const limit = Math.min(text.length - 1, at + MAX_FORWARD);
  while (end < limit && isClusterChar(text.charCodeAt(end)) && !(text.charCodeAt(end) === 32 && text.charCodeAt(end + 1) === 32)) end += 1;
  if (end === text.length - 1 && isClusterChar(text.charCodeAt(end))) end = text.length;
  return { start, end };
}

/**
 * The digit runs of one cluster at a time, refilled in place: the numeric detector reads thousands of
 * clusters a megabyte, and the matchers never keep the runs, so one pair of arrays serves them all.
 */
export class DigitRunBuffer implements DigitRuns {
  text = '';
  readonly starts: number[] = [];
  readonly ends: number[] = [];

  /** The runs of `text[start, end)`. */
  fill(text: string, start: number, end: number): DigitRuns {
    this.text = text;
    this.starts.length = 0;
    this.ends.length = 0;
    let index = start;
    while (index < end) {
      if (isDigit(text.charCodeAt(index))) {
        const runStart = index;
        while (index < end && isDigit(text.charCodeAt(index))) index += 1;
        this.starts.push(runStart);
        this.ends.push(index);
      } else {
        index += 1;
      }
    }
    return this;
  }
}
