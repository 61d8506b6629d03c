import type { ToolDefinition } from './request';
import type { TokenUsage } from './usage';

/**
 * Typed events out of a provider, whatever its wire format: the hub every translation goes through.
 * Provider decoders turn SSE (or a JSON answer) into these; each inbound API encodes them into its own
 * wire format. Metering, cost reporting and (later) PII restoring work on events, never on SSE text.
 *
 * Order contract (decoders guarantee it, encoders may rely on it):
 *  1. `message_start` first, exactly once;
 *  2. then content, in generation order: `text_delta`, `thinking_delta` (+ `thinking_signature`
 *     before the thinking ends), `redacted_thinking`, and tool calls — `tool_call_start`, any number of
 *     `tool_call_delta` (argument JSON split anywhere, even inside a string or an escape), `tool_call_end`.
 *     Calls may interleave (parallel calls) and are told apart by `index` (0, 1, … in start order);
 *  3. `finish` exactly once, after every started tool call has ended;
 *  4. `usage` zero or more times, anywhere after `message_start` (OpenAI sends it after the finish
 *     reason); the last one is the total. Encoders hold their terminal frames until the source ends.
 * A provider failure mid-stream is thrown from the iterator as a GatewayError, never sent as an event.
 */
export type StreamEvent =
  | { readonly type: 'message_start'; readonly id: string; readonly model: string }
  | { readonly type: 'text_delta'; readonly text: string }
  | { readonly type: 'thinking_delta'; readonly text: string }
  | { readonly type: 'thinking_signature'; readonly signature: string }
  | { readonly type: 'redacted_thinking'; readonly data: string }
  | { readonly type: 'tool_call_start'; readonly index: number; readonly id: string; readonly name: string }
  | { readonly type: 'tool_call_delta'; readonly index: number; readonly arguments: string }
  | { readonly type: 'tool_call_end'; readonly index: number }
  | { readonly type: 'finish'; readonly reason: FinishReason; readonly stopSequence?: string }
  | { readonly type: 'usage'; readonly usage: TokenUsage };

/**
 * Why generation stopped. Mapping (see research/translation.md §5):
 *  - `stop`: Chat `stop`, Anthropic `end_turn`/`pause_turn`, Responses completed;
 *  - `stop_sequence`: Anthropic `stop_sequence` (Chat and Responses report it as `stop`);
 *  - `length`: Chat `length`, Anthropic `max_tokens`/`model_context_window_exceeded`, Responses incomplete (max_output_tokens);
 *  - `tool_calls`: Chat `tool_calls`, Anthropic `tool_use`, Responses with function_call items — and any
 *    turn that made tool calls, whatever the provider said;
 *  - `content_filter`: Chat `content_filter`, Anthropic `refusal`, Responses incomplete (content_filter).
 */
export type FinishReason = 'stop' | 'stop_sequence' | 'length' | 'tool_calls' | 'content_filter';

/** What encoders need to know about the request they answer. */
export interface EncodeContext {
  /** The request's tools: a call of a `custom` one goes back as a custom tool call where the format has them. */
  readonly tools: readonly ToolDefinition[];
  readonly requestId: string;
  /** The model name the caller asked for: echoed in `model` fields (never the provider's id). */
  readonly model: string;
  /** Unix seconds of the request's arrival (`created` fields). */
  readonly createdAt: number;
  /** Chat only: the caller asked for the usage chunk. */
  readonly includeUsage: boolean;
  /** Fields merged into the usage object the caller sees (the gateway's `cost_usd`). */
  usageExtras(usage: TokenUsage): Readonly<Record<string, unknown>>;
  /**
   * The text of an SSE comment (the cost trailer, without the leading `: `) that the encoder writes with
   * encodeSseComment just before the stream's terminal frame(s), if any.
   */
  trailer(): string | undefined;
}

/**
 * An inbound API's encoder for translated answers. `encodeStream` must yield each frame as soon as the
 * event that completes it arrives (no buffering beyond what the wire format forces), write the trailer
 * before its terminal frame, and — when the source throws a GatewayError — write the format's own
 * error frame(s) (Anthropic `event: error`, Responses `response.failed`, Chat `data: {"error":…}`) and
 * then rethrow, so the core can record the failure.
 */
export interface ResponseEncoder {
  encodeStream(events: AsyncIterable<StreamEvent>, context: EncodeContext): AsyncIterable<Uint8Array>;
  /** Collects the events of a whole answer into this API's JSON body. Throws what the source throws. */
  encodeJson(events: AsyncIterable<StreamEvent>, context: EncodeContext): Promise<string>;
}

/** The events of a whole (JSON) answer as the same kind of iterable a stream gives. */
export async function* replayEvents(events: readonly StreamEvent[]): AsyncGenerator<StreamEvent, void, undefined> {
  for (const event of events) yield event;
}
