/**
 * Bounds on caller-supplied text. Anything a caller sends can end up in a usage record (DynamoDB items
 * are capped at 400 KB, and one oversized item fails the whole batch it is written in), in a log line
 * or in an error body; each of those copies a bounded prefix, never the caller's full string.
 */

/** Longest caller string copied into a usage record or a log line (model, user, user-agent). */
export const MAX_RECORDED_TEXT = 256;

/** Longest piece of caller input an error message quotes. */
export const MAX_QUOTED_TEXT = 100;

const ELLIPSIS = '…';

/** `text` cut to at most `max` characters, marked with an ellipsis when it was cut. */
export function capText(text: string, max: number = MAX_RECORDED_TEXT): string {
  if (text.length <= max) return text;
  // Cut on a code-point boundary so a surrogate pair is never split into invalid UTF-16.
  let cut = max - ELLIPSIS.length;
  const code = text.charCodeAt(cut - 1);
  if (code >= 0xd800 && code <= 0xdbff) cut -= 1;
  return `${text.slice(0, cut)}${ELLIPSIS}`;
}

/** Caller input as an error message quotes it: at most MAX_QUOTED_TEXT characters. */
export function quoteCallerText(text: string): string {
  return capText(text, MAX_QUOTED_TEXT);
}
