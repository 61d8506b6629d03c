import { aPrefixedKeysDetector } from './detectors/a-prefixed-keys';
import { apiKeyDetector } from './detectors/api-keys';
import { compileCustomPattern, findCustom } from './detectors/custom';
import type { FindFn, PatternDetector } from './detectors/detector';
import { emailDetector } from './detectors/email';
import { jwtDetector } from './detectors/jwt';
import { numbersDetector } from './detectors/numbers';
import { operatorsDetector } from './detectors/operators';
import { privateKeyDetector } from './detectors/private-key';
import { triggersFor } from './detectors/trigger-index/trigger-index';
import { triggerSet } from './detectors/triggers';
import { PATTERN_PII_TYPES, type Finding, type PiiScanner, type ScannerOptions } from './types';

export { compileCustomPattern } from './detectors/custom';

/**
 * The pattern scanner: every enabled detector runs over the text from its own triggers (the characters
 * or number windows its values contain, found for all detectors at once: triggers.ts), and validates only
 * the candidates; the findings are then made disjoint. A type that is not enabled is never looked for. Secret assignments, IPv6
 * addresses and Slack webhook URLs (at their scheme's colon) share one trigger, the walk over `=` and
 * `:` (operators.ts): colons are the commonest trigger character in prompts, so finding each once rather
 * than once per detector is worth the coupling; for the same reason AWS access key ids and Google API
 * keys share one walk over capital A's (a-prefixed-keys.ts).
 */

const DETECTORS: readonly PatternDetector[] = [
  privateKeyDetector, jwtDetector, aPrefixedKeysDetector, apiKeyDetector, operatorsDetector, emailDetector,
  numbersDetector,
];

/**
 * Which of two overlapping findings of the same length wins: the higher rank. Credentials first (a
 * private key block contains base64 that might look like anything), then checksummed types, then the
 * format-only ones; custom patterns rank above the loosest built-ins only; secret_assignment last, since
 * a recognised key inside an assignment is better named by its format.
 */
const RANK: Readonly<Record<string, number>> = {
  private_key: 120, jwt: 110, aws_access_key: 100, aws_secret_key: 90, api_key: 80, iban: 70,
  payment_card: 60, us_ssn: 50, email: 40, ip_address: 30, phone: 20, secret_assignment: 0,
};
const CUSTOM_RANK = 25;

function rankOf(type: string): number {
  return RANK[type] ?? CUSTOM_RANK;
}

/** Index of the first accepted finding that ends after `start` (accepted is sorted and disjoint). */
function firstEndingAfter(accepted: readonly Finding[], start: number): number {
  let low = 0;
  let high = accepted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((accepted[middle]?.end ?? 0) <= start) low = middle + 1;
    else high = middle;
  }
  return low;
}

/**
 * Whether the findings are already what resolveOverlaps returns: each of some length, disjoint, in order. The
 * usual case (no finding, or a few far apart, each found once), which then costs no copy and no sort.
 */
function isSortedAndDisjoint(findings: readonly Finding[]): boolean {
  let end = 0;
  for (const finding of findings) {
    if (finding.start < end || finding.end <= finding.start) return false;
    end = finding.end;
  }
  return true;
}

/** Disjoint findings sorted by start: longer first, then higher rank, then earlier. */
function resolveOverlaps(candidates: Finding[]): Finding[] {
  if (isSortedAndDisjoint(candidates)) return candidates;
  const ordered = [...candidates].sort((a, b) =>
    (b.end - b.start) - (a.end - a.start) || rankOf(b.type) - rankOf(a.type) || a.start - b.start);
  const accepted: Finding[] = [];
  for (const candidate of ordered) {
    if (candidate.end <= candidate.start) continue;
    const index = firstEndingAfter(accepted, candidate.start);
    const next = accepted[index];
    if (next === undefined || next.start >= candidate.end) accepted.splice(index, 0, candidate);
  }
  return accepted;
}

/**
 * A scanner for `options.types` (default: every pattern type and every custom pattern). Custom patterns
 * are compiled here, so an invalid one throws (naming it) when the scanner is built, not mid-request.
 * `findTriggers` chooses how each text's triggers are found (tests hold the index to searching with it).
 */
export function createScanner(options: ScannerOptions = {}, findTriggers: typeof triggersFor = triggersFor): PiiScanner {
  const custom = (options.custom ?? []).map(compileCustomPattern);
  const enabled = options.types ?? new Set<string>([...PATTERN_PII_TYPES, ...custom.map((pattern) => pattern.name)]);
  const detectors = DETECTORS.filter((detector) => detector.types.some((type) => enabled.has(type)));
  const finders: FindFn[] = detectors.map((detector) => detector.create(enabled));
  const wanted = triggerSet(detectors.flatMap((detector) => detector.triggers));
  const customPatterns = custom.filter((pattern) => enabled.has(pattern.name));
  return {
    scan(text) {
      if (text.length === 0) return [];
      const found: Finding[] = [];
      if (finders.length > 0) {
        const triggers = findTriggers(text, wanted);
        for (const find of finders) find(text, found, triggers);
      }
      for (const pattern of customPatterns) findCustom(pattern, text, found);
      return resolveOverlaps(found);
    },
  };
}
