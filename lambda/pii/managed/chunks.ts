/**
 * Cutting long texts into pieces a detection service accepts, and mapping what it reports back to
 * offsets into the original text (JavaScript's UTF-16 units, what `Finding` speaks).
 */

/** A piece of a source text: `source.slice(offset, offset + text.length) === text`. */
export interface TextChunk {
  readonly text: string;
  /** Where the piece starts in its source text, in UTF-16 units. */
  readonly offset: number;
}

/**
 * How far a chunk reaches back into its predecessor (in UTF-16 units). A name or an address cut in two
 * by a chunk boundary would be missed by both halves; with the overlap the next chunk sees it whole,
 * and the duplicate findings merge (see `normalizeFindings`).
 */
const OVERLAP_UNITS = 256;

/** UTF-8 length of the code point starting at `index` (a surrogate pair is one 4-byte code point). */
function utf8Width(text: string, index: number): { readonly bytes: number; readonly units: number } {
  const code = text.charCodeAt(index);
  if (code < 0x80) return { bytes: 1, units: 1 };
  if (code < 0x800) return { bytes: 2, units: 1 };
  if (code >= 0xd800 && code <= 0xdbff) {
    const next = text.charCodeAt(index + 1);
    if (next >= 0xdc00 && next <= 0xdfff) return { bytes: 4, units: 2 };
  }
  // A lone surrogate is sent as U+FFFD (3 bytes) by the UTF-8 encoder.
  return { bytes: 3, units: 1 };
}

function isWhitespace(text: string, index: number): boolean {
  const code = text.charCodeAt(index);
  if (code === 0x20 || (code >= 0x09 && code <= 0x0d)) return true;
  return code > 0x7f && /\s/.test(text.charAt(index));
}

/** The first index past `start` whose code point would take the chunk beyond `maxBytes` (or the text's end). */
function byteLimit(text: string, start: number, maxBytes: number): number {
  let bytes = 0;
  let index = start;
  while (index < text.length) {
    const width = utf8Width(text, index);
    if (bytes + width.bytes > maxBytes) break;
    bytes += width.bytes;
    index += width.units;
  }
  return index;
}

/**
 * Where to end a chunk that cannot hold the rest of the text: after the last line break in the back
 * half of the room, else after the last whitespace there, else at the room's end (a code point
 * boundary: `byteLimit` never stops inside a surrogate pair).
 */
function cutPoint(text: string, start: number, limit: number): number {
  const floor = start + Math.floor((limit - start) / 2);
  const lineBreak = text.lastIndexOf('\n', limit - 1);
  if (lineBreak >= floor) return lineBreak + 1;
  for (let index = limit - 1; index >= floor; index -= 1) {
    if (isWhitespace(text, index)) return index + 1;
  }
  return limit;
}

/** Where the chunk after [start, cut) begins: a little before `cut`, at a whitespace boundary. */
function nextStart(text: string, start: number, cut: number): number {
  const earliest = cut - Math.min(OVERLAP_UNITS, Math.floor((cut - start) / 4));
  for (let index = earliest; index < cut; index += 1) {
    if (isWhitespace(text, index)) {
      let after = index + 1;
      while (after < cut && isWhitespace(text, after)) after += 1;
      return after;
    }
  }
  return cut;
}

/**
 * Splits `text` into chunks of at most `maxBytes` bytes of UTF-8 each, preferably at line breaks or
 * whitespace, each overlapping its predecessor a little. A text that fits is one chunk.
 */
export function splitUtf8(text: string, maxBytes: number): TextChunk[] {
  // Four bytes hold any code point; below that a chunk could make no progress.
  if (!Number.isInteger(maxBytes) || maxBytes < 4) throw new RangeError(`maxBytes must be an integer >= 4, got ${maxBytes}`);
  const chunks: TextChunk[] = [];
  let start = 0;
  while (start < text.length) {
    const limit = byteLimit(text, start, maxBytes);
    if (limit >= text.length) {
      chunks.push({ text: text.slice(start), offset: start });
      break;
    }
    const cut = cutPoint(text, start, limit);
    chunks.push({ text: text.slice(start, cut), offset: start });
    start = nextStart(text, start, cut);
  }
  return chunks;
}

/** UTF-8 length of `text`, as the services count their limits. */
export function utf8Length(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

/**
 * Maps code point offsets into `text` to UTF-16 offsets. Services that count characters as code points
 * (Comprehend) disagree with JavaScript from the first astral character (an emoji) on. Returns
 * `undefined` for an offset past the end.
 */
export function codePointOffsets(text: string): (codePoint: number) => number | undefined {
  if (!/[\uD800-\uDFFF]/.test(text)) {
    return (codePoint) => (Number.isInteger(codePoint) && codePoint >= 0 && codePoint <= text.length ? codePoint : undefined);
  }
  const units: number[] = [];
  for (let index = 0; index < text.length;) {
    units.push(index);
    const code = text.codePointAt(index) ?? 0;
    index += code > 0xffff ? 2 : 1;
  }
  units.push(text.length);
  return (codePoint) => (Number.isInteger(codePoint) && codePoint >= 0 ? units[codePoint] : undefined);
}
