import type { Finding } from '../types';
import { luhnValid } from './checksums';
import { digitsOf, gluedAfter, gluedBefore, joinedAfter, joinedBefore, runLength, separatorAfter, type DigitRuns } from './digit-runs';

/**
 * Payment card numbers: 13–19 digits, written in one run or in groups (`4539 1488 0343 6467`,
 * `3745-290183-64576`) with one kind of separator, a known issuer prefix with a length that issuer uses,
 * and a valid Luhn check digit. The prefix check throws away most big integers (epoch milliseconds and
 * snowflake ids start with 1); Luhn throws away nine in ten of the rest. Numbers published for testing
 * payments are not reported (isTestNumber).
 */

const MIN_DIGITS = 13;
const MAX_DIGITS = 19;

function between(value: number, low: number, high: number): boolean {
  return value >= low && value <= high;
}

/** Whether `digits` starts like a card of an issuer that issues that length. */
function plausibleIssuer(digits: string): boolean {
  const length = digits.length;
  const p2 = Number(digits.slice(0, 2));
  const p3 = Number(digits.slice(0, 3));
  const p4 = Number(digits.slice(0, 4));
  switch (digits.charCodeAt(0) - 48) {
    case 4: // Visa (13-digit Visa cards are no longer issued; a 13-digit run is far more often an id)
      return length === 16 || length === 19;
    case 5: // Mastercard 51–55; Maestro 50, 56–58
      return between(p2, 51, 55) ? length === 16 : (p2 === 50 || between(p2, 56, 58)) && length >= 16;
    case 2: // Mastercard 2221–2720; Mir 2200–2204
      return (between(p4, 2221, 2720) && length === 16) || (between(p4, 2200, 2204) && length >= 16);
    case 3: // Amex 34, 37; Diners 300–305, 36, 38, 39; JCB 3528–3589
      if (p2 === 34 || p2 === 37) return length === 15;
      if (between(p4, 3528, 3589)) return length >= 16;
      return (between(p3, 300, 305) || p2 === 36 || p2 === 38 || p2 === 39) && length >= 14;
    case 6: // Discover 6011, 644–649, 65; UnionPay 62; Maestro 63, 67; RuPay 60
      return (p4 === 6011 || between(p3, 644, 649) || p2 === 65 || p2 === 62 || p2 === 63 || p2 === 67 || p2 === 60) && length >= 16;
    default:
      return false;
  }
}

/**
 * The card networks' and payment providers' published test numbers that have no long run of one digit
 * (Stripe's `4242 4242 4242 4242`, American Express's `3782 822463 10005`, Discover's, JCB's, Diners
 * Club's, Mastercard's 2-series).
 */
const TEST_CARD_NUMBERS: ReadonlySet<string> = new Set([
  '4242424242424242', '4000056655665556', '5105105105105100', '5200828282828210', '2223003122003222', '378282246310005',
  '371449635398431', '6011000990139424', '3566002020360505', '3530111333300000', '30569309025904', '3056930009020004',
  '38520000023237', '36227206271667',
]);
/** Seven identical digits in a row. */
const SAME_DIGIT_RUN = /(\d)\1{6}/;

/**
 * Whether `digits` is a number published for testing payments, which docs and test suites are full of and
 * which charges nobody: one of TEST_CARD_NUMBERS, or any number with seven identical digits in a row
 * (`4111 1111 1111 1111`, `5555 5555 5555 4444`, Stripe's `4000 0000 0000 0002` family). A real card
 * number, an issuer's prefix and an account number, all but never has such a run.
 */
function isTestNumber(digits: string): boolean {
  return TEST_CARD_NUMBERS.has(digits) || SAME_DIGIT_RUN.test(digits);
}

function isCard(digits: string): boolean {
  return digits.length >= MIN_DIGITS && digits.length <= MAX_DIGITS && plausibleIssuer(digits) && luhnValid(digits) && !isTestNumber(digits);
}

/** A card number starting at run `k`, or undefined. */
export function matchPaymentCard(runs: DigitRuns, k: number): Finding | undefined {
  const { text, starts, ends } = runs;
  const start = starts[k] ?? 0;
  if (gluedBefore(text, start)) return undefined;
  const first = runLength(runs, k);
  if (first >= MIN_DIGITS) {
    const end = ends[k] ?? 0;
    if (first > MAX_DIGITS || gluedAfter(text, end) || !isCard(digitsOf(runs, k, k))) return undefined;
    return { type: 'payment_card', start, end };
  }
  if (first !== 4) return undefined;
  const separator = separatorAfter(runs, k);
  if (separator !== ' ' && separator !== '-') return undefined;
  // Groups after the first: 3–6 digits (4-4-4-4, 4-6-5 Amex, 4-6-4 Diners, 4-4-4-4-3), one separator kind.
  let last = k;
  let total = first;
  while (last + 1 < starts.length && separatorAfter(runs, last) === separator) {
    const length = runLength(runs, last + 1);
    if (length < 3 || length > 6 || total + length > MAX_DIGITS) break;
    last += 1;
    total += length;
  }
  // A card is not a stretch of a longer list of numbers (`9365 4136 1939 4805 3204 9993 …`).
  if (joinedBefore(text, start, separator)) return undefined;
  for (let end = last; end > k; end -= 1) {
    const endIndex = ends[end] ?? 0;
    const glued = gluedAfter(text, endIndex) || (joinedAfter(text, endIndex, separator) && (separator === '-' || runLength(runs, end + 1) >= 4));
    if (!glued && isCard(digitsOf(runs, k, end))) return { type: 'payment_card', start, end: endIndex };
  }
  return undefined;
}
