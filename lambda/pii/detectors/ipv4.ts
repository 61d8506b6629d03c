import type { Finding } from '../types';
import { codeAt, isAlnum, isLetter, isWordChar } from './chars';
import { gluedAfter, runLength, runText, separatorAfter, type DigitRuns } from './digit-runs';
import { isPrivateBlockBound, isSpecialIpv4 } from './special-addresses';

/**
 * IPv4 addresses: four decimal octets 0–255 without leading zeros, joined by dots. A fifth dotted part, a
 * letter or dot before (`v1.2.3.4`, `1.1.2.3.4`), or a version context before (`version 1.0.0.0`,
 * `AssemblyVersion("1.0.0.0")`, `==1.2.3.4`) makes it a version string instead, and a section context
 * (`section 7.1.1.1`, `§7.1.1.1`) a section number. Three parts (`1.2.3`) never qualify. Special-purpose
 * addresses (`127.0.0.1`, `0.0.0.0`, `169.254.169.254`, `255.255.255.0`, documentation ranges) and the bounds
 * of the private blocks (`10.0.0.0`, `192.168.255.255`) name nobody's host and are not reported
 * (special-addresses.ts).
 */

const VERSION_WORDS = new Set(['ver', 'v', 'release', 'build', 'firmware', 'rev', 'revision']);
/** Words before a section number of a specification (`RFC 7231 section 7.1.1.1`, `#section-7.1.1.1`). */
const SECTION_WORDS = new Set(['section', 'sec', 'chapter', 'clause', 'paragraph', 'appendix', 'annex']);

function isOneOf(characters: string, character: string): boolean {
  return character !== '' && characters.includes(character);
}

function validOctet(runs: DigitRuns, index: number): boolean {
  const length = runLength(runs, index);
  const octet = runText(runs, index);
  if (length < 1 || length > 3 || (length > 1 && octet.charCodeAt(0) === 48)) return false;
  return Number(octet) <= 255;
}

/** The letters (and digits, with `digits`) right before `end`, lower-cased. */
function wordBefore(text: string, end: number, digits = false): string {
  let start = end;
  while (start > 0 && end - start < 32 && (digits ? isAlnum : isLetter)(codeAt(text, start - 1))) start -= 1;
  return text.slice(start, end).toLowerCase();
}

/**
 * `version 1.0.0.0`, `v: 1.2.3.4`, `^1.2.3.4`, `==1.2.3.4`: a version, not an address. (`user@1.2.3.4` is
 * an ssh target: package versions after `@` have three parts.)
 */
function inVersionContext(text: string, start: number): boolean {
  let index = start;
  const before = codeAt(text, index - 1);
  // ^ ~, and § or $ before a section number (`§7.1.1.1`, `HTML$8.6.1.5` in spec references).
  if (before === 94 || before === 126 || before === 167 || before === 36) return true;
  // == >= <= ~= !=
  if (before === 61 && isOneOf('=<>~!', text.charAt(index - 2))) return true;
  while (start - index < 4 && isOneOf(' :=-', text.charAt(index - 1))) index -= 1;
  const word = wordBefore(text, index);
  if (SECTION_WORDS.has(word)) return true;
  if (VERSION_WORDS.has(word) && !isWordChar(codeAt(text, index - word.length - 1))) return true;
  // `version 1.0.0.0`, `AssemblyVersion("1.0.0.0")`, `fileVersion: '1.2.3.4'`, version `1.2.0.0` in Markdown, and V8's, whose versions have four
  // parts (`v8: '11.3.244.8'`, as `process.versions` prints it).
  while (start - index < 4 && isOneOf(' :="\'(`', text.charAt(index - 1))) index -= 1;
  return wordBefore(text, index).endsWith('version') || wordBefore(text, index, true) === 'v8';
}

/** An IPv4 address starting at run `k`, or undefined. */
export function matchIpv4(runs: DigitRuns, k: number): Finding | undefined {
  const { text, starts, ends } = runs;
  if (k + 3 >= starts.length) return undefined;
  for (let i = k; i < k + 3; i += 1) if (separatorAfter(runs, i) !== '.') return undefined;
  for (let i = k; i <= k + 3; i += 1) if (!validOctet(runs, i)) return undefined;
  const start = starts[k] ?? 0;
  const end = ends[k + 3] ?? 0;
  const before = codeAt(text, start - 1);
  if (isWordChar(before) || before === 46) return undefined;
  // A port (`:8080`) or prefix length (`/24`) may follow; a fifth part or a letter may not.
  if (isWordChar(codeAt(text, end)) || (codeAt(text, end) === 46 && gluedAfter(text, end))) return undefined;
  if (inVersionContext(text, start)) return undefined;
  const a = Number(runText(runs, k));
  const b = Number(runText(runs, k + 1));
  const c = Number(runText(runs, k + 2));
  if (isSpecialIpv4(a, b, c) || isPrivateBlockBound(a, b, c, Number(runText(runs, k + 3)))) return undefined;
  return { type: 'ip_address', start, end };
}
