import { createSseDecoder, type SseEvent } from '../../sse/decoder';
import { encodeSseComment } from '../../sse/encoder';
import type { PlaceholderTable } from './placeholder-table';
import { createTextRestorer, type RestoreMode, type TextRestorer } from './text-restorer';

/** One format's rewrite of a decoded SSE stream. */
export interface SseRewrite {
  /** The SSE text to write for one event: the event (restored), preceded by any event synthesised to flush held text. */
  event(event: SseEvent): string;
  /** The SSE text to write when the stream ends: held text that no event of the stream flushed. */
  end(): string;
}

/**
 * Decodes the stream, rewrites each event and re-encodes it; comments (keep-alives, the gateway's cost
 * trailer) go through in place. Everything one network chunk completes is written as one chunk as soon
 * as that chunk is processed, so no event waits for input beyond its own end. Errors of the source are
 * the caller's; the consumer's return() reaches the source at its next chunk.
 */
export async function* rewriteSseStream(source: AsyncIterable<Uint8Array>, rewrite: SseRewrite): AsyncGenerator<Uint8Array, void, undefined> {
  let pending = '';
  const decoder = createSseDecoder((event) => { pending += rewrite.event(event); }, {
    onComment: (text) => { pending += encodeSseComment(text); },
  });
  for await (const chunk of source) {
    decoder.push(chunk);
    if (pending !== '') {
      yield Buffer.from(pending, 'utf8');
      pending = '';
    }
  }
  decoder.end();
  pending += rewrite.end();
  if (pending !== '') yield Buffer.from(pending, 'utf8');
}

/** Held text of one channel, taken out of it when it closed. */
export interface HeldText<Meta> {
  readonly key: string;
  readonly meta: Meta;
  readonly text: string;
}

/**
 * The channels of one stream (one per content block, choice field, tool call, output item): a text
 * restorer each, created on first use, with what the format needs to synthesise a flush (`meta`).
 */
export interface Channels<Meta> {
  /** Restores the next piece of a channel's text; `meta` replaces the channel's. */
  push(key: string, mode: RestoreMode, meta: Meta, text: string): string;
  /** Ends a channel: its held text (empty when none); the channel is forgotten. */
  close(key: string): string;
  /** Ends every channel `select` picks and returns those that held text, in the order they opened. */
  closeWhere(select: (meta: Meta, key: string) => boolean): HeldText<Meta>[];
  /** Some channel holds text: every event must be looked at, it may continue it. */
  anyHolding(): boolean;
}

export function createChannels<Meta>(table: PlaceholderTable): Channels<Meta> {
  const open = new Map<string, { restorer: TextRestorer; meta: Meta }>();
  return {
    push(key, mode, meta, text) {
      let channel = open.get(key);
      if (channel === undefined) {
        channel = { restorer: createTextRestorer(table, mode), meta };
        open.set(key, channel);
      } else {
        channel.meta = meta;
      }
      return channel.restorer.push(text);
    },
    close(key) {
      const channel = open.get(key);
      open.delete(key);
      return channel?.restorer.end() ?? '';
    },
    closeWhere(select) {
      const held: HeldText<Meta>[] = [];
      for (const [key, channel] of open) {
        if (!select(channel.meta, key)) continue;
        open.delete(key);
        const text = channel.restorer.end();
        if (text !== '') held.push({ key, meta: channel.meta, text });
      }
      return held;
    },
    anyHolding() {
      for (const channel of open.values()) if (channel.restorer.holding) return true;
      return false;
    },
  };
}
