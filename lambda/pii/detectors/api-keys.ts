import type { Finding } from '../types';
import { codeAt, isAlnum, isTokenChar, scanForward, shannonEntropy } from './chars';
import { forEachOccurrence, type PatternDetector } from './detector';
import { DASH, UNDERSCORE, type Triggers } from './triggers';
import { GOOGLE_API_KEY, SENDGRID_KEY, SLACK_WEBHOOK, TOKEN_KEY_FORMATS, type KeyFormat } from './api-key-formats';

/**
 * Provider and platform API keys (formats in api-key-formats.ts). Almost every format is a vendor word, an
 * `_` or `-`, and a long random body (`sk-…`, `ghp_…`, `xoxb-…`, `glpat-…`), so every `_` and `-` (found
 * by its trigger walk) is checked for a known vendor word right before it, at the start of a token — two
 * character reads and a table read for the snake_case and kebab-case names code is full of. Only then is
 * the whole token matched against the vendor's formats. Google's `AIza`, SendGrid's `SG.` and Slack
 * webhook URLs have no such separator: Google keys are found by the walk over capital A's
 * (a-prefixed-keys.ts), Slack webhook URLs by the walk over colons (operators.ts, at the scheme's colon),
 * SendGrid keys from their literal.
 */

/**
 * Every separated format has at least this many token characters after its first separator (the fewest:
 * a Slack token, `xoxb-` + a digit + `-` + 10 characters), so a separator without a token character this
 * far on starts no key: one read dismisses most of the separators whose word ending passed, before the
 * word is scanned for.
 */
const MIN_AFTER_SEPARATOR = 12;
/** Below this many bits per character a body is a placeholder (`sk-xxxx…`, `ghp_XXXX…`), not a key. */
const MIN_BODY_ENTROPY = 3;
const MAX_TOKEN = 512;
const GOOGLE_PREFIX = 'AIza';

const FORMATS_BY_WORD = new Map<string, KeyFormat[]>();
for (const keyFormat of TOKEN_KEY_FORMATS) {
  for (const word of keyFormat.words) FORMATS_BY_WORD.set(word, [...(FORMATS_BY_WORD.get(word) ?? []), keyFormat]);
}
const MAX_WORD = Math.max(...[...FORMATS_BY_WORD.keys()].map((word) => word.length));

/**
 * The last two characters of every vendor word, as a table over pairs of ASCII codes: the first test at
 * every `_` and `-`. Prompts hold thousands of them a megabyte (snake_case and kebab-case names, UUIDs,
 * dates, markdown lists) and the pair right before almost none of them ends a vendor word (372 of 15,393
 * in the bench mix), so two reads and one table read dismiss them before the word is scanned for.
 */
export const WORD_ENDINGS = new Uint8Array(128 * 128);
for (const word of FORMATS_BY_WORD.keys()) {
  const last = word.charCodeAt(word.length - 1);
  // A one-letter word (none today) is only its last character: any character may come before it.
  if (word.length === 1) for (let before = 0; before < 128; before += 1) WORD_ENDINGS[(before << 7) | last] = 1;
  else WORD_ENDINGS[(word.charCodeAt(word.length - 2) << 7) | last] = 1;
}

/**
 * Whether the `_` or `-` at `at` may be a key's: the two characters before it could end a vendor word
 * (vendor words are ASCII), and a token character is where the shortest body ends. The trigger index
 * (trigger-index.wat) lists only the separators that pass this, from the same table.
 */
export function separatorMayStartKey(text: string, at: number): boolean {
  return mayEndVendorWord(text, at) && isTokenChar(codeAt(text, at + MIN_AFTER_SEPARATOR));
}

function mayEndVendorWord(text: string, at: number): boolean {
  // charCodeAt itself, `| 0` as in codeAt: inside the separator walk a call to codeAt would not be inlined.
  const last = text.charCodeAt(at - 1) | 0;
  const before = text.charCodeAt(at - 2) | 0;
  return last < 128 && WORD_ENDINGS[((before < 128 ? before : 0) << 7) | last] === 1;
}

function randomEnough(text: string, start: number, end: number, prefixLength: number): boolean {
  return shannonEntropy(text.slice(start + prefixLength, end)) >= MIN_BODY_ENTROPY;
}

/** Whether `pattern` matches exactly the token `text[start, end)` and its body is random. */
function wholeTokenMatch(text: string, start: number, end: number, pattern: RegExp, prefixLength: number): boolean {
  pattern.lastIndex = start;
  return pattern.test(text) && pattern.lastIndex === end && randomEnough(text, start, end, prefixLength);
}

/** Looks for a key whose first separator is at `at`; returns where to resume. */
function visitSeparator(text: string, at: number, out: Finding[]): number {
  if (!separatorMayStartKey(text, at)) return at + 1;
  let start = at;
  while (start > 0 && at - start <= MAX_WORD && isAlnum(text.charCodeAt(start - 1))) start -= 1;
  // No word, a word too long for a vendor's, or not the token's first separator: not a key's start.
  if (start === at || at - start > MAX_WORD || isTokenChar(codeAt(text, start - 1))) return at + 1;
  const formats = FORMATS_BY_WORD.get(text.slice(start, at));
  if (formats === undefined) return at + 1;
  const end = scanForward(text, at, isTokenChar, MAX_TOKEN);
  for (const keyFormat of formats) {
    if (text.startsWith(keyFormat.prefix, start) && wholeTokenMatch(text, start, end, keyFormat.pattern, keyFormat.prefix.length)) {
      out.push({ type: 'api_key', start, end });
      break;
    }
  }
  return end;
}

function findSeparatedKeys(text: string, out: Finding[], triggers: Triggers): void {
  // Both separators in one ordered walk; written out rather than shared so that V8 inlines the visit (a
  // shared helper's callback site sees every detector and stays generic).
  let nextUnderscore = triggers.next(UNDERSCORE, 0);
  let nextDash = triggers.next(DASH, 0);
  while (nextUnderscore !== -1 || nextDash !== -1) {
    const at = nextDash === -1 || (nextUnderscore !== -1 && nextUnderscore < nextDash) ? nextUnderscore : nextDash;
    const resumeAt = visitSeparator(text, at, out);
    if (nextUnderscore !== -1 && nextUnderscore < resumeAt) nextUnderscore = triggers.next(UNDERSCORE, resumeAt);
    if (nextDash !== -1 && nextDash < resumeAt) nextDash = triggers.next(DASH, resumeAt);
  }
}

const SLACK_HOST = 'https://hooks.slack.com/';
/** Where the scheme's colon sits in SLACK_HOST. */
const SLACK_HOST_COLON = SLACK_HOST.indexOf(':');

/** A key matching `pattern` at `start`, ending at a token boundary, with a random body after `prefixLength`. */
function literalKey(text: string, start: number, pattern: RegExp, prefixLength: number, out: Finding[]): number | undefined {
  if (isTokenChar(codeAt(text, start - 1))) return undefined;
  pattern.lastIndex = start;
  if (!pattern.test(text)) return undefined;
  const end = pattern.lastIndex;
  if (isTokenChar(codeAt(text, end)) || !randomEnough(text, start, end, prefixLength)) return undefined;
  out.push({ type: 'api_key', start, end });
  return end;
}

/**
 * Looks for a Google API key (`AIza`, no separator after it) at the capital `A` at `at`, which the walk
 * over capital A's (a-prefixed-keys.ts) found; returns where the next one may start.
 */
export function visitGoogleCapitalA(text: string, at: number, out: Finding[]): number {
  if (!text.startsWith(GOOGLE_PREFIX, at)) return at + 1;
  return literalKey(text, at, GOOGLE_API_KEY, GOOGLE_PREFIX.length, out) ?? at + 1;
}

/**
 * Looks for a Slack webhook URL whose scheme's colon is at `at` (a `:` followed by `/`), which the walk
 * over colons (operators.ts) found: every colon is visited there anyway, so the URL costs no search of
 * its own.
 */
export function visitUrlColon(text: string, at: number, out: Finding[]): void {
  const start = at - SLACK_HOST_COLON;
  if (!text.startsWith(SLACK_HOST, start)) return;
  SLACK_WEBHOOK.lastIndex = start;
  if (!SLACK_WEBHOOK.test(text) || isAlnum(codeAt(text, SLACK_WEBHOOK.lastIndex))) return;
  out.push({ type: 'api_key', start, end: SLACK_WEBHOOK.lastIndex });
}

function findSendGridKeys(text: string, out: Finding[]): void {
  // SendGrid's `SG.` is found from `G.`: `G` is a rarer first character to search for than `S`.
  forEachOccurrence(text, 'G.', (at) => (codeAt(text, at - 1) === 83 ? literalKey(text, at - 1, SENDGRID_KEY, 3, out) : undefined));
}

export const apiKeyDetector: PatternDetector = {
  types: ['api_key'],
  triggers: [UNDERSCORE, DASH],
  create: () => (text, out, triggers) => {
    findSeparatedKeys(text, out, triggers);
    findSendGridKeys(text, out);
  },
};
