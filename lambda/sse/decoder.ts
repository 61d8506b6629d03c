import { createParser } from 'eventsource-parser';

/** One dispatched server-sent event. `event` and `id` are absent (or undefined) when the block had no such field. */
export interface SseEvent {
  readonly event?: string;
  readonly data: string;
  readonly id?: string;
}

export interface SseDecoder {
  /** Feeds the next network chunk; calls `onEvent` synchronously for every event it completes. */
  push(chunk: Uint8Array): void;
  /**
   * Ends the stream. Flushes the UTF-8 decoder, then discards whatever is still buffered: per the
   * SSE spec ("once the end of the file is reached, any pending data must be discarded"), an event
   * is dispatched only by a blank line, so a trailing event without one is dropped, never guessed at.
   */
  end(): void;
}

/** Thrown by `push` when one event grows past `maxEventBytes`; nothing past the limit is buffered. */
export class SseEventTooLargeError extends Error {
  constructor(readonly limitBytes: number) {
    super(`A server-sent event exceeds the limit of ${limitBytes} bytes.`);
    this.name = 'SseEventTooLargeError';
  }
}

export interface SseDecoderOptions {
  /**
   * Comment lines (`: text`, leading space removed). Ignored when absent. A pass-through proxy can
   * use this to forward keep-alive comments, which some providers send while a model is thinking.
   */
  readonly onComment?: (text: string) => void;
  /**
   * Largest event, in bytes from the end of the previous event (comments and field names included).
   * The parser keeps an unfinished event whole, so this bounds the memory one stream can hold. @default Infinity
   */
  readonly maxEventBytes?: number;
}

const LF = 0x0a;
const CR = 0x0d;

function isLineEnd(byte: number | undefined): boolean {
  return byte === LF || byte === CR;
}

/**
 * Index just past the last blank line (the end of an event) in `chunk`, or -1. A blank line is two line
 * ends in a row, except CR LF, which is one. `before` is the last byte of the previous chunk, so a blank
 * line split across chunks counts. CR and LF never occur inside a UTF-8 multi-byte character.
 */
function endOfLastEvent(chunk: Uint8Array, before: number | undefined): number {
  for (let i = chunk.length - 1; i >= 0; i--) {
    const current = chunk[i];
    if (!isLineEnd(current)) continue;
    const previous = i > 0 ? chunk[i - 1] : before;
    if (isLineEnd(previous) && !(previous === CR && current === LF)) return i + 1;
  }
  return -1;
}

/**
 * Bytes → SSE events, at any chunking. The streaming TextDecoder holds back the bytes of a UTF-8
 * character cut by a chunk boundary and the parser holds back an incomplete line or event, so every
 * split of the same byte stream yields the same events. `retry` fields are ignored (a proxy does not
 * reconnect), as are fields the spec does not define. Invalid UTF-8 becomes U+FFFD.
 */
export function createSseDecoder(onEvent: (event: SseEvent) => void, options: SseDecoderOptions = {}): SseDecoder {
  const text = new TextDecoder('utf-8');
  // The parser's message object already has the SseEvent shape; passing it on avoids a copy per event.
  const parser = createParser(options.onComment === undefined ? { onEvent } : { onEvent, onComment: options.onComment });
  const maxEventBytes = options.maxEventBytes ?? Infinity;
  let ended = false;
  /** Bytes since the end of the last event: what the parser is holding. */
  let pendingBytes = 0;
  let lastByte: number | undefined;
  const feed = (bytes: Uint8Array): void => {
    if (bytes.byteLength > 0) parser.feed(text.decode(bytes, { stream: true }));
  };
  return {
    push(chunk) {
      if (ended) throw new Error('SSE decoder: push() after end().');
      if (chunk.byteLength === 0) return;
      const eventEnd = endOfLastEvent(chunk, lastByte);
      pendingBytes = eventEnd === -1 ? pendingBytes + chunk.byteLength : chunk.byteLength - eventEnd;
      lastByte = chunk[chunk.length - 1];
      if (pendingBytes > maxEventBytes) {
        // Deliver the events this chunk completes, then stop before the oversized one is buffered.
        if (eventEnd > 0) feed(chunk.subarray(0, eventEnd));
        ended = true;
        parser.reset();
        throw new SseEventTooLargeError(maxEventBytes);
      }
      feed(chunk);
    },
    end() {
      if (ended) return;
      ended = true;
      // A truncated multi-byte character becomes U+FFFD here; it can only belong to the incomplete
      // tail, which the reset below drops anyway (no `consume`, so nothing pending is dispatched).
      const rest = text.decode();
      if (rest !== '') parser.feed(rest);
      parser.reset();
    },
  };
}
