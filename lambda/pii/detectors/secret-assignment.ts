import type { Finding } from '../types';
import { codeAt, isSpaceOrTab } from './chars';
import { isAwsSecretName, isSecretName, mayNameSecretIn } from './secret-names';
import { isSecretValue, MIN_SECRET_LENGTH } from './secret-values';

/**
 * Secrets assigned to secret-looking names, in the syntaxes prompts carry: `KEY=v` (env files, shell,
 * `export`), `key: v` (YAML, HTTP headers), `"key": "v"` (JSON, also `\"`-escaped inside a JSON string),
 * `key = "v"` (TOML, Python, Go `:=`), `key => 'v'` (PHP, Ruby), `key="v"` (Python keyword arguments),
 * `apiKey: string = "v"` (type annotations), `?token=v&` (query strings). The finding is the value only.
 * An AWS secret access key (40 base64 characters under an AWS secret name) is reported as aws_secret_key.
 *
 * The scan is value-first: every `=` and `:` (found by the shared operator walk, operators.ts) is checked
 * for 16 characters after it that could begin a secret — rare outside assignments — and only then is the
 * name before it read.
 */

const MAX_NAME = 80;
const MAX_VALUE = 512;
const AWS_SECRET_VALUE = /^[A-Za-z0-9/+]{40}$/;
const TYPE_ANNOTATIONS: readonly string[] = ['string', 'String', 'str', 'SecretStr', 'any', 'bytes'];
const AUTH_SCHEME = /^(?:Bearer|Basic|Token|token|bearer)\s+/;

/** Length of an HTTP auth scheme (`Bearer `, `Basic `, `Token `) at `index`; the credential follows it. */
function authSchemeLength(text: string, index: number): number {
  const first = codeAt(text, index) | 32;
  // b or t, then the second and third letters of a scheme (`ea`, `as`, `ok`): this runs for every `=` and
  // `:`, and values starting with b or t (`true`, `text`, `boolean`) are common; few get to the regex.
  if (first !== 98 && first !== 116) return 0;
  const second = codeAt(text, index + 1);
  const third = codeAt(text, index + 2);
  if (!(second === 101 && third === 97) && !(second === 97 && third === 115) && !(second === 111 && third === 107)) return 0;
  const scheme = AUTH_SCHEME.exec(text.slice(index, index + 8));
  return scheme === null ? 0 : scheme[0].length;
}

function isNameChar(code: number): boolean {
  // letters, digits, _ - .
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95 || code === 45 || code === 46;
}

/** What ends an unquoted value: whitespace, or `,;)}]&|"'\`\\<>` (env files, URLs, YAML, tables, code). */
function endsUnquotedValue(code: number): boolean {
  return code <= 32 || code === 44 || code === 59 || code === 41 || code === 125 || code === 93 || code === 38
    || code === 124 || code === 34 || code === 39 || code === 96 || code === 92 || code === 60 || code === 62;
}

function isQuote(code: number): boolean {
  return code === 34 || code === 39 || code === 96;
}

/** Whether `text[start, end)` is one of TYPE_ANNOTATIONS, compared in place: most names are not sliced out. */
function isTypeAnnotation(text: string, start: number, end: number): boolean {
  for (const annotation of TYPE_ANNOTATIONS) {
    if (annotation.length === end - start && text.startsWith(annotation, start)) return true;
  }
  return false;
}

/**
 * The name ending just before `end` (skipping spaces, a closing quote, a `]`) when it may name a secret
 * (mayNameSecretIn), or undefined. Read in place and sliced out only then: few names pass, and this runs
 * for every operator a value follows.
 */
function secretNameBefore(text: string, end: number, allowAnnotation = true): string | undefined {
  let index = end;
  while (index > end - 8 && isSpaceOrTab(codeAt(text, index - 1))) index -= 1;
  if (isQuote(codeAt(text, index - 1))) index -= 1;
  if (codeAt(text, index - 1) === 92) index -= 1;
  if (codeAt(text, index - 1) === 93 && isQuote(codeAt(text, index - 2))) index -= 2;
  // Written out rather than through scanBackward: this runs for every operator a value follows, and a
  // shared helper's callback would not be inlined.
  let start = index;
  while (start > 0 && index - start < MAX_NAME && isNameChar(text.charCodeAt(start - 1))) start -= 1;
  // `apiKey: string = "…"`: the name is before the type annotation.
  if (allowAnnotation && isTypeAnnotation(text, start, index)) {
    let colon = start - 1;
    while (colon > start - 9 && isSpaceOrTab(codeAt(text, colon))) colon -= 1;
    return codeAt(text, colon) === 58 ? secretNameBefore(text, colon, false) : undefined;
  }
  // Leading dashes and dots are a flag's (`--db-password`) or a member access's, not the name's.
  while (start < index && (codeAt(text, start) === 45 || codeAt(text, start) === 46)) start += 1;
  return start === index || !mayNameSecretIn(text, start, index) ? undefined : text.slice(start, index);
}

/** Bounds of the value starting at `from` (after the operator), or undefined. */
function valueAfter(text: string, from: number): { start: number; end: number } | undefined {
  let start = from;
  while (isSpaceOrTab(codeAt(text, start))) start += 1;
  let quote = '';
  if (codeAt(text, start) === 92 && isQuote(codeAt(text, start + 1))) quote = text.slice(start, start + 2);
  else if (isQuote(codeAt(text, start))) quote = text.charAt(start);
  start += quote.length;
  start += authSchemeLength(text, start);
  let end = start;
  const limit = Math.min(text.length, start + MAX_VALUE);
  if (quote !== '') {
    const close = text.indexOf(quote, start);
    if (close === -1 || close > limit) return undefined;
    end = close;
  } else {
    while (end < limit && !endsUnquotedValue(codeAt(text, end))) end += 1;
    while (end > start && codeAt(text, end - 1) === 46) end -= 1;
  }
  return end > start ? { start, end } : undefined;
}

/** Where the operator at `at` starts, or -1 when it is a comparison (`==`, `!=`, `<=`, `>=`, `::`). */
function operatorStart(text: string, at: number): number {
  const before = codeAt(text, at - 1);
  const after = codeAt(text, at + 1);
  // : = ! < >
  if (codeAt(text, at) === 58) return after === 58 || before === 58 ? -1 : at;
  if (after === 61 || before === 61 || before === 33 || before === 60 || before === 62) return -1;
  return before === 58 ? at - 1 : at;
}

/** VALUE_BREAKS bits: the character cannot be inside a quoted value, or inside an unquoted one. */
const BREAKS_QUOTED = 1;
const BREAKS_UNQUOTED = 2;
/**
 * Per ASCII character, which values it cannot be part of: whitespace, quotes and `(` none (a call is
 * never a secret: see isSecretValue), what ends an unquoted value (endsUnquotedValue) the unquoted ones.
 * Other characters are part of any value. A table, since windowCouldBeValue reads it for every character
 * it looks at: one load instead of a dozen comparisons.
 */
const VALUE_BREAKS = new Uint8Array(128);
for (let code = 0; code < 128; code += 1) {
  const breaksAny = code === 40 || code <= 32 || isQuote(code);
  VALUE_BREAKS[code] = (breaksAny ? BREAKS_QUOTED : 0) | (breaksAny || endsUnquotedValue(code) ? BREAKS_UNQUOTED : 0);
}

function breaksValue(code: number, breaks: number): boolean {
  return code < 128 && ((VALUE_BREAKS[code] ?? 0) & breaks) !== 0;
}

/**
 * Whether the 16 characters from `index` could begin a value that passes: none of them ends the value
 * (a value that stops inside this window is too short) or rules it out. Most operators fail here, so it
 * is the cheap test of the scan. The caller checks the window is in the text.
 */
function windowCouldBeValue(text: string, index: number, quoted: boolean): boolean {
  const breaks = quoted ? BREAKS_QUOTED : BREAKS_UNQUOTED;
  // The far end and the middle first: a word or a number usually ends before them, and then one or two
  // reads settle it instead of reading up to the first break.
  if (breaksValue(text.charCodeAt(index + MIN_SECRET_LENGTH - 1), breaks) || breaksValue(text.charCodeAt(index + 7), breaks)) return false;
  for (let end = index + MIN_SECRET_LENGTH; index < end; index += 1) {
    if (breaksValue(text.charCodeAt(index), breaks)) return false;
  }
  return true;
}

/**
 * Whether a value could follow the operator at `at`. It runs for every `=` and `:`, so it reads with
 * charCodeAt itself, having checked that the text is long enough.
 */
function valueFollows(text: string, at: number): boolean {
  // Operator, `>`, up to 7 spaces, `\`, a quote, `Bearer `, and the value.
  if (at + 18 + MIN_SECRET_LENGTH + 8 > text.length) return valueFollowsNearEnd(text, at);
  let index = at + 1;
  if (text.charCodeAt(index) === 62) index += 1;
  while (isSpaceOrTab(text.charCodeAt(index)) && index - at < 8) index += 1;
  if (text.charCodeAt(index) === 92) index += 1;
  const quoted = isQuote(text.charCodeAt(index));
  if (quoted) index += 1;
  index += authSchemeLength(text, index);
  return windowCouldBeValue(text, index, quoted);
}

/** valueFollows near the end of the text, where reads may fall past it. */
function valueFollowsNearEnd(text: string, at: number): boolean {
  let index = at + 1;
  if (codeAt(text, index) === 62) index += 1;
  while (isSpaceOrTab(codeAt(text, index)) && index - at < 8) index += 1;
  if (codeAt(text, index) === 92) index += 1;
  const quoted = isQuote(codeAt(text, index));
  if (quoted) index += 1;
  index += authSchemeLength(text, index);
  return index + MIN_SECRET_LENGTH <= text.length && windowCouldBeValue(text, index, quoted);
}

/**
 * Looks for a secret assigned by the operator (`=` or `:`) at `at`; returns where the walk may resume.
 * A plain function with the enabled types as arguments (not a closure per scanner), so that the walk's
 * call site sees one target and V8 inlines it.
 */
export function visitOperator(text: string, at: number, out: Finding[], wantSecrets: boolean, wantAws: boolean): number {
  if (!valueFollows(text, at)) return at + 1;
  const opStart = operatorStart(text, at);
  // One cheap test for both types (in secretNameBefore) before either reads the name's words.
  const name = opStart === -1 ? undefined : secretNameBefore(text, opStart);
  if (name === undefined) return at + 1;
  const asAws = wantAws && isAwsSecretName(name);
  const asSecret = wantSecrets && isSecretName(name);
  if (!asAws && !asSecret) return at + 1;
  const value = valueAfter(text, codeAt(text, at + 1) === 62 ? at + 2 : at + 1);
  if (value === undefined) return at + 1;
  const valueText = text.slice(value.start, value.end);
  if (asAws && AWS_SECRET_VALUE.test(valueText)) out.push({ type: 'aws_secret_key', start: value.start, end: value.end });
  else if (asSecret && isSecretValue(valueText)) out.push({ type: 'secret_assignment', start: value.start, end: value.end });
  return Math.max(at + 1, value.end);
}
