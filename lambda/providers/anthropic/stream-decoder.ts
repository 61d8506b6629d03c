import type { FinishReason, StreamEvent } from '../../canonical/events';
import { UpstreamError, UpstreamResponseTooLargeError } from '../../errors/gateway-error';
import { createSseDecoder, SseEventTooLargeError, type SseEvent } from '../../sse/decoder';
import type { TokenUsage } from '../../canonical/usage';
import { anthropicStreamError } from './errors';
import { parseAnthropicUsage } from './usage';

/** Anthropic `stop_reason` → canonical (research/translation.md §5); unknown reasons read as `stop`. */
const FINISH_REASONS: Readonly<Record<string, FinishReason>> = {
  end_turn: 'stop',
  pause_turn: 'stop',
  stop_sequence: 'stop_sequence',
  max_tokens: 'length',
  model_context_window_exceeded: 'length',
  tool_use: 'tool_calls',
  refusal: 'content_filter',
};

export function finishReasonOf(stopReason: unknown): FinishReason {
  return typeof stopReason === 'string' ? FINISH_REASONS[stopReason] ?? 'stop' : 'stop';
}

export interface MessagesStreamOptions {
  readonly maxEventBytes: number;
  /** Names the provider in error messages. @default 'anthropic' */
  readonly providerName?: string;
  /** Credentials this call was sent with; scrubbed from error messages. */
  readonly secrets?: readonly string[];
}

type Json = Readonly<Record<string, unknown>>;

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseData(event: SseEvent): Json {
  try {
    const parsed: unknown = JSON.parse(event.data);
    if (isRecord(parsed)) return parsed;
  } catch {
    // Reported below.
  }
  throw new UpstreamError(`The provider sent an unreadable '${event.event ?? 'message'}' event.`);
}

/**
 * Decoding state: usage so far (input from `message_start`, output cumulative from `message_delta`),
 * and which Anthropic block index is which tool call (canonical indexes 0, 1, … in tool-call order).
 */
class MessagesStreamState {
  private usage: Json = {};
  private readonly toolIndexes = new Map<number, number>();
  private readonly blockTypes = new Map<number, string>();
  stopped = false;

  constructor(private readonly options: MessagesStreamOptions) {}

  private mergeUsage(update: unknown): TokenUsage | undefined {
    if (!isRecord(update)) return undefined;
    const merged: Record<string, unknown> = { ...this.usage };
    // message_delta counts are cumulative totals: overwrite when present, never add.
    for (const [key, value] of Object.entries(update)) if (value !== null && value !== undefined) merged[key] = value;
    this.usage = merged;
    return parseAnthropicUsage(merged);
  }

  handle(event: SseEvent): StreamEvent[] {
    switch (event.event) {
      case 'ping':
        return [];
      case 'error':
        throw anthropicStreamError(event.data, this.options.providerName ?? 'anthropic', this.options.secrets ?? []);
      case 'message_stop':
        this.stopped = true;
        return [];
      case undefined:
        return [];
    }
    const data = parseData(event);
    switch (data.type) {
      case 'message_start':
        return this.messageStart(data.message);
      case 'content_block_start':
        return this.blockStart(data);
      case 'content_block_delta':
        return this.blockDelta(data);
      case 'content_block_stop':
        return this.blockStop(data);
      case 'message_delta':
        return this.messageDelta(data);
      default:
        return []; // A future event type: nothing the canonical stream can carry.
    }
  }

  private messageStart(message: unknown): StreamEvent[] {
    const fields = isRecord(message) ? message : {};
    const events: StreamEvent[] = [{
      type: 'message_start',
      id: typeof fields.id === 'string' ? fields.id : '',
      model: typeof fields.model === 'string' ? fields.model : '',
    }];
    const usage = this.mergeUsage(fields.usage);
    if (usage !== undefined) events.push({ type: 'usage', usage });
    return events;
  }

  private blockStart(data: Json): StreamEvent[] {
    const index = typeof data.index === 'number' ? data.index : -1;
    const block = isRecord(data.content_block) ? data.content_block : {};
    const type = typeof block.type === 'string' ? block.type : '';
    this.blockTypes.set(index, type);
    switch (type) {
      case 'tool_use': {
        const toolIndex = this.toolIndexes.size;
        this.toolIndexes.set(index, toolIndex);
        return [{ type: 'tool_call_start', index: toolIndex, id: typeof block.id === 'string' ? block.id : '', name: typeof block.name === 'string' ? block.name : '' }];
      }
      case 'text':
        return typeof block.text === 'string' && block.text !== '' ? [{ type: 'text_delta', text: block.text }] : [];
      case 'thinking':
        return typeof block.thinking === 'string' && block.thinking !== '' ? [{ type: 'thinking_delta', text: block.thinking }] : [];
      case 'redacted_thinking':
        return typeof block.data === 'string' ? [{ type: 'redacted_thinking', data: block.data }] : [];
      default:
        return [];
    }
  }

  private blockDelta(data: Json): StreamEvent[] {
    const index = typeof data.index === 'number' ? data.index : -1;
    const delta = isRecord(data.delta) ? data.delta : {};
    switch (delta.type) {
      case 'text_delta':
        return typeof delta.text === 'string' ? [{ type: 'text_delta', text: delta.text }] : [];
      case 'thinking_delta':
        return typeof delta.thinking === 'string' ? [{ type: 'thinking_delta', text: delta.thinking }] : [];
      case 'signature_delta':
        return typeof delta.signature === 'string' ? [{ type: 'thinking_signature', signature: delta.signature }] : [];
      case 'input_json_delta': {
        const toolIndex = this.toolIndexes.get(index);
        return toolIndex !== undefined && typeof delta.partial_json === 'string' && delta.partial_json !== ''
          ? [{ type: 'tool_call_delta', index: toolIndex, arguments: delta.partial_json }] : [];
      }
      default:
        return [];
    }
  }

  private blockStop(data: Json): StreamEvent[] {
    const index = typeof data.index === 'number' ? data.index : -1;
    const toolIndex = this.toolIndexes.get(index);
    return toolIndex !== undefined && this.blockTypes.get(index) === 'tool_use' ? [{ type: 'tool_call_end', index: toolIndex }] : [];
  }

  private messageDelta(data: Json): StreamEvent[] {
    const delta = isRecord(data.delta) ? data.delta : {};
    const reason = this.toolIndexes.size > 0 && (delta.stop_reason === 'end_turn' || delta.stop_reason === 'stop_sequence')
      ? 'tool_calls' : finishReasonOf(delta.stop_reason);
    const events: StreamEvent[] = [
      reason === 'stop_sequence' && typeof delta.stop_sequence === 'string'
        ? { type: 'finish', reason, stopSequence: delta.stop_sequence }
        : { type: 'finish', reason },
    ];
    const usage = this.mergeUsage(data.usage);
    if (usage !== undefined) events.push({ type: 'usage', usage });
    return events;
  }
}

/**
 * Anthropic Messages SSE → canonical events, safe at every byte boundary. `event: error` is thrown as
 * the mapped GatewayError; a stream that ends without `message_stop` is a failure (the answer may be
 * cut), never a silent success.
 */
export async function* decodeMessagesStream(source: AsyncIterable<Uint8Array>, options: MessagesStreamOptions): AsyncGenerator<StreamEvent, void, undefined> {
  const state = new MessagesStreamState(options);
  let batch: SseEvent[] = [];
  const decoder = createSseDecoder((event) => { batch.push(event); }, { maxEventBytes: options.maxEventBytes });
  const drain = function* drain(): Generator<StreamEvent> {
    const events = batch;
    batch = [];
    for (const event of events) yield* state.handle(event);
  };
  for await (const chunk of source) {
    try {
      decoder.push(chunk);
    } catch (error) {
      if (error instanceof SseEventTooLargeError) {
        yield* drain();
        throw new UpstreamResponseTooLargeError(`Provider sent an event over the gateway's limit of ${error.limitBytes} bytes (maxEventBytes).`);
      }
      throw error;
    }
    yield* drain();
  }
  decoder.end();
  yield* drain();
  if (!state.stopped) throw new UpstreamError('The provider stream ended early.');
}
