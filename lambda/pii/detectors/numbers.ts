import type { Finding } from '../types';
import { codeAt, isDigit, isUpper, scanBackward } from './chars';
import type { PatternDetector } from './detector';
import { clusterBounds, DigitRunBuffer, type DigitRuns } from './digit-runs';
import { ibanCouldStartAt, isExampleIban, matchIban } from './iban';
import { matchIpv4 } from './ipv4';
import { matchPaymentCard } from './payment-card';
import { matchPhone } from './phone';
import { NUMBER_WINDOWS, type Triggers } from './triggers';
import { matchUsSsn } from './us-ssn';

/**
 * One pass over the digits for every number-shaped type: phones, payment cards, SSNs, IPv4 addresses and
 * IBANs. It walks the number windows (triggers.ts), what every one of them contains: five or six
 * characters of digits and the separators numbers are written with (` `, `-`, `.`, `/`) that start and end
 * with a digit and hold a separator (`1.1.1`, `5-0132`, `23 45`), or seven digits in a row. Every value of
 * these types is a run of seven digits or more, or has a stretch of at least seven characters of digit
 * groups joined by single separators (`(415) 555-0132` too); since separators never come two in a row,
 * such a stretch always holds one of those windows. Each window is widened to its numeric cluster,
 * classified once, and skipped. Lone numbers (line numbers, counts, years, amounts, decimals, `1.2.3`)
 * have no window, so they are never looked at.
 * An IBAN is found from its digits (in every country's layout the check digits and bank code, or the
 * account number, make seven in a row; written in groups, any two all-digit groups do), then its country
 * code a little before them.
 */

/** Shorter clusters cannot hold any of the types (the shortest is an IPv4 address such as `1.1.1.1`). */
const MIN_CLUSTER = 7;
/** An IBAN is at most 34 characters, 42 with spaces: its start is at most this far before its digits. */
const IBAN_LOOKBACK = 42;

function isIbanChar(code: number): boolean {
  return isDigit(code) || isUpper(code) || code === 32;
}

/**
 * An IBAN whose digits include the cluster starting at `clusterStart`: its country code is a little
 * before, and right before the cluster is a capital (`DE89…`, `NWBK6016…`) or a space after one.
 */
function ibanAround(text: string, clusterStart: number): Finding | undefined {
  const before = codeAt(text, clusterStart - 1);
  if (!isUpper(before) && !(before === 32 && isUpper(codeAt(text, clusterStart - 2)))) return undefined;
  const from = scanBackward(text, clusterStart, isIbanChar, IBAN_LOOKBACK);
  for (let start = from; start < clusterStart; start += 1) {
    if (ibanCouldStartAt(text, start)) {
      const finding = matchIban(text, start);
      if (finding !== undefined) return finding;
    }
  }
  return undefined;
}

/**
 * Whether the cluster `text[start, end)`, less a space at either end, is an ISO date (`2024-08-23`): the
 * commonest numeric cluster in JSON tool results and logs, and none of the types read from runs (a phone
 * needs a `+`, a three-digit area code, or a trunk `0` and nine digits; a card's groups after the first
 * have three to six digits; an SSN starts with three), so it is dismissed before its runs are read.
 */
function isIsoDate(text: string, start: number, end: number): boolean {
  const from = codeAt(text, start) === 32 ? start + 1 : start;
  const to = codeAt(text, end - 1) === 32 ? end - 1 : end;
  if (to - from !== 10 || codeAt(text, from + 4) !== 45 || codeAt(text, from + 7) !== 45) return false;
  for (let index = from; index < to; index += 1) {
    if (index !== from + 4 && index !== from + 7 && !isDigit(codeAt(text, index))) return false;
  }
  return true;
}

export const numbersDetector: PatternDetector = {
  types: ['phone', 'payment_card', 'us_ssn', 'ip_address', 'iban'],
  triggers: [NUMBER_WINDOWS],
  create(enabled) {
    const ip = enabled.has('ip_address');
    const card = enabled.has('payment_card');
    const ssn = enabled.has('us_ssn');
    const phone = enabled.has('phone');
    const iban = enabled.has('iban');
    // One call site per matcher, not a loop over a list of them: each site sees one function, so V8
    // inlines the matchers instead of calling through a megamorphic site for every digit run.
    const matchRun = (runs: DigitRuns, k: number, out: Finding[]): void => {
      const ipFinding = ip ? matchIpv4(runs, k) : undefined;
      if (ipFinding !== undefined) out.push(ipFinding);
      const cardFinding = card ? matchPaymentCard(runs, k) : undefined;
      if (cardFinding !== undefined) out.push(cardFinding);
      const ssnFinding = ssn ? matchUsSsn(runs, k) : undefined;
      if (ssnFinding !== undefined) out.push(ssnFinding);
      const phoneFinding = phone ? matchPhone(runs, k) : undefined;
      if (phoneFinding !== undefined) out.push(phoneFinding);
    };
    const anyRunType = ip || card || ssn || phone;
    const buffer = new DigitRunBuffer();
    return (text: string, out: Finding[], triggers: Triggers) => {
      let resumeAt = 0;
      for (let windowEnd = triggers.nextNumberWindowEnd(0); windowEnd !== -1; windowEnd = triggers.nextNumberWindowEnd(resumeAt)) {
        const { start, end } = clusterBounds(text, windowEnd - 1);
        resumeAt = Math.max(end, windowEnd);
        let from = start;
        const ibanFinding = iban ? ibanAround(text, start) : undefined;
        if (ibanFinding !== undefined) {
          if (!isExampleIban(text, ibanFinding)) out.push(ibanFinding);
          resumeAt = Math.max(resumeAt, ibanFinding.end);
          // The IBAN's digits (a registry example's too) are no other number; what follows it in the cluster may be.
          from = ibanFinding.end;
        }
        if (end - from < MIN_CLUSTER || !anyRunType || isIsoDate(text, from, end)) continue;
        const runs = buffer.fill(text, from, end);
        for (let k = 0; k < runs.starts.length; k += 1) matchRun(runs, k, out);
      }
    };
  },
};
