import { createParser } from 'eventsource-parser';
import fc from 'fast-check';
import type { WireFormat } from '../../../lambda/providers/provider';
import { createAnswerRestorer } from '../../../lambda/pii/restore';

/** What a request redacted: originals with every character that could break a format (quotes, backslash, newline, emoji, brackets). */
export const ORIGINALS: ReadonlyMap<string, string> = new Map([
  ['[EMAIL_1]', 'alice@example.com'],
  ['[API_KEY_1]', 'sk-"quoted" \\ back\nslash ü 👋🏽'],
  ['[PHONE_12]', '+44 [20] 7946 0958'],
]);

/** The restored text, computed the obvious way (placeholders never overlap). */
export function restoredByHand(text: string, originals: ReadonlyMap<string, string> = ORIGINALS): string {
  let out = text;
  for (const [placeholder, original] of originals) out = out.split(placeholder).join(original);
  return out;
}

/** The originals as they go inside a JSON string literal (tool-call arguments). */
export function jsonEscaped(originals: ReadonlyMap<string, string> = ORIGINALS): Map<string, string> {
  return new Map([...originals].map(([placeholder, original]) => [placeholder, JSON.stringify(original).slice(1, -1)]));
}

/** `text` cut into pieces at the given offsets (deduplicated, in range). */
export function cutText(text: string, offsets: readonly number[]): string[] {
  const sorted = [...new Set(offsets)].filter((o) => o > 0 && o < text.length).sort((a, b) => a - b);
  const parts: string[] = [];
  let start = 0;
  for (const offset of sorted) {
    parts.push(text.slice(start, offset));
    start = offset;
  }
  parts.push(text.slice(start));
  return parts;
}

export function cutBytes(bytes: Uint8Array, offsets: readonly number[]): Uint8Array[] {
  const sorted = [...new Set(offsets)].filter((o) => o > 0 && o < bytes.length).sort((a, b) => a - b);
  const parts: Uint8Array[] = [];
  let start = 0;
  for (const offset of sorted) {
    parts.push(bytes.subarray(start, offset));
    start = offset;
  }
  parts.push(bytes.subarray(start));
  return parts;
}

async function* replay(chunks: readonly Uint8Array[]): AsyncGenerator<Uint8Array> {
  for (const chunk of chunks) yield chunk;
}

/** Runs `sse` through the restorer's stream(), cut at `offsets`; returns everything written, as text. */
export async function restoreStream(format: WireFormat, sse: string, offsets: readonly number[] = [], originals = ORIGINALS): Promise<string> {
  const out: Uint8Array[] = [];
  const bytes = new TextEncoder().encode(sse);
  for await (const chunk of createAnswerRestorer(originals).stream(replay(cutBytes(bytes, offsets)), format)) out.push(chunk);
  return Buffer.concat(out).toString('utf8');
}

export type SseItem = { readonly kind: 'event'; readonly event?: string; readonly data: string } | { readonly kind: 'comment'; readonly text: string };

/** Parses SSE with eventsource-parser (not the gateway's decoder): events and comments, in order. */
export function parseSse(text: string): SseItem[] {
  const items: SseItem[] = [];
  const parser = createParser({
    onEvent: (event) => items.push({ kind: 'event', ...(event.event === undefined ? {} : { event: event.event }), data: event.data }),
    onComment: (comment) => items.push({ kind: 'comment', text: comment }),
  });
  parser.feed(text);
  return items;
}

/** The JSON of every event (`[DONE]` excepted); fails the test if one is not JSON. */
export function eventData(items: readonly SseItem[]): Record<string, unknown>[] {
  return items.flatMap((item) => (item.kind === 'event' && item.data !== '[DONE]' ? [JSON.parse(item.data) as Record<string, unknown>] : []));
}

/** A placeholder split at every one of its inner positions, inside the sentence around it. */
export function splitsOfPlaceholder(sentence: string, placeholder: string): string[][] {
  const at = sentence.indexOf(placeholder);
  const pieces: string[][] = [];
  for (let inner = 1; inner < placeholder.length; inner++) pieces.push(cutText(sentence, [at + inner]));
  return pieces;
}

/** Arbitrary multi-splits of a byte length, for fast-check. */
export function arbitraryOffsets(length: number): fc.Arbitrary<number[]> {
  return fc.array(fc.integer({ min: 1, max: Math.max(1, length - 1) }), { maxLength: 40 });
}

export const TRAILER = 'gatellm {"request_id":"req_1","cost_usd":"0.000123","usage_estimated":false}';

/** `text` cut inside every placeholder it contains (after `[EM`, before `]`) and between words. */
export function cutInsidePlaceholders(text: string, originals: ReadonlyMap<string, string> = ORIGINALS): string[] {
  const offsets: number[] = [];
  for (const placeholder of originals.keys()) {
    for (let at = text.indexOf(placeholder); at !== -1; at = text.indexOf(placeholder, at + 1)) offsets.push(at + 1, at + 3, at + placeholder.length - 1);
  }
  for (let at = text.indexOf(' '); at !== -1; at = text.indexOf(' ', at + 1)) offsets.push(at);
  return cutText(text, offsets);
}

/** The comments of parsed SSE, in order. */
export function commentsOf(items: readonly SseItem[]): string[] {
  return items.flatMap((item) => (item.kind === 'comment' ? [item.text] : []));
}

/**
 * Checks the output of `sse` fed whole, then that feeding it cut at every single byte (inside UTF-8
 * sequences, `data:` lines and placeholders included) writes exactly the same bytes: the rewrite
 * depends on events, never on how the network cut them.
 */
export async function expectSameAtEveryByteSplit(format: WireFormat, sse: string, check: (output: string) => void): Promise<void> {
  const whole = await restoreStream(format, sse);
  check(whole);
  const length = new TextEncoder().encode(sse).length;
  for (let at = 1; at < length; at++) expect(await restoreStream(format, sse, [at])).toBe(whole);
}
