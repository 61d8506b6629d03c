import type { Finding } from '../types';
import { codeAt, isSpaceOrTab } from './chars';
import { isAwsSecretName, isSecretName, mayNameSecretIn } from './secret-names';
import { DOCUMENTATION_EXAMPLE, isSecretValue, MIN_SECRET_LENGTH } from './secret-values';

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
  // charCodeAt itself, `| 0` as in codeAt (0 outside the text): this runs inside the operator walk, whose
  // inlining budget is spent before it, and each codeAt would stay a call.
  let index = end;
  while (index > end - 8 && isSpaceOrTab(text.charCodeAt(index - 1) | 0)) index -= 1;
  if (isQuote(text.charCodeAt(index - 1) | 0)) index -= 1;
  if ((text.charCodeAt(index - 1) | 0) === 92) index -= 1;
  if ((text.charCodeAt(index - 1) | 0) === 93 && isQuote(text.charCodeAt(index - 2) | 0)) index -= 2;
  // Written out rather than through scanBackward: this runs for every operator a value follows, and a
  // shared helper's callback would not be inlined.
  let start = index;
  while (start > 0 && index - start < MAX_NAME && isNameChar(text.charCodeAt(start - 1))) start -= 1;
  // `apiKey: string = "…"`: the name is before the type annotation.
  if (allowAnnotation && isTypeAnnotation(text, start, index)) {
    let colon = start - 1;
    while (colon > start - 9 && isSpaceOrTab(text.charCodeAt(colon) | 0)) colon -= 1;
    return (text.charCodeAt(colon) | 0) === 58 ? secretNameBefore(text, colon, false) : undefined;
  }
  // Colons glued to both sides join the segments of one identifier (`arn:aws:secretsmanager:…:secret:name`, a
  // URN), where nothing is assigned; a YAML key written as a Ruby symbol (`:password: …`) is still a name.
  if ((text.charCodeAt(end) | 0) === 58 && (text.charCodeAt(start - 1) | 0) === 58 && (text.charCodeAt(start - 2) | 0) > 32) return undefined;
  // Leading dashes and dots are a flag's (`--db-password`) or a member access's, not the name's.
  while (start < index && ((text.charCodeAt(start) | 0) === 45 || (text.charCodeAt(start) | 0) === 46)) start += 1;
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
  const before = text.charCodeAt(at - 1) | 0;
  const after = text.charCodeAt(at + 1) | 0;
  // : = ! < >
  if ((text.charCodeAt(at) | 0) === 58) return after === 58 || before === 58 ? -1 : at;
  if (after === 61 || before === 61 || before === 33 || before === 60 || before === 62) return -1;
  return before === 58 ? at - 1 : at;
}

/** VALUE_BREAKS bits: the character cannot be inside a quoted value, or inside an unquoted one. */
const BREAKS_QUOTED = 1;
const BREAKS_UNQUOTED = 2;
/**
 * Per UTF-16 code unit, which values it cannot be part of: whitespace, quotes and `(` none (a call is
 * never a secret: see isSecretValue), what ends an unquoted value (endsUnquotedValue) the unquoted ones.
 * Other characters are part of any value. A table over every code unit (64 KiB), since valueFollows reads
 * it for every character it looks at: one load, without even a range check, instead of a dozen comparisons.
 */
const VALUE_BREAKS = new Uint8Array(65536);
for (let code = 0; code < 128; code += 1) {
  const breaksAny = code === 40 || code <= 32 || isQuote(code);
  VALUE_BREAKS[code] = (breaksAny ? BREAKS_QUOTED : 0) | (breaksAny || endsUnquotedValue(code) ? BREAKS_UNQUOTED : 0);
}

/** Characters valueFollows may read past the operator: `>`, 7 spaces, `\`, a quote, an auth scheme's 8, the window. */
const MAX_VALUE_LOOKAHEAD = 1 + 1 + 7 + 1 + 1 + 8 + MIN_SECRET_LENGTH;

/**
 * Whether a value could follow the operator at `at`: none of the 16 characters where it would start
 * (after `>`, up to 7 spaces, `\`, a quote, an HTTP auth scheme) ends or rules out a value. It runs for
 * every `=` and `:` and fails for nine in ten, so it is one function reading with charCodeAt itself: the
 * far end of the window and its middle first (a word or a number usually ends before them), the auth
 * scheme only for values starting with `b` or `t`.
 */
export function valueFollows(text: string, at: number): boolean {
  if (at + MAX_VALUE_LOOKAHEAD >= text.length) return valueFollowsNearEnd(text, at);
  let index = at + 1;
  let code = text.charCodeAt(index);
  if (code === 62) code = text.charCodeAt(++index);
  while ((code === 32 || code === 9) && index - at < 8) code = text.charCodeAt(++index);
  if (code === 92) code = text.charCodeAt(++index);
  let breaks = BREAKS_UNQUOTED;
  if (isQuote(code)) {
    breaks = BREAKS_QUOTED;
    code = text.charCodeAt(++index);
  }
  if ((code | 32) === 98 || (code | 32) === 116) index += authSchemeLength(text, index);
  const end = index + MIN_SECRET_LENGTH;
  if ((VALUE_BREAKS[text.charCodeAt(end - 1)] ?? 0) & breaks || (VALUE_BREAKS[text.charCodeAt(index + 7)] ?? 0) & breaks) return false;
  for (; index < end; index += 1) if ((VALUE_BREAKS[text.charCodeAt(index)] ?? 0) & breaks) return false;
  return true;
}

/** valueFollows near the end of the text, where reads may fall past it: the same steps through codeAt. */
function valueFollowsNearEnd(text: string, at: number): boolean {
  let index = at + 1;
  if (codeAt(text, index) === 62) index += 1;
  while (isSpaceOrTab(codeAt(text, index)) && index - at < 8) index += 1;
  if (codeAt(text, index) === 92) index += 1;
  const breaks = isQuote(codeAt(text, index)) ? BREAKS_QUOTED : BREAKS_UNQUOTED;
  if (breaks === BREAKS_QUOTED) index += 1;
  index += authSchemeLength(text, index);
  const end = index + MIN_SECRET_LENGTH;
  if (end > text.length) return false;
  for (; index < end; index += 1) if ((VALUE_BREAKS[text.charCodeAt(index)] ?? 0) & breaks) return false;
  return true;
}

/**
 * Looks for a secret assigned by the operator (`=` or `:`) at `at`, which valueFollows accepted; returns
 * where the walk may resume. A plain function with the enabled types as arguments (not a closure per
 * scanner), so that the walk's call site sees one target.
 */
export function visitOperator(text: string, at: number, out: Finding[], wantSecrets: boolean, wantAws: boolean): number {
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
  if (asAws && AWS_SECRET_VALUE.test(valueText) && !DOCUMENTATION_EXAMPLE.test(valueText)) out.push({ type: 'aws_secret_key', start: value.start, end: value.end });
  else if (asSecret && isSecretValue(valueText, name)) out.push({ type: 'secret_assignment', start: value.start, end: value.end });
  return Math.max(at + 1, value.end);
}
