/**
 * The redacted values of one request, compiled for restoring: exact look-up of a whole placeholder,
 * and the set of texts that could still grow into one, so a restorer holds back only what might
 * really become a placeholder of this request (a `[NOTE` the map cannot complete goes on at once).
 */

/** The shape every key must have: what the restorer's scan can recognise. */
const KEY_SHAPE = /^\[[A-Z0-9_]+\]$/;

export interface PlaceholderTable {
  /** The original behind a whole placeholder (`[EMAIL_1]`), or undefined when it is not one of this request's. */
  original(placeholder: string): string | undefined;
  /** The original JSON-escaped (no quotes), for insertion inside a JSON string literal. */
  escapedOriginal(placeholder: string): string | undefined;
  /** `text` (`[` then label characters, no `]`) is the start of some placeholder of this request. */
  couldBecomePlaceholder(text: string): boolean;
  /**
   * Cheap pre-check of raw JSON text (an SSE event's data, a JSON body): false means no string in it
   * contains one of the table's placeholders, nor ends with the start of one (`…[E"`). JSON never
   * escapes `[`, `]`, capitals, digits or `_`, so a placeholder in a string is written as it is.
   */
  mayContainPlaceholder(json: string): boolean;
  /** Length of the longest placeholder: a bracketed run this long without `]` can never be one. */
  readonly longest: number;
  readonly size: number;
}

/** A character that may stand between a placeholder's brackets: A–Z, 0–9, `_` (by UTF-16 code). */
export function isLabelChar(code: number): boolean {
  return (code >= 65 && code <= 90) || (code >= 48 && code <= 57) || code === 95;
}

/**
 * Compiles `originals` (placeholder text → original value). Throws a TypeError for a key that is not
 * placeholder-shaped (`[` + capitals, digits, underscores + `]`): such a key could never be found, and
 * silently leaving a value redacted would be a bug nobody notices.
 */
export function compilePlaceholderTable(originals: ReadonlyMap<string, string>): PlaceholderTable {
  const prefixes = new Set<string>();
  const escaped = new Map<string, string>();
  const firstLabelChars = new Set<string>();
  let longest = 0;
  for (const key of originals.keys()) {
    if (!KEY_SHAPE.test(key)) throw new TypeError('Placeholder keys must look like [LABEL_1].');
    longest = Math.max(longest, key.length);
    firstLabelChars.add(key.charAt(1));
    // Every proper prefix without the closing bracket: `[`, `[E`, … `[EMAIL_1`.
    for (let end = 1; end < key.length; end++) prefixes.add(key.slice(0, end));
  }
  // `[` then a key's first label character, or `[` closing a string (a run cut at its very start).
  // Label characters need no escaping inside a character class.
  const candidate = new RegExp(`\\[[${[...firstLabelChars].join('')}"]`);
  return {
    original: (placeholder) => originals.get(placeholder),
    escapedOriginal(placeholder) {
      const cached = escaped.get(placeholder);
      if (cached !== undefined) return cached;
      const original = originals.get(placeholder);
      if (original === undefined) return undefined;
      // JSON.stringify escapes quotes, backslashes, control characters and lone surrogates.
      const encoded = JSON.stringify(original).slice(1, -1);
      escaped.set(placeholder, encoded);
      return encoded;
    },
    couldBecomePlaceholder: (text) => prefixes.has(text),
    mayContainPlaceholder: (json) => firstLabelChars.size > 0 && candidate.test(json),
    longest,
    size: originals.size,
  };
}
