import type { StreamEvent } from '../../../canonical/events';
import { GatewayError, UpstreamError, UpstreamResponseTooLargeError } from '../../../errors/gateway-error';
import { releaseSource } from '../../../http/drain';
import { createSseDecoder, SseEventTooLargeError, type SseEvent } from '../../../sse/decoder';
import { finishReasonOf, isRecord, responsesFailure } from './failure';
import { parseResponsesUsage } from './usage';

type Json = Readonly<Record<string, unknown>>;

interface OpenToolCall {
  readonly index: number;
  sawDelta: boolean;
}

/**
 * The state of one Responses stream being turned into typed events. Pure and synchronous: `accept`
 * takes one SSE event and returns the StreamEvents it completes (or throws the provider's failure);
 * the async wrapper below only moves bytes in and events out.
 */
class ResponsesEventDecoder {
  private started = false;
  private finished = false;
  private nextToolIndex = 0;
  /** Function-call items by output_index (the key every argument event carries). */
  private readonly openCalls = new Map<number, OpenToolCall>();
  /** Reasoning summary parts already begun, by `output_index:summary_index`, to separate later parts. */
  private readonly summaryParts = new Set<string>();

  get ended(): boolean {
    return this.finished;
  }

  accept(data: Json): StreamEvent[] {
    if (this.finished) return [];
    const out: StreamEvent[] = [];
    const type = data.type;
    if (type === 'response.created') {
      this.start(out, isRecord(data.response) ? data.response : {});
      return out;
    }
    if (type === 'error') throw responsesFailure(data);
    if (type === 'response.failed') throw responsesFailure(isRecord(data.response) ? data.response.error : undefined);
    // Some servers skip `response.created`; the first event of substance starts the message then.
    this.start(out, {});
    switch (type) {
      case 'response.output_text.delta':
      case 'response.refusal.delta':
        if (typeof data.delta === 'string' && data.delta !== '') out.push({ type: 'text_delta', text: data.delta });
        break;
      case 'response.reasoning_summary_text.delta':
        this.summaryDelta(out, data);
        break;
      case 'response.reasoning_text.delta':
        if (typeof data.delta === 'string' && data.delta !== '') out.push({ type: 'thinking_delta', text: data.delta });
        break;
      case 'response.output_item.added':
        if (isRecord(data.item) && data.item.type === 'function_call') this.startCall(out, data.output_index, data.item);
        break;
      case 'response.function_call_arguments.delta':
        this.callDelta(out, data);
        break;
      case 'response.output_item.done':
        if (isRecord(data.item) && data.item.type === 'function_call') this.endCall(out, data.output_index, data.item);
        break;
      case 'response.completed':
      case 'response.incomplete':
        this.finish(out, isRecord(data.response) ? data.response : {});
        break;
      default:
        // in_progress, content_part.*, *.done, keepalives and hosted-tool progress carry nothing new.
        break;
    }
    return out;
  }

  private start(out: StreamEvent[], response: Json): void {
    if (this.started) return;
    this.started = true;
    out.push({
      type: 'message_start',
      id: typeof response.id === 'string' ? response.id : '',
      model: typeof response.model === 'string' ? response.model : '',
    });
  }

  private summaryDelta(out: StreamEvent[], data: Json): void {
    if (typeof data.delta !== 'string' || data.delta === '') return;
    const part = `${String(data.output_index)}:${String(data.summary_index)}`;
    // A reasoning item's summary comes in parts; as one thinking text they read as paragraphs.
    const separate = !this.summaryParts.has(part) && this.summaryParts.size > 0;
    this.summaryParts.add(part);
    out.push({ type: 'thinking_delta', text: separate ? `\n\n${data.delta}` : data.delta });
  }

  private startCall(out: StreamEvent[], outputIndex: unknown, item: Json): void {
    if (typeof outputIndex !== 'number' || this.openCalls.has(outputIndex)) return;
    const call: OpenToolCall = { index: this.nextToolIndex++, sawDelta: false };
    this.openCalls.set(outputIndex, call);
    out.push({
      type: 'tool_call_start',
      index: call.index,
      id: typeof item.call_id === 'string' ? item.call_id : '',
      name: typeof item.name === 'string' ? item.name : '',
    });
    // Arguments already present at `added` (rare, but allowed) are the first fragment.
    if (typeof item.arguments === 'string' && item.arguments !== '') {
      call.sawDelta = true;
      out.push({ type: 'tool_call_delta', index: call.index, arguments: item.arguments });
    }
  }

  private callDelta(out: StreamEvent[], data: Json): void {
    const call = typeof data.output_index === 'number' ? this.openCalls.get(data.output_index) : undefined;
    if (call === undefined || typeof data.delta !== 'string' || data.delta === '') return;
    call.sawDelta = true;
    out.push({ type: 'tool_call_delta', index: call.index, arguments: data.delta });
  }

  private endCall(out: StreamEvent[], outputIndex: unknown, item: Json): void {
    if (typeof outputIndex !== 'number') return;
    if (!this.openCalls.has(outputIndex)) this.startCall(out, outputIndex, { ...item, arguments: '' });
    const call = this.openCalls.get(outputIndex);
    if (call === undefined) return;
    // Some servers send the arguments only here (research/translation.md §3).
    if (!call.sawDelta && typeof item.arguments === 'string' && item.arguments !== '') {
      out.push({ type: 'tool_call_delta', index: call.index, arguments: item.arguments });
    }
    this.openCalls.delete(outputIndex);
    out.push({ type: 'tool_call_end', index: call.index });
  }

  private finish(out: StreamEvent[], response: Json): void {
    // Every started call ends before `finish` (the events' order contract), even if the provider forgot.
    for (const call of this.openCalls.values()) out.push({ type: 'tool_call_end', index: call.index });
    this.openCalls.clear();
    this.finished = true;
    out.push({ type: 'finish', reason: finishReasonOf(response, this.nextToolIndex > 0) });
    const usage = parseResponsesUsage(response.usage);
    if (usage !== undefined) out.push({ type: 'usage', usage });
  }
}

function parseData(event: SseEvent): Json | undefined {
  try {
    const data: unknown = JSON.parse(event.data);
    return isRecord(data) ? data : undefined;
  } catch {
    return undefined; // A keep-alive or a provider's stray line: nothing to decode.
  }
}

/**
 * Responses SSE → typed events, at any chunking. Events are yielded as soon as the network chunk that
 * completes them has been decoded. `response.failed` and `error` are thrown as GatewayErrors; a stream
 * that ends without `response.completed`/`response.incomplete` is an UpstreamError.
 */
export async function* decodeResponsesStream(
  source: AsyncIterable<Uint8Array>,
  options: { readonly maxEventBytes: number },
): AsyncIterable<StreamEvent> {
  const state = new ResponsesEventDecoder();
  let pending: StreamEvent[] = [];
  let failure: unknown;
  const decoder = createSseDecoder((event) => {
    if (failure !== undefined || state.ended) return;
    const data = parseData(event);
    if (data === undefined) return;
    try {
      pending.push(...state.accept(data));
    } catch (error) {
      failure = error; // Thrown after the events before it are out, never from inside the parser.
    }
  }, { maxEventBytes: options.maxEventBytes });

  const upstream = source[Symbol.asyncIterator]();
  let complete = false;
  try {
    for (;;) {
      const step = await upstream.next();
      if (step.done === true) break;
      try {
        decoder.push(step.value);
      } catch (error) {
        if (error instanceof SseEventTooLargeError) {
          failure ??= new UpstreamResponseTooLargeError(`Provider sent an event over the gateway's limit of ${error.limitBytes} bytes (maxEventBytes).`);
        } else {
          throw error;
        }
      }
      if (pending.length > 0) {
        const ready = pending;
        pending = [];
        yield* ready;
      }
      if (failure !== undefined) throw failure instanceof GatewayError ? failure : new UpstreamError('The provider stream failed.', { cause: failure });
      // The terminal event is in: the rest of the body (if any) is not ours to wait for.
      if (state.ended) {
        complete = true;
        return;
      }
    }
  } finally {
    await releaseSource(upstream, complete);
  }
  decoder.end();
  yield* pending;
  if (!state.ended) throw new UpstreamError('The provider stream ended early.');
}
