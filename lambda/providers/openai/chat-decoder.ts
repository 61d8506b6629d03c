import type { FinishReason, StreamEvent } from '../../canonical/events';
import { GatewayError, UpstreamError, UpstreamResponseTooLargeError } from '../../errors/gateway-error';
import { releaseSource } from '../../http/drain';
import { createSseDecoder, SseEventTooLargeError } from '../../sse/decoder';
import { redactSecrets } from '../redact-secrets';
import { parseOpenAiUsage } from './usage';

/**
 * Chat Completions (OpenAI and every compatible server) → typed events, for translated answers.
 * Tolerates what compatible servers do differently: reasoning as `reasoning_content` (DeepSeek, vLLM)
 * or `reasoning` (OpenRouter, Ollama), tool-call deltas without `index`, usage on a chunk that still
 * carries choices, and no `[DONE]`.
 */

export interface ChatDecodeOptions {
  /** One provider event longer than this ends the stream with 502 `upstream_response_too_large`. */
  readonly maxEventBytes: number;
  /** Credentials this call was sent with: removed from provider error messages before they are thrown. */
  readonly secrets?: readonly string[];
}

type Json = Readonly<Record<string, unknown>>;

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function nonEmptyString(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

const FINISH_REASONS: Readonly<Record<string, FinishReason>> = {
  stop: 'stop',
  length: 'length',
  tool_calls: 'tool_calls',
  function_call: 'tool_calls',
  content_filter: 'content_filter',
};

/** Chat's finish_reason as a canonical one; unknown values (`eos`, `end_turn` from odd servers) read as `stop`. */
export function chatFinishReason(reason: string, madeToolCalls: boolean): FinishReason {
  // Clients run the tools of any turn that made calls, whatever the provider called the ending.
  if (madeToolCalls) return 'tool_calls';
  return FINISH_REASONS[reason] ?? 'stop';
}

/** The error a provider put in a `data: {"error": …}` event or a 200 JSON body, scrubbed for the caller. */
export function providerError(error: unknown, secrets: readonly string[]): UpstreamError {
  const message = isRecord(error) ? error.message : error;
  const text = typeof message === 'string' && message !== '' ? message : 'unknown error';
  return new UpstreamError(`The provider reported an error: ${redactSecrets(text, secrets).slice(0, 2000)}`);
}

interface OpenCall {
  readonly index: number;
  readonly id: string;
}

/**
 * The decoding state of one Chat stream, fed one parsed chunk at a time; events go to `emit`.
 * Tool calls are keyed by the provider's `index`; a server that sends no index (or reuses one) is
 * told apart by `id`: a new id is a new call, no id continues the latest call.
 */
class ChatChunkDecoder {
  private started = false;
  private finished = false;
  private readonly callsByKey = new Map<number, OpenCall>();
  private readonly openCalls: OpenCall[] = [];
  private latestCall: OpenCall | undefined;
  private callCount = 0;

  constructor(
    private readonly emit: (event: StreamEvent) => void,
    private readonly secrets: readonly string[],
  ) {}

  get sawFinish(): boolean {
    return this.finished;
  }

  chunk(chunk: Json): void {
    if (chunk.error !== undefined && chunk.error !== null) throw providerError(chunk.error, this.secrets);
    if (!this.started) {
      this.started = true;
      this.emit({ type: 'message_start', id: typeof chunk.id === 'string' ? chunk.id : '', model: typeof chunk.model === 'string' ? chunk.model : '' });
    }
    const choices = Array.isArray(chunk.choices) ? (chunk.choices as unknown[]) : [];
    // n > 1 is never sent in translation; the first choice is the answer.
    const choice = choices.find((entry) => isRecord(entry) && (entry.index === 0 || entry.index === undefined));
    if (isRecord(choice) && !this.finished) {
      if (isRecord(choice.delta)) this.delta(choice.delta);
      const reason = choice.finish_reason;
      if (typeof reason === 'string' && reason !== '') this.finish(reason);
    }
    if (isRecord(chunk.usage)) {
      const usage = parseOpenAiUsage(chunk.usage);
      if (usage !== undefined) this.emit({ type: 'usage', usage });
    }
  }

  private delta(delta: Json): void {
    const thinking = nonEmptyString(delta.reasoning_content) ?? nonEmptyString(delta.reasoning);
    if (thinking !== undefined) this.emit({ type: 'thinking_delta', text: thinking });
    const text = nonEmptyString(delta.content);
    if (text !== undefined) this.emit({ type: 'text_delta', text });
    // A refusal is what the caller gets to read instead of an answer: shown as text, never dropped.
    const refusal = nonEmptyString(delta.refusal);
    if (refusal !== undefined) this.emit({ type: 'text_delta', text: refusal });
    if (Array.isArray(delta.tool_calls)) {
      for (const call of delta.tool_calls as unknown[]) if (isRecord(call)) this.toolCall(call);
    }
  }

  private toolCall(call: Json): void {
    const fn = isRecord(call.function) ? call.function : {};
    const id = nonEmptyString(call.id);
    const key = typeof call.index === 'number' ? call.index : undefined;
    let target = key === undefined ? this.latestCall : this.callsByKey.get(key);
    if (target === undefined || (id !== undefined && id !== target.id)) {
      target = { index: this.callCount, id: id ?? `call_${this.callCount}` };
      this.callCount++;
      if (key !== undefined) this.callsByKey.set(key, target);
      this.openCalls.push(target);
      this.emit({ type: 'tool_call_start', index: target.index, id: target.id, name: typeof fn.name === 'string' ? fn.name : '' });
    }
    this.latestCall = target;
    const fragment = nonEmptyString(fn.arguments);
    if (fragment !== undefined) this.emit({ type: 'tool_call_delta', index: target.index, arguments: fragment });
  }

  private finish(reason: string): void {
    this.finished = true;
    for (const call of this.openCalls) this.emit({ type: 'tool_call_end', index: call.index });
    this.openCalls.length = 0;
    this.emit({ type: 'finish', reason: chatFinishReason(reason, this.callCount > 0) });
  }
}

function parseChunk(data: string): Json {
  let parsed: unknown;
  try {
    parsed = JSON.parse(data);
  } catch (error) {
    throw new UpstreamError('The provider sent a stream event that is not JSON.', { cause: error });
  }
  if (!isRecord(parsed)) throw new UpstreamError('The provider sent a stream event that is not a JSON object.');
  return parsed;
}

/** The source's next chunk; a broken connection (a socket error) becomes a GatewayError, as the event contract requires. */
async function nextChunk(upstream: AsyncIterator<Uint8Array>): Promise<IteratorResult<Uint8Array>> {
  try {
    return await upstream.next();
  } catch (error) {
    if (error instanceof GatewayError) throw error;
    throw new UpstreamError('The connection to the provider failed mid-stream.', { cause: error });
  }
}

/**
 * Chat SSE bytes → typed events, at any chunking. Each network chunk's events are yielded as soon as
 * the chunk is decoded. Throws UpstreamError for a provider error event or a stream that ends without
 * a finish_reason, UpstreamResponseTooLargeError for an event over `maxEventBytes`. Stopping iteration
 * early stops (and so closes) the source; after `[DONE]` the rest is drained (see releaseSource).
 */
export async function* decodeChatStream(source: AsyncIterable<Uint8Array>, options: ChatDecodeOptions): AsyncGenerator<StreamEvent, void, undefined> {
  const ready: StreamEvent[] = [];
  const chunks = new ChatChunkDecoder((event) => ready.push(event), options.secrets ?? []);
  let done = false;
  /** Thrown after the SSE parser returns: an exception inside its callback would leave it mid-line. */
  let failure: unknown;
  const sse = createSseDecoder((event) => {
    if (done || failure !== undefined) return;
    if (event.data === '[DONE]') {
      done = true;
      return;
    }
    try {
      chunks.chunk(parseChunk(event.data));
    } catch (error) {
      failure = error;
    }
  }, { maxEventBytes: options.maxEventBytes });

  const upstream = source[Symbol.asyncIterator]();
  try {
    for (;;) {
      const step = await nextChunk(upstream);
      if (step.done === true) break;
      try {
        sse.push(step.value);
      } catch (error) {
        if (error instanceof SseEventTooLargeError) {
          throw new UpstreamResponseTooLargeError(`Provider sent an event over the gateway's limit of ${error.limitBytes} bytes (maxEventBytes).`);
        }
        throw error;
      }
      if (ready.length > 0) yield* ready.splice(0);
      if (failure !== undefined) throw failure;
      if (done) break;
    }
  } finally {
    await releaseSource(upstream, done && failure === undefined);
  }
  sse.end();
  if (!chunks.sawFinish) throw new UpstreamError('The provider stream ended early.');
}

/** A whole `chat.completion` JSON answer as the same events a stream of it would give. */
export function decodeChatJson(body: unknown, secrets: readonly string[] = []): StreamEvent[] {
  if (!isRecord(body)) throw new UpstreamError('The provider answered with something other than a JSON object.');
  if (body.error !== undefined && body.error !== null) throw providerError(body.error, secrets);
  const choice = Array.isArray(body.choices) ? (body.choices as unknown[])[0] : undefined;
  if (!isRecord(choice) || !isRecord(choice.message)) throw new UpstreamError('The provider answered without a message.');
  const message = choice.message;
  const events: StreamEvent[] = [];
  const decoder = new ChatChunkDecoder((event) => events.push(event), secrets);
  // The message reads like one big delta: same mapping, same tool-call handling.
  decoder.chunk({
    id: body.id,
    model: body.model,
    choices: [{ index: 0, delta: message, finish_reason: typeof choice.finish_reason === 'string' ? choice.finish_reason : 'stop' }],
    usage: body.usage,
  });
  return events;
}
