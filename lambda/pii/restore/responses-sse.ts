import type { SseEvent } from '../../sse/decoder';
import { encodeSseEvent } from '../../sse/encoder';
import { isRecord, OPENAI_JSON_TEXT_KEYS, parseRecord, restoreJsonValue, type JsonRecord } from './json-values';
import type { PlaceholderTable } from './placeholder-table';
import { createChannels, type HeldText, type SseRewrite } from './sse-rewrite';
import { restoreText, type RestoreMode } from './text-restorer';

/** A streamed text of an output item: its events are `<stem>.delta` (field `delta`) and `<stem>.done` (field `done`). */
interface TextStream {
  readonly mode: RestoreMode;
  readonly done: string;
}

const TEXT_STREAMS: Readonly<Record<string, TextStream | undefined>> = {
  'response.output_text': { mode: 'plain', done: 'text' },
  'response.refusal': { mode: 'plain', done: 'refusal' },
  'response.reasoning_summary_text': { mode: 'plain', done: 'text' },
  'response.reasoning_text': { mode: 'plain', done: 'text' },
  'response.function_call_arguments': { mode: 'json-string', done: 'arguments' },
  'response.custom_tool_call_input': { mode: 'plain', done: 'input' },
};

/**
 * Events that carry whole objects (items, parts, annotations, the response): every string in them is
 * restored. An annotation flushes no held text: it joins the part's `annotations`, not its text.
 */
const WHOLE_EVENTS: ReadonlySet<string> = new Set([
  'response.created', 'response.in_progress', 'response.queued',
  'response.output_item.added', 'response.output_item.done',
  'response.content_part.added', 'response.content_part.done',
  'response.output_text.annotation.added',
  'response.reasoning_summary_part.added', 'response.reasoning_summary_part.done',
  'response.completed', 'response.incomplete', 'response.failed',
]);
/** After these nothing of the answer follows: every held text goes out before them. */
const FINAL_EVENTS: ReadonlySet<string> = new Set(['response.completed', 'response.incomplete', 'response.failed', 'error']);
/** Fields that say where a text belongs, copied into a synthesised delta. */
const ADDRESS_KEYS = ['item_id', 'output_index', 'content_index', 'summary_index'] as const;
const SEQUENCE = /"sequence_number"\s*:\s*(\d+)/;

interface StreamMeta {
  readonly stem: string;
  readonly itemId: unknown;
  readonly address: JsonRecord;
  readonly logprobs: boolean;
}

function suffixed(type: string, suffix: string): string | undefined {
  return type.endsWith(suffix) ? type.slice(0, -suffix.length) : undefined;
}

/**
 * Responses streams: every `*.delta` text (output text, refusal, reasoning, function arguments as JSON
 * text, custom tool input), one channel per item and part. Held text goes out as a synthesised `.delta`
 * of the same item just before its `.done` (whose full text is restored whole), before the item's or
 * part's `.done`, or before the response's final event. Items, parts, annotations and the response
 * itself are restored whole wherever they appear. Each synthesised event (and each delta held back entirely)
 * shifts the `sequence_number` of every later event, so the caller still sees 0, 1, 2, … by one.
 */
export function createResponsesRewrite(table: PlaceholderTable): SseRewrite {
  const channels = createChannels<StreamMeta>(table);
  /** What to add to every later sequence number. */
  let offset = 0;
  /** Data of the last event written, for the sequence number a synthesised event takes. */
  let lastData = '';
  let named = false;

  function write(event: SseEvent, data: string = event.data): string {
    const numbered = offset === 0 ? data : data.replace(SEQUENCE, (_, sequence: string) => `"sequence_number":${Number(sequence) + offset}`);
    lastData = numbered;
    return encodeSseEvent(numbered === event.data ? event : { ...event, data: numbered });
  }

  function synthesise(held: readonly HeldText<StreamMeta>[]): string {
    let out = '';
    for (const { meta, text } of held) {
      const last = SEQUENCE.exec(lastData)?.[1];
      const type = `${meta.stem}.delta`;
      const data = JSON.stringify({
        type, sequence_number: last === undefined ? 0 : Number(last) + 1, ...meta.address, delta: text, ...(meta.logprobs ? { logprobs: [] } : {}),
      });
      offset++;
      lastData = data;
      out += encodeSseEvent(named ? { event: type, data } : { data });
    }
    return out;
  }

  function onDelta(event: SseEvent, data: JsonRecord, stem: string, stream: TextStream): string {
    const text = data.delta;
    if (typeof text !== 'string') return write(event);
    const address = Object.fromEntries(ADDRESS_KEYS.filter((key) => key in data).map((key) => [key, data[key]]));
    const meta = { stem, itemId: data.item_id, address, logprobs: Array.isArray(data.logprobs) };
    const restored = channels.push(channelKey(stem, data), stream.mode, meta, text);
    if (restored === text) return write(event);
    if (restored === '') {
      offset--; // Wholly held back: the text follows in a later delta, this event is dropped.
      return '';
    }
    return write(event, JSON.stringify({ ...data, delta: restored }));
  }

  function onDone(event: SseEvent, data: JsonRecord, stem: string, stream: TextStream): string {
    const key = channelKey(stem, data);
    const before = synthesise(channels.closeWhere((_, open) => open === key));
    const full = data[stream.done];
    if (typeof full !== 'string') return before + write(event);
    const restored = restoreText(full, table, stream.mode);
    return before + write(event, restored === full ? event.data : JSON.stringify({ ...data, [stream.done]: restored }));
  }

  function onWhole(event: SseEvent, data: JsonRecord, type: string): string {
    let before = '';
    if (FINAL_EVENTS.has(type)) {
      before = synthesise(channels.closeWhere(() => true));
    } else if (type.endsWith('.done')) {
      const itemId = type === 'response.output_item.done' && isRecord(data.item) ? data.item.id : data.item_id;
      before = synthesise(channels.closeWhere((meta) => meta.itemId === itemId));
    }
    const restored = restoreJsonValue(data, table, OPENAI_JSON_TEXT_KEYS);
    return before + write(event, restored === data ? event.data : JSON.stringify(restored));
  }

  return {
    event(event) {
      named = event.event !== undefined && event.event !== '';
      if (!channels.anyHolding() && !table.mayContainPlaceholder(event.data)) return write(event);
      const data = parseRecord(event.data);
      const type = data?.type;
      if (data === undefined || typeof type !== 'string') return write(event);
      const deltaStem = suffixed(type, '.delta');
      const deltaStream = deltaStem === undefined ? undefined : TEXT_STREAMS[deltaStem];
      if (deltaStem !== undefined && deltaStream !== undefined) return onDelta(event, data, deltaStem, deltaStream);
      const doneStem = suffixed(type, '.done');
      const doneStream = doneStem === undefined ? undefined : TEXT_STREAMS[doneStem];
      if (doneStem !== undefined && doneStream !== undefined) return onDone(event, data, doneStem, doneStream);
      if (WHOLE_EVENTS.has(type) || FINAL_EVENTS.has(type)) return onWhole(event, data, type);
      return write(event);
    },
    end: () => synthesise(channels.closeWhere(() => true)),
  };
}

function channelKey(stem: string, data: JsonRecord): string {
  return `${stem}|${String(data.item_id)}|${String(data.content_index ?? data.summary_index ?? '')}`;
}
