import type { Finding } from '../types';
import { codeAt, isDigit, isHex, isWordChar } from './chars';
import { gluedAfter, joinedAfter, joinedBefore, runLength, runText, separatorAfter, type DigitRuns } from './digit-runs';

/**
 * Phone numbers in the forms people write them:
 *  - international: `+` (or `00`) and a country code, 8–15 digits in all (E.164), compact or grouped
 *    (`+4915112345678`, `+1 (415) 555-0132`, `+44 20 7946 0958`, `+49 (0)30 1234567`, `0049 30 1234567`);
 *  - North American: `(415) 555-0132`, `415-555-0132`, `415.555.0132`, `415 555 0132`, `1-415-555-0132`,
 *    with valid area and exchange codes (first digit 2–9);
 *  - national with a trunk `0` (UK, DE, FR and most of Europe): 9–12 digits in at least two groups
 *    (`020 7946 0958`, `030 12345678`, `030/1234567`, `(030) 1234567`, `01 23 45 67 89`).
 * A bare run of digits without `+` is never a phone: it is far more often an id, an amount or a timestamp.
 * Nor are bytes in a hex dump, which look like a French number (inByteDump), made-up digits, or arithmetic
 * and fractions in code (`f(x)+3864292196`, `.023.764.018`).
 */

const E164_MIN = 8;
const E164_MAX = 15;
const TRUNK_MIN = 9;
const TRUNK_MAX = 12;

const GROUP_SEPARATORS = new Set([' ', '-', '.', '/', '(', ' (', ')', ') ', ')-', ' - ']);
const CLOSING = new Set([')', ') ', ')-']);
const PLAIN = new Set([' ', '-', '.']);

/**
 * Whether the number starting at `start` continues what is before it: a word, a `+`, a `)` (`f(x)+3864292196`
 * adds), a `.` (`.023.764.018`: fractions, as in SVG paths), a `-` or `/` joining it to a word, or a time's `:`.
 */
function phoneGluedBefore(text: string, start: number): boolean {
  const before = codeAt(text, start - 1);
  if (isWordChar(before) || before === 43 || before === 41 || before === 46) return true;
  // `03:04:05.6789010`: the seconds of a time.
  if (before === 58) return isDigit(codeAt(text, start - 2));
  return (before === 45 || before === 47) && isWordChar(codeAt(text, start - 2));
}

/**
 * Whether the digits of `text[start, end)` were made up rather than dialled: only 0s and 1s (bits in groups,
 * `0011110 0011110`), or one digit seven times in a row, separators aside (`+1 555 555 5555`, `+15555555555`
 * in validators' tests).
 */
function madeUpDigits(text: string, start: number, end: number): boolean {
  let bits = true;
  let previous = -1;
  let run = 0;
  for (let index = start; index < end; index += 1) {
    const code = codeAt(text, index);
    if (!isDigit(code)) continue;
    if (code >= 50) bits = false;
    run = code === previous ? run + 1 : 1;
    previous = code;
    if (run >= 7) return true;
  }
  return bits;
}

function found(runs: DigitRuns, start: number, last: number, separator: string): Finding | undefined {
  const end = runs.ends[last] ?? 0;
  if (phoneGluedBefore(runs.text, start) || gluedAfter(runs.text, end) || joinedAfter(runs.text, end, separator) || madeUpDigits(runs.text, start, end)) return undefined;
  return { type: 'phone', start, end };
}

/** Whether runs `from..to` all have three digits or fewer. */
function shortGroups(runs: DigitRuns, from: number, to: number): boolean {
  for (let index = from; index <= to; index += 1) if (runLength(runs, index) > 3) return false;
  return true;
}

/** `+CC …` or `00CC …`; `prefix` is the length of a leading `00`. */
function international(runs: DigitRuns, k: number, start: number, prefix: number): Finding | undefined {
  const first = runText(runs, k);
  if (first.charCodeAt(prefix) === 48 || first.length <= prefix) return undefined;
  let last = k;
  let total = first.length - prefix;
  while (last + 1 < runs.starts.length && GROUP_SEPARATORS.has(separatorAfter(runs, last)) && total + runLength(runs, last + 1) <= E164_MAX) {
    // One digit alone is an area or trunk code right after the country code (`+33 1 …`, `+49 (0)30 …`), nowhere else.
    if (runLength(runs, last + 1) === 1 && last > k) break;
    last += 1;
    total += runLength(runs, last);
  }
  // `00` alone in one run is a zero-padded id far more often than a dialled number; a first run longer than
  // E.164 allows is a big number (`+4611686018427387904`), and two runs joined by a `.` a decimal (`+35236450.6`).
  if (total < E164_MIN || total > E164_MAX || (prefix > 0 && last === k)) return undefined;
  if (last === k + 1 && separatorAfter(runs, k) === '.') return undefined;
  // `001.000.008.016`: an IPv4 address with zero-padded octets.
  if (prefix > 0 && separatorAfter(runs, k) === '.' && last <= k + 3 && shortGroups(runs, k, last)) return undefined;
  return found(runs, start, last, ' ');
}

// The matchers run for every digit run of every numeric cluster, so their first tests read lengths and
// character codes: most runs (dates, amounts, ids) fail them before any run's text is sliced out.

function exchangeCode(runs: DigitRuns, index: number): boolean {
  return runLength(runs, index) === 3 && codeAt(runs.text, runs.starts[index] ?? 0) >= 50;
}

function northAmerican(runs: DigitRuns, k: number): Finding | undefined {
  const { text, starts } = runs;
  const lead = runLength(runs, k) === 1 && codeAt(text, starts[k] ?? 0) === 49;
  const area = lead ? k + 1 : k;
  if (area + 2 >= starts.length || !exchangeCode(runs, area) || !exchangeCode(runs, area + 1) || runLength(runs, area + 2) !== 4) return undefined;
  const areaStart = starts[area] ?? 0;
  const afterArea = separatorAfter(runs, area);
  // `(415) 555-0132`; a number that is merely inside parentheses, `(415-555-0132)`, is a plain one.
  const paren = codeAt(text, areaStart - 1) === 40 && CLOSING.has(afterArea);
  const afterExchange = separatorAfter(runs, area + 1);
  if (!PLAIN.has(afterExchange)) return undefined;
  if (paren ? !CLOSING.has(afterArea) : afterArea !== afterExchange) return undefined;
  if (lead) {
    const afterLead = separatorAfter(runs, k);
    if (paren ? afterLead !== ' (' && afterLead !== '(' : afterLead !== afterArea) return undefined;
  }
  const start = lead ? (starts[k] ?? 0) : paren ? areaStart - 1 : areaStart;
  if (joinedBefore(text, start, afterExchange)) return undefined;
  return found(runs, start, area + 2, afterExchange);
}

/** Whether a byte written as two hex digits stands at `at`, with a space after it. */
function hexByteAt(text: string, at: number): boolean {
  return isHex(codeAt(text, at)) && isHex(codeAt(text, at + 1)) && codeAt(text, at + 2) === 32;
}

/**
 * Whether `text[start, end)`, two-digit groups with single spaces (`01 00 00 00 50 32`), is bytes of a dump:
 * Node's `<Buffer 01 02 03 04 05>`, or bytes that go on before or after it (`<Buffer a0 8b 28 3f 01 00 00 00 50 32>`,
 * `hexdump -C`). A French number is written just like bytes whose hex digits happen to be decimal; prose
 * has no two hex bytes beside it.
 */
function inByteDump(text: string, start: number, end: number): boolean {
  if (text.startsWith('<Buffer ', start - 8)) return true;
  if (hexByteAt(text, start - 6) && hexByteAt(text, start - 3) && !isWordChar(codeAt(text, start - 7))) return true;
  return codeAt(text, end) === 32 && hexByteAt(text, end + 1) && isHex(codeAt(text, end + 4)) && isHex(codeAt(text, end + 5))
    && !isWordChar(codeAt(text, end + 6));
}

/** The lengths of runs `from..to`, joined by `-` (`3-2-4`). */
function groupShape(runs: DigitRuns, from: number, to: number): string {
  const lengths: number[] = [];
  for (let index = from; index <= to; index += 1) lengths.push(runLength(runs, index));
  return lengths.join('-');
}

/**
 * Whether runs `k..last`, joined by `separator`, are written as another kind of number that starts with a 0:
 * with dots, a decimal (`01234.000000`) or an IPv4 address with zero-padded octets (`016.016.016.016`); with
 * dashes, a US SSN (`078-05-1120`: one the SSN detector declined, as voided) or a ZIP+4 code (`02110-1301`,
 * the Free Software Foundation's, in every GPL notice).
 */
function otherNumberShape(runs: DigitRuns, k: number, last: number, separator: string): boolean {
  if (separator === '.') return last === k + 1 || (runLength(runs, k) === 3 && last <= k + 3 && shortGroups(runs, k, last));
  if (separator !== '-') return false;
  const shape = groupShape(runs, k, last);
  return shape === '3-2-4' || shape === '5-4';
}

function withTrunkPrefix(runs: DigitRuns, k: number): Finding | undefined {
  const { text, starts } = runs;
  if (codeAt(text, starts[k] ?? 0) !== 48) return undefined;
  const first = runText(runs, k);
  if (first.charCodeAt(1) === 48 || first.length < 2 || first.length > 5) return undefined;
  const afterFirst = separatorAfter(runs, k);
  const paren = codeAt(text, (starts[k] ?? 0) - 1) === 40 && CLOSING.has(afterFirst);
  if (!paren && !PLAIN.has(afterFirst) && afterFirst !== '/') return undefined;
  // After a slash or parenthesis the rest is grouped by one plain separator; otherwise all groups share the first one.
  const rest = PLAIN.has(afterFirst) ? afterFirst : separatorAfter(runs, k + 1);
  let last = k;
  let total = first.length;
  while (last + 1 < starts.length) {
    const length = runLength(runs, last + 1);
    const separator = separatorAfter(runs, last);
    if ((last > k && separator !== rest) || length < 2 || length > 8 || total + length > TRUNK_MAX) break;
    last += 1;
    total += length;
  }
  if (last === k || total < TRUNK_MIN) return undefined;
  if (otherNumberShape(runs, k, last, rest)) return undefined;
  const start = paren ? (starts[k] ?? 0) - 1 : (starts[k] ?? 0);
  if (joinedBefore(text, start, rest)) return undefined;
  const end = runs.ends[last] ?? 0;
  if (rest === ' ' && first.length === 2 && inByteDump(text, start, end)) return undefined;
  return found(runs, start, last, rest === '' ? ' ' : rest);
}

/** A phone number starting at run `k`, or undefined. */
export function matchPhone(runs: DigitRuns, k: number): Finding | undefined {
  const runStart = runs.starts[k] ?? 0;
  const before = codeAt(runs.text, runStart - 1);
  if (before === 43) return international(runs, k, runStart - 1, 0);
  if (runs.text.startsWith('00', runStart)) return international(runs, k, runStart, 2);
  return northAmerican(runs, k) ?? withTrunkPrefix(runs, k);
}
