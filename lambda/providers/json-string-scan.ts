/**
 * Reading a JSON string's extent and decoded length without parsing the document: what the pass-through
 * taps use to count generated characters per event cheaply. Inside a JSON string every `"` is escaped,
 * so a match on `"key":"` can only be real structure.
 */
const BACKSLASH = 92;
const LETTER_U = 117;

/** Index of the `"` closing the JSON string whose body starts at `start`, or -1 if it never closes. */
export function closingQuote(json: string, start: number): number {
  let quote = json.indexOf('"', start);
  while (quote !== -1) {
    let backslashes = 0;
    for (let i = quote - 1; i >= start && json.charCodeAt(i) === BACKSLASH; i--) backslashes++;
    if (backslashes % 2 === 0) return quote;
    quote = json.indexOf('"', quote + 1);
  }
  return -1;
}

/** Length of the decoded string json[start, end): each `\x` escape is one unit, each `\uXXXX` one unit. */
export function decodedLength(json: string, start: number, end: number): number {
  let length = end - start;
  let slash = json.indexOf('\\', start);
  while (slash !== -1 && slash < end) {
    const width = json.charCodeAt(slash + 1) === LETTER_U ? 6 : 2;
    length -= width - 1;
    slash = json.indexOf('\\', slash + width);
  }
  return length;
}
