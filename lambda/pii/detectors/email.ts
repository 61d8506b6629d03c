import type { Finding } from '../types';
import { codeAt, isAlnum, isLetter, isWhitespace, scanBackward } from './chars';
import { forEachTrigger, type PatternDetector } from './detector';
import { AT_SIGN, type Triggers } from './triggers';

/**
 * Email addresses, found from each `@`: a local part before it, a dotted domain after it whose last label
 * is alphabetic. Not reported, because they are not someone's mailbox:
 *  - `git@github.com:org/repo.git` and other scp-style remotes (the domain is followed by `:path`);
 *  - the user part of a URL (`https://user@host`, `postgres://user:pass@host`);
 *  - `icon@2x.png`, `pkg@1.2.3`, `@decorator`, `image@sha256:…`: a file extension, a version or no local part.
 */

const MAX_LOCAL = 64;
const MAX_LABEL = 63;
const MAX_LABELS = 10;

/** Last labels that are file extensions, not top-level domains (`logo@2x.png`). */
const FILE_EXTENSIONS = new Set([
  'png', 'jpg', 'jpeg', 'gif', 'svg', 'webp', 'ico', 'bmp', 'tif', 'tiff', 'avif', 'heic',
  'js', 'mjs', 'cjs', 'ts', 'tsx', 'jsx', 'json', 'yaml', 'yml', 'toml', 'lock', 'txt', 'html', 'htm',
  'css', 'scss', 'less', 'map', 'log', 'csv', 'xml', 'pdf', 'zip', 'gz', 'tar', 'exe', 'dll', 'dylib', 'wasm',
]);

function isLocalChar(code: number): boolean {
  // letters, digits and . _ % + -
  return isAlnum(code) || code === 46 || code === 95 || code === 37 || code === 43 || code === 45;
}

function isLabelChar(code: number): boolean {
  return isAlnum(code) || code === 45;
}

/** `scheme://` right before `index`: the value is a URL's user part, not an address. */
function followsScheme(text: string, index: number): boolean {
  if (text.startsWith('://', index - 3)) return true;
  // `scheme://user:password@host`: the local part is the password.
  if (codeAt(text, index - 1) !== 58) return false;
  const userStart = scanBackward(text, index - 1, isLocalChar, MAX_LOCAL);
  return text.startsWith('://', userStart - 3);
}

/** Start of a valid local part ending just before the `@` at `at`, or -1. */
function localPartStart(text: string, at: number): number {
  let start = scanBackward(text, at, isLocalChar, MAX_LOCAL);
  // A local part starts with a letter, digit or underscore: `.`, `+`, `-`, `%` before it are punctuation.
  while (start < at && !isAlnum(codeAt(text, start)) && codeAt(text, start) !== 95) start += 1;
  if (start === at || codeAt(text, at - 1) === 46) return -1;
  if (text.slice(start, at).includes('..')) return -1;
  return followsScheme(text, start) ? -1 : start;
}

/** End of a valid domain starting at `from`, or -1. */
function domainEnd(text: string, from: number): number {
  let index = from;
  let labels = 0;
  let lastLabelStart = from;
  while (labels < MAX_LABELS) {
    const labelStart = index;
    while (index - labelStart < MAX_LABEL && isLabelChar(codeAt(text, index))) index += 1;
    if (index === labelStart || codeAt(text, labelStart) === 45 || codeAt(text, index - 1) === 45) return -1;
    labels += 1;
    lastLabelStart = labelStart;
    if (codeAt(text, index) !== 46 || !isAlnum(codeAt(text, index + 1))) break;
    index += 1;
  }
  if (labels < 2 || !isTopLevelDomain(text.slice(lastLabelStart, index))) return -1;
  return index;
}

function isTopLevelDomain(label: string): boolean {
  if (label.startsWith('xn--')) return label.length > 4;
  if (label.length < 2 || label.length > 24) return false;
  for (let i = 0; i < label.length; i += 1) if (!isLetter(label.charCodeAt(i))) return false;
  return !FILE_EXTENSIONS.has(label.toLowerCase());
}

/** `host:path` (or `host:port`) right after the domain: an ssh or scp-style git remote, not a mailbox. */
function isRemotePath(text: string, end: number): boolean {
  if (codeAt(text, end) !== 58) return false;
  const next = codeAt(text, end + 1);
  return next !== 0 && !isWhitespace(next);
}

function findEmails(text: string, out: Finding[], triggers: Triggers): void {
  forEachTrigger(triggers, AT_SIGN, (at) => {
    const start = localPartStart(text, at);
    if (start === -1) return undefined;
    const end = domainEnd(text, at + 1);
    if (end === -1 || isRemotePath(text, end)) return undefined;
    out.push({ type: 'email', start, end });
    return end;
  });
}

export const emailDetector: PatternDetector = {
  types: ['email'],
  triggers: [AT_SIGN],
  create: () => findEmails,
};
