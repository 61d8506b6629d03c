/**
 * Deepest nesting of objects and arrays a request body may have. OpenAI request bodies nest a handful
 * of levels (tool JSON schemas a few more); 64 leaves room for any real schema. Parsing 5 million levels
 * takes seconds and re-serialising a few thousand overflows the stack, so depth is checked on the raw
 * bytes before anything else touches the body.
 */
export const MAX_JSON_DEPTH = 64;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACE = 0x7d;
const CLOSE_BRACKET = 0x5d;

/** Index of the quote that closes the string opened at `open`, or -1 when the string never closes. */
function closingQuote(bytes: Buffer, open: number): number {
  let at = open;
  for (;;) {
    // Buffer#indexOf is a native memchr: long strings (prompts) are skipped at memory speed.
    at = bytes.indexOf(QUOTE, at + 1);
    if (at < 0) return -1;
    let backslashes = 0;
    while (bytes[at - 1 - backslashes] === BACKSLASH) backslashes += 1;
    if (backslashes % 2 === 0) return at;
  }
}

/**
 * True when the JSON text nests deeper than `maxDepth`. One pass, no recursion, stops at the first level
 * too deep. UTF-8 never uses the ASCII bytes of quotes, brackets or backslash inside a multi-byte
 * character, so scanning bytes is exact; malformed JSON is left for JSON.parse to reject.
 */
export function nestsDeeperThan(body: Uint8Array, maxDepth: number = MAX_JSON_DEPTH): boolean {
  const bytes = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  let depth = 0;
  for (let index = 0; index < bytes.length; index += 1) {
    const byte = bytes[index];
    if (byte === QUOTE) {
      index = closingQuote(bytes, index);
      if (index < 0) return false;
    } else if (byte === OPEN_BRACE || byte === OPEN_BRACKET) {
      depth += 1;
      if (depth > maxDepth) return true;
    } else if (byte === CLOSE_BRACE || byte === CLOSE_BRACKET) {
      depth -= 1;
    }
  }
  return false;
}
