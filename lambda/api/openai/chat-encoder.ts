import type { EncodeContext, FinishReason, ResponseEncoder, StreamEvent } from '../../canonical/events';
import { streamErrorEvent } from '../../errors/serialize';
import type { TokenUsage } from '../../canonical/usage';
import { encodeSseComment, SSE_DONE } from '../../sse/encoder';

/**
 * Typed events → Chat Completions, for callers of Chat served by a provider of another format.
 * Thinking goes out as `delta.reasoning_content` / `message.reasoning_content`, the field DeepSeek,
 * OpenRouter and vLLM clients read; signatures and redacted thinking have no Chat field and are dropped
 * (a Chat client cannot send them back anyway).
 */

type ChatFinishReason = 'stop' | 'length' | 'tool_calls' | 'content_filter';

/** Chat has no `stop_sequence`: OpenAI reports a matched stop sequence as `stop`. */
function chatFinishReason(reason: FinishReason): ChatFinishReason {
  return reason === 'stop_sequence' ? 'stop' : reason;
}

/** The Chat `usage` object, with the gateway's extras (cost) merged in. */
export function chatUsage(usage: TokenUsage, context: EncodeContext): Record<string, unknown> {
  return {
    prompt_tokens: usage.inputTokens,
    completion_tokens: usage.outputTokens,
    total_tokens: usage.inputTokens + usage.outputTokens,
    prompt_tokens_details: { cached_tokens: usage.cachedTokens },
    completion_tokens_details: { reasoning_tokens: usage.reasoningTokens },
    ...context.usageExtras(usage),
  };
}

function completionId(context: EncodeContext): string {
  return `chatcmpl-${context.requestId}`;
}

function frame(payload: unknown): Uint8Array {
  return Buffer.from(`data: ${JSON.stringify(payload)}\n\n`, 'utf8');
}

/** Builds the `chat.completion.chunk` frames of one answer; `usage: null` on each when the caller wants usage, as OpenAI does. */
class ChunkWriter {
  private readonly head: Readonly<Record<string, unknown>>;

  constructor(private readonly context: EncodeContext) {
    this.head = { id: completionId(context), object: 'chat.completion.chunk', created: context.createdAt, model: context.model };
  }

  choice(delta: Readonly<Record<string, unknown>>, finishReason: ChatFinishReason | null = null): Uint8Array {
    const chunk = { ...this.head, choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }] };
    return frame(this.context.includeUsage ? { ...chunk, usage: null } : chunk);
  }

  usage(usage: TokenUsage): Uint8Array {
    return frame({ ...this.head, choices: [], usage: chatUsage(usage, this.context) });
  }
}

/** The frame an event completes, if any. Signatures, redacted thinking and call ends have no Chat frame. */
function eventFrame(event: StreamEvent, writer: ChunkWriter): Uint8Array | undefined {
  switch (event.type) {
    case 'text_delta':
      return writer.choice({ content: event.text });
    case 'thinking_delta':
      return writer.choice({ reasoning_content: event.text });
    case 'tool_call_start':
      return writer.choice({ tool_calls: [{ index: event.index, id: event.id, type: 'function', function: { name: event.name, arguments: '' } }] });
    case 'tool_call_delta':
      return writer.choice({ tool_calls: [{ index: event.index, function: { arguments: event.arguments } }] });
    default:
      return undefined;
  }
}

async function* encodeStream(events: AsyncIterable<StreamEvent>, context: EncodeContext): AsyncGenerator<Uint8Array, void, undefined> {
  const writer = new ChunkWriter(context);
  let started = false;
  let finish: FinishReason | undefined;
  let usage: TokenUsage | undefined;
  try {
    for await (const event of events) {
      if (event.type === 'finish') finish = event.reason;
      else if (event.type === 'usage') usage = event.usage;
      const bytes = eventFrame(event, writer);
      if (!started && (event.type === 'message_start' || bytes !== undefined)) {
        // The role chunk opens every OpenAI stream; the SDK's stream helper builds the message from it.
        started = true;
        yield writer.choice({ role: 'assistant', content: '' });
      }
      if (bytes !== undefined) yield bytes;
    }
  } catch (error) {
    yield Buffer.from(streamErrorEvent(error, 'openai', context.requestId), 'utf8');
    throw error;
  }
  if (!started) yield writer.choice({ role: 'assistant', content: '' });
  // Held until the source ends: OpenAI-format providers send usage after the finish reason.
  yield writer.choice({}, chatFinishReason(finish ?? 'stop'));
  if (context.includeUsage && usage !== undefined) yield writer.usage(usage);
  const trailer = context.trailer();
  if (trailer !== undefined && trailer !== '') yield Buffer.from(encodeSseComment(trailer), 'utf8');
  yield Buffer.from(SSE_DONE, 'utf8');
}

interface CollectedCall {
  readonly id: string;
  readonly name: string;
  arguments: string;
}

async function encodeJson(events: AsyncIterable<StreamEvent>, context: EncodeContext): Promise<string> {
  let text = '';
  let thinking = '';
  const calls = new Map<number, CollectedCall>();
  let finish: FinishReason = 'stop';
  let usage: TokenUsage | undefined;
  for await (const event of events) {
    if (event.type === 'text_delta') text += event.text;
    else if (event.type === 'thinking_delta') thinking += event.text;
    else if (event.type === 'tool_call_start') calls.set(event.index, { id: event.id, name: event.name, arguments: '' });
    else if (event.type === 'tool_call_delta') {
      const call = calls.get(event.index);
      if (call !== undefined) call.arguments += event.arguments;
    } else if (event.type === 'finish') finish = event.reason;
    else if (event.type === 'usage') usage = event.usage;
  }
  const toolCalls = [...calls.entries()].sort(([a], [b]) => a - b).map(([, call]) => ({
    id: call.id, type: 'function', function: { name: call.name, arguments: call.arguments === '' ? '{}' : call.arguments },
  }));
  const message: Record<string, unknown> = {
    role: 'assistant',
    content: text === '' && toolCalls.length > 0 ? null : text,
    refusal: null,
  };
  if (thinking !== '') message.reasoning_content = thinking;
  if (toolCalls.length > 0) message.tool_calls = toolCalls;
  const completion: Record<string, unknown> = {
    id: completionId(context),
    object: 'chat.completion',
    created: context.createdAt,
    model: context.model,
    choices: [{ index: 0, message, logprobs: null, finish_reason: chatFinishReason(finish) }],
  };
  if (usage !== undefined) completion.usage = chatUsage(usage, context);
  return JSON.stringify(completion);
}

/** The Chat Completions encoder for translated answers (contract: lambda/canonical/events.ts). */
export const chatCompletionsEncoder: ResponseEncoder = { encodeStream, encodeJson };
