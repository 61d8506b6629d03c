/** Narrowing helpers for parsed request bodies. */

export type JsonObject = Record<string, unknown>;

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** True when `stream_options.include_usage` is `true`. */
export function wantsStreamUsage(body: JsonObject): boolean {
  const options = body['stream_options'];
  return isJsonObject(options) && options['include_usage'] === true;
}

/** Splits text into at most `count` pieces on code-point boundaries (never inside a surrogate pair). */
export function splitText(text: string, count: number): string[] {
  if (text.length === 0) return [];
  const codePoints = Array.from(text);
  const size = Math.ceil(codePoints.length / count);
  const pieces: string[] = [];
  for (let start = 0; start < codePoints.length; start += size) pieces.push(codePoints.slice(start, start + size).join(''));
  return pieces;
}

/** Pieces of `length` code points each (the last may be shorter). */
export function piecesOf(text: string, length: number): string[] {
  const codePoints = Array.from(text);
  const pieces: string[] = [];
  for (let start = 0; start < codePoints.length; start += length) pieces.push(codePoints.slice(start, start + length).join(''));
  return pieces;
}

/** How an echo scenario streams its text: in fixed-length pieces, or in `count` roughly equal ones. */
export function echoPieces(text: string, scenario: { readonly pieceLength?: number }, count: number): string[] {
  return scenario.pieceLength === undefined ? splitText(text, count) : piecesOf(text, scenario.pieceLength);
}

const KIB_TEXT = 'fake big content '.repeat(61).slice(0, 1024);

/** Exactly `kilobytes` × 1024 ASCII characters. */
export function bigText(kilobytes: number): string {
  return KIB_TEXT.repeat(kilobytes);
}

/** `kilobytes` pieces of 1 KiB each. */
export function bigPieces(kilobytes: number): string[] {
  return new Array<string>(kilobytes).fill(KIB_TEXT);
}
