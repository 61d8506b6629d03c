/**
 * Character classes over UTF-16 code units, read with `codeAt`, which gives 0 past either end of the text:
 * no class contains 0, so callers test the neighbours of a match without bounds checks. (Not NaN, which
 * `charCodeAt` gives: one NaN in V8's type feedback turns every comparison of these hot functions from
 * small-integer to floating-point code, and scans of short texts meet the ends all the time.)
 */

export function codeAt(text: string, index: number): number {
  return text.charCodeAt(index) | 0;
}

export function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

export function isUpper(code: number): boolean {
  return code >= 65 && code <= 90;
}

function isLower(code: number): boolean {
  return code >= 97 && code <= 122;
}

export function isLetter(code: number): boolean {
  return isUpper(code) || isLower(code);
}

export function isAlnum(code: number): boolean {
  return isDigit(code) || isLetter(code);
}

/** A character of an identifier (`\w`): a value glued to one is part of a longer word. */
export function isWordChar(code: number): boolean {
  return isAlnum(code) || code === 95;
}

/** A character of a key-shaped token: base64url, which most API keys are written in. */
export function isTokenChar(code: number): boolean {
  return isWordChar(code) || code === 45;
}

export function isHex(code: number): boolean {
  return isDigit(code) || (code >= 65 && code <= 70) || (code >= 97 && code <= 102);
}

export function isSpaceOrTab(code: number): boolean {
  return code === 32 || code === 9;
}

export function isWhitespace(code: number): boolean {
  return code === 32 || code === 9 || code === 10 || code === 13 || code === 12 || code === 11;
}

/** Index of the first character from `from` that fails `test` (at most `limit` characters on). */
export function scanForward(text: string, from: number, test: (code: number) => boolean, limit = text.length): number {
  const end = Math.min(text.length, from + limit);
  let index = from;
  // In bounds by construction, so charCodeAt itself: no call in the hottest loop.
  while (index < end && test(text.charCodeAt(index))) index += 1;
  return index;
}

/** Index of the first character of the run of `test` characters ending just before `before`. */
export function scanBackward(text: string, before: number, test: (code: number) => boolean, limit = before): number {
  const stop = Math.max(0, before - limit);
  let index = before;
  while (index > stop && test(text.charCodeAt(index - 1))) index -= 1;
  return index;
}

/** Counts the character classes in a value: lower, upper, digit, other. */
export function characterClasses(value: string): number {
  let lower = 0;
  let upper = 0;
  let digit = 0;
  let other = 0;
  for (let i = 0; i < value.length; i += 1) {
    const code = value.charCodeAt(i);
    if (isLower(code)) lower = 1;
    else if (isUpper(code)) upper = 1;
    else if (isDigit(code)) digit = 1;
    else other = 1;
  }
  return lower + upper + digit + other;
}

/** Occurrences per ASCII character, for shannonEntropy: zeroed again before it returns. */
const ASCII_COUNTS = new Uint32Array(128);

/**
 * Shannon entropy in bits per character of the value's own character distribution. Every candidate key
 * and secret value is measured, so ASCII characters are counted in a typed array rather than a Map (a
 * few times faster); characters are summed in order of first occurrence, as a Map would iterate them.
 */
export function shannonEntropy(value: string): number {
  let others: Map<number, number> | undefined;
  for (let i = 0; i < value.length; i += 1) {
    const code = value.charCodeAt(i);
    if (code < 128) {
      ASCII_COUNTS[code] = (ASCII_COUNTS[code] ?? 0) + 1;
    } else {
      others ??= new Map<number, number>();
      others.set(code, (others.get(code) ?? 0) + 1);
    }
  }
  let bits = 0;
  for (let i = 0; i < value.length; i += 1) {
    const code = value.charCodeAt(i);
    // Each character's count is taken at its first occurrence and cleared, so it is summed once.
    const count = code < 128 ? (ASCII_COUNTS[code] ?? 0) : (others?.get(code) ?? 0);
    if (count === 0) continue;
    if (code < 128) ASCII_COUNTS[code] = 0;
    else others?.delete(code);
    const p = count / value.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}
