import type { SseEvent } from '../../sse/decoder';
import { encodeSseEvent } from '../../sse/encoder';
import { isRecord, NO_JSON_TEXT_KEYS, parseRecord, restoreJsonValue, type JsonRecord } from './json-values';
import type { PlaceholderTable } from './placeholder-table';
import { createChannels, type HeldText, type SseRewrite } from './sse-rewrite';
import type { RestoreMode } from './text-restorer';

/** A content block's delta kind: its `delta.type`, the field with the text, how that text is restored. */
interface DeltaKind {
  readonly type: string;
  readonly field: string;
  readonly mode: RestoreMode;
}

const DELTA_KINDS: readonly DeltaKind[] = [
  { type: 'text_delta', field: 'text', mode: 'plain' },
  { type: 'thinking_delta', field: 'thinking', mode: 'plain' },
  { type: 'input_json_delta', field: 'partial_json', mode: 'json-string' },
];
/** Blocks whose start carries their first text (usually empty), and the delta kind that continues it. */
const START_KINDS: Readonly<Record<string, DeltaKind | undefined>> = {
  text: DELTA_KINDS[0],
  thinking: DELTA_KINDS[1],
};

interface BlockMeta {
  readonly index: number;
  readonly kind: DeltaKind;
}

/**
 * Anthropic Messages streams: `content_block_delta` text, thinking and tool input JSON, one channel per
 * block `index`. A block's held text goes out as a synthesised `content_block_delta` just before its
 * `content_block_stop` (or before the next block starts, the message ends or an error event, should a
 * stop be missing).
 * A `content_block_start`'s text is the block's first piece; the rest of a start (a `tool_use`'s
 * `input`, a text block's `citations`) and a `citations_delta`'s `citation` are restored whole. A citation
 * never flushes held text: it joins the block's `citations`, not its text, so a placeholder split around
 * it is still restored. `ping`, `signature_delta`, message events and unknown events go through untouched.
 */
export function createMessagesRewrite(table: PlaceholderTable): SseRewrite {
  const channels = createChannels<BlockMeta>(table);

  function synthesise(held: readonly HeldText<BlockMeta>[]): string {
    let out = '';
    for (const { meta, text } of held) {
      const data = { type: 'content_block_delta', index: meta.index, delta: { type: meta.kind.type, [meta.kind.field]: text } };
      out += encodeSseEvent({ event: 'content_block_delta', data: JSON.stringify(data) });
    }
    return out;
  }

  const flushBlock = (index: number): string => synthesise(channels.closeWhere((meta) => meta.index === index));
  const flushAll = (): string => synthesise(channels.closeWhere(() => true));

  /** The event with `record[field]` replaced, re-encoded; the original bytes when nothing changed. */
  function withField(event: SseEvent, data: JsonRecord, key: string, value: JsonRecord): string {
    return value === data[key] ? encodeSseEvent(event) : encodeSseEvent({ ...event, data: JSON.stringify({ ...data, [key]: value }) });
  }

  function onStart(event: SseEvent, data: JsonRecord, index: number): string {
    const before = flushAll();
    const block = data.content_block;
    if (!isRecord(block)) return before + encodeSseEvent(event);
    const kind = typeof block.type === 'string' ? START_KINDS[block.type] : undefined;
    const text = kind === undefined ? undefined : block[kind.field];
    const whole = restoreJsonValue(block, table, NO_JSON_TEXT_KEYS);
    const wholeBlock = isRecord(whole) ? whole : block;
    if (kind === undefined || typeof text !== 'string') return before + withField(event, data, 'content_block', wholeBlock);
    // The text is the channel's first piece (whole restoring would miss a placeholder the deltas complete).
    const restored = channels.push(String(index), kind.mode, { index, kind }, text);
    const unchanged = restored === text && wholeBlock === block;
    return before + withField(event, data, 'content_block', unchanged ? block : { ...wholeBlock, [kind.field]: restored });
  }

  function onCitation(event: SseEvent, data: JsonRecord, delta: JsonRecord): string {
    const citation = restoreJsonValue(delta.citation, table, NO_JSON_TEXT_KEYS);
    return citation === delta.citation ? encodeSseEvent(event) : withField(event, data, 'delta', { ...delta, citation });
  }

  function onDelta(event: SseEvent, data: JsonRecord, index: number): string {
    const delta = data.delta;
    if (isRecord(delta) && delta.type === 'citations_delta') return onCitation(event, data, delta);
    const kind = isRecord(delta) ? DELTA_KINDS.find((candidate) => candidate.type === delta.type) : undefined;
    const text = kind === undefined || !isRecord(delta) ? undefined : delta[kind.field];
    if (kind === undefined || !isRecord(delta) || typeof text !== 'string') return encodeSseEvent(event);
    const restored = channels.push(String(index), kind.mode, { index, kind }, text);
    if (restored === text) return encodeSseEvent(event);
    // Wholly held back: the delta is optional, the text follows in a later one.
    if (restored === '') return '';
    return withField(event, data, 'delta', { ...delta, [kind.field]: restored });
  }

  return {
    event(event) {
      if (!channels.anyHolding() && !table.mayContainPlaceholder(event.data)) return encodeSseEvent(event);
      const data = parseRecord(event.data);
      if (data === undefined) return encodeSseEvent(event);
      const index = typeof data.index === 'number' ? data.index : -1;
      switch (data.type) {
        case 'content_block_start':
          return onStart(event, data, index);
        case 'content_block_delta':
          return onDelta(event, data, index);
        case 'content_block_stop':
          return flushBlock(index) + encodeSseEvent(event);
        case 'message_delta':
        case 'message_stop':
        case 'error':
          return flushAll() + encodeSseEvent(event);
        default:
          return encodeSseEvent(event);
      }
    },
    end: flushAll,
  };
}
