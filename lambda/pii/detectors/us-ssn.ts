import type { Finding } from '../types';
import { gluedAfter, gluedBefore, joinedAfter, joinedBefore, runLength, runText, separatorAfter, type DigitRuns } from './digit-runs';

/**
 * US Social Security numbers, `AAA-GG-SSSS` (dashes or single spaces, the same both times), without the
 * numbers the SSA never issues (area 000, 666 or 900–999, group 00, serial 0000) or voided after they were
 * printed for all to see (VOIDED). The bare nine-digit form
 * is reported only after a context word (`SSN`, `social security`) in the 32 characters before it:
 * nine digits alone are far more often an id or an amount than an SSN.
 */

const CONTEXT_WINDOW = 32;
const CONTEXT = /\bssn\b|social[\s_-]*security|\bss#/i;

/**
 * Numbers that advertising and docs made everyone's, which the SSA voided: 078-05-1120 (printed on a
 * sample card sold with wallets) and 219-09-9999 (in an SSA pamphlet); and 123-45-6789, every form's
 * placeholder.
 */
const VOIDED: ReadonlySet<string> = new Set(['078051120', '219099999', '123456789']);

function validParts(area: string, group: string, serial: string): boolean {
  if (area === '000' || area === '666' || area.charCodeAt(0) === 57) return false;
  return group !== '00' && serial !== '0000' && !VOIDED.has(`${area}${group}${serial}`);
}

function hasContext(text: string, start: number): boolean {
  return CONTEXT.test(text.slice(Math.max(0, start - CONTEXT_WINDOW), start));
}

/** An SSN starting at run `k`, or undefined. */
export function matchUsSsn(runs: DigitRuns, k: number): Finding | undefined {
  const { text, starts, ends } = runs;
  const start = starts[k] ?? 0;
  if (gluedBefore(text, start)) return undefined;
  const first = runLength(runs, k);
  if (first === 9) {
    const end = ends[k] ?? 0;
    const digits = runText(runs, k);
    const bare = !gluedAfter(text, end) && !joinedBefore(text, start, ' ') && !joinedAfter(text, end, ' ');
    if (bare && validParts(digits.slice(0, 3), digits.slice(3, 5), digits.slice(5)) && hasContext(text, start)) {
      return { type: 'us_ssn', start, end };
    }
    return undefined;
  }
  if (first !== 3) return undefined;
  const separator = separatorAfter(runs, k);
  if (separator !== '-' && separator !== ' ') return undefined;
  if (runLength(runs, k + 1) !== 2 || separatorAfter(runs, k + 1) !== separator || runLength(runs, k + 2) !== 4) return undefined;
  const end = ends[k + 2] ?? 0;
  if (gluedAfter(text, end) || joinedBefore(text, start, separator) || joinedAfter(text, end, separator)) return undefined;
  if (!validParts(runText(runs, k), runText(runs, k + 1), runText(runs, k + 2))) return undefined;
  return { type: 'us_ssn', start, end };
}
