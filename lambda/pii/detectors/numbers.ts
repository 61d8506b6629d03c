import type { Finding } from '../types';
import { codeAt, isDigit, isUpper, scanBackward } from './chars';
import type { PatternDetector } from './detector';
import { clusterBounds, digitRunsIn, type DigitRuns } from './digit-runs';
import { ibanCouldStartAt, matchIban } from './iban';
import { matchIpv4 } from './ipv4';
import { matchPaymentCard } from './payment-card';
import { matchPhone } from './phone';
import { matchUsSsn } from './us-ssn';

/**
 * One pass over the digits for every number-shaped type: phones, payment cards, SSNs, IPv4 addresses and
 * IBANs. A global regex finds what every one of them contains — two digits joined by one separator
 * (`4.1`, `5-0`, `4 1`), a digit and a closing parenthesis (`(415)`), or seven digits in a row — and each
 * hit is widened to its numeric cluster, classified once, and skipped. Lone numbers (line numbers, counts,
 * years) never reach JavaScript. V8 runs such a regex natively, far faster than a charCodeAt loop.
 * An IBAN is found from its digits (in every country's layout the check digits and bank code, or the
 * account number, make seven in a row; written in groups, any two groups do), then its country code a
 * little before them.
 */

/** Shorter clusters cannot hold any of the types (the shortest is an IPv4 address such as `1.1.1.1`). */
const MIN_CLUSTER = 7;
/** An IBAN is at most 34 characters, 42 with spaces: its start is at most this far before its digits. */
const IBAN_LOOKBACK = 42;

type RunMatcher = (runs: DigitRuns, k: number) => Finding | undefined;

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

export const numbersDetector: PatternDetector = {
  types: ['phone', 'payment_card', 'us_ssn', 'ip_address', 'iban'],
  create(enabled) {
    const matchers: RunMatcher[] = [];
    if (enabled.has('ip_address')) matchers.push(matchIpv4);
    if (enabled.has('payment_card')) matchers.push(matchPaymentCard);
    if (enabled.has('us_ssn')) matchers.push(matchUsSsn);
    if (enabled.has('phone')) matchers.push(matchPhone);
    const iban = enabled.has('iban');
    const trigger = /\d(?:[.\- /]\d|\)|\d{6})/g;
    return (text, out) => {
      trigger.lastIndex = 0;
      while (trigger.test(text)) {
        const { start, end } = clusterBounds(text, trigger.lastIndex - 1);
        trigger.lastIndex = Math.max(end, trigger.lastIndex);
        let from = start;
        const ibanFinding = iban ? ibanAround(text, start) : undefined;
        if (ibanFinding !== undefined) {
          out.push(ibanFinding);
          trigger.lastIndex = Math.max(trigger.lastIndex, ibanFinding.end);
          // The IBAN's digits are no other number; what follows it in the cluster may be.
          from = ibanFinding.end;
        }
        if (end - from < MIN_CLUSTER || matchers.length === 0) continue;
        const runs = digitRunsIn(text, from, end);
        for (let k = 0; k < runs.starts.length; k += 1) {
          for (const match of matchers) {
            const finding = match(runs, k);
            if (finding !== undefined) out.push(finding);
          }
        }
      }
    };
  },
};
