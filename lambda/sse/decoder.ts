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

export interface SseDecoderOptions {
  /**
   * Comment lines (`: text`, leading space removed). Ignored when absent. A pass-through proxy can
   * use this to forward keep-alive comments, which some providers send while a model is thinking.
   */
  readonly onComment?: (text: string) => void;
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
  let ended = false;
  return {
    push(chunk) {
      if (ended) throw new Error('SSE decoder: push() after end().');
      if (chunk.byteLength === 0) return;
      parser.feed(text.decode(chunk, { stream: true }));
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
