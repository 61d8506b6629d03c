import type { Finding } from '../types';
import { codeAt, isSpaceOrTab, scanBackward } from './chars';
import type { PatternDetector } from './detector';
import { isAwsSecretName, isSecretName } from './secret-names';
import { isSecretValue, MIN_SECRET_LENGTH } from './secret-values';

/**
 * Secrets assigned to secret-looking names, in the syntaxes prompts carry: `KEY=v` (env files, shell,
 * `export`), `key: v` (YAML, HTTP headers), `"key": "v"` (JSON, also `\"`-escaped inside a JSON string),
 * `key = "v"` (TOML, Python, Go `:=`), `key => 'v'` (PHP, Ruby), `key="v"` (Python keyword arguments),
 * `apiKey: string = "v"` (type annotations), `?token=v&` (query strings). The finding is the value only.
 * An AWS secret access key (40 base64 characters under an AWS secret name) is reported as aws_secret_key.
 *
 * The scan is value-first: every `=` and `:` (found with indexOf) is checked for 16 value characters
 * after it — rare outside assignments — and only then is the name before it read.
 */

const MAX_NAME = 80;
const MAX_VALUE = 512;
const AWS_SECRET_VALUE = /^[A-Za-z0-9/+]{40}$/;
const TYPE_ANNOTATIONS = new Set(['string', 'String', 'str', 'SecretStr', 'any', 'bytes']);
const AUTH_SCHEME = /^(?:Bearer|Basic|Token|token|bearer)\s+/;

/** Length of an HTTP auth scheme (`Bearer `, `Basic `, `Token `) at `index`; the credential follows it. */
function authSchemeLength(text: string, index: number): number {
  const first = codeAt(text, index) | 32;
  // b or t: most values start otherwise, and this runs for every `=` and `:`.
  if (first !== 98 && first !== 116) return 0;
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

/** The name ending just before `end` (skipping spaces, a closing quote, a `]`), or undefined. */
function nameBefore(text: string, end: number, allowAnnotation = true): string | undefined {
  let index = scanBackward(text, end, isSpaceOrTab, 8);
  if (isQuote(codeAt(text, index - 1))) index -= 1;
  if (codeAt(text, index - 1) === 92) index -= 1;
  if (codeAt(text, index - 1) === 93 && isQuote(codeAt(text, index - 2))) index -= 2;
  const start = scanBackward(text, index, isNameChar, MAX_NAME);
  if (start === index) return undefined;
  const name = text.slice(start, index);
  // `apiKey: string = "…"`: the name is before the type annotation.
  if (allowAnnotation && TYPE_ANNOTATIONS.has(name)) {
    const colon = scanBackward(text, start, isSpaceOrTab, 8) - 1;
    return codeAt(text, colon) === 58 ? nameBefore(text, colon, false) : undefined;
  }
  return name.replace(/^[-.]+/, '');
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
  const before = text.charAt(at - 1);
  const after = text.charAt(at + 1);
  if (codeAt(text, at) === 58) return after === ':' || before === ':' ? -1 : at;
  if (after === '=' || before === '=' || before === '!' || before === '<' || before === '>') return -1;
  return before === ':' ? at - 1 : at;
}

/**
 * Whether 16 value characters follow the operator at `at`: the cheap test most `=` and `:` fail. It runs
 * for every one of them, so it reads with charCodeAt itself, having checked that the text is long enough.
 */
function valueFollows(text: string, at: number): boolean {
  // Operator, `>`, up to 7 spaces, `\`, a quote, `Bearer `, and the value.
  if (at + 18 + MIN_SECRET_LENGTH + 8 > text.length) return valueFollowsNearEnd(text, at);
  let index = at + 1;
  if (text.charCodeAt(index) === 62) index += 1;
  while (isSpaceOrTab(text.charCodeAt(index)) && index - at < 8) index += 1;
  if (text.charCodeAt(index) === 92) index += 1;
  if (isQuote(text.charCodeAt(index))) index += 1;
  index += authSchemeLength(text, index);
  for (let end = index + MIN_SECRET_LENGTH; index < end; index += 1) {
    const code = text.charCodeAt(index);
    if (code <= 32 || isQuote(code)) return false;
  }
  return true;
}

/** valueFollows near the end of the text, where reads may fall past it. */
function valueFollowsNearEnd(text: string, at: number): boolean {
  let index = at + 1;
  if (codeAt(text, index) === 62) index += 1;
  while (isSpaceOrTab(codeAt(text, index)) && index - at < 8) index += 1;
  if (codeAt(text, index) === 92) index += 1;
  if (isQuote(codeAt(text, index))) index += 1;
  index += authSchemeLength(text, index);
  if (index + MIN_SECRET_LENGTH > text.length) return false;
  for (let end = index + MIN_SECRET_LENGTH; index < end; index += 1) {
    const code = codeAt(text, index);
    if (code <= 32 || isQuote(code)) return false;
  }
  return true;
}

export const secretAssignmentDetector: PatternDetector = {
  types: ['secret_assignment', 'aws_secret_key'],
  create(enabled) {
    const wantSecrets = enabled.has('secret_assignment');
    const wantAws = enabled.has('aws_secret_key');
    const visit = (text: string, at: number, out: Finding[]): number => {
      if (!valueFollows(text, at)) return at + 1;
      const opStart = operatorStart(text, at);
      const name = opStart === -1 ? undefined : nameBefore(text, opStart);
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
    };
    return (text: string, out: Finding[]) => {
      // Both operators in one ordered walk, each found by indexOf (the loop is written out, not shared, so
      // V8 can inline `visit`: a shared helper's callback site sees every detector and stays generic).
      let nextEquals = text.indexOf('=');
      let nextColon = text.indexOf(':');
      while (nextEquals !== -1 || nextColon !== -1) {
        const at = nextColon === -1 || (nextEquals !== -1 && nextEquals < nextColon) ? nextEquals : nextColon;
        const resumeAt = visit(text, at, out);
        if (nextEquals !== -1 && nextEquals < resumeAt) nextEquals = text.indexOf('=', resumeAt);
        if (nextColon !== -1 && nextColon < resumeAt) nextColon = text.indexOf(':', resumeAt);
      }
    };
  },
};
