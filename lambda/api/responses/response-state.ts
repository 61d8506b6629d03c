import type { EncodeContext, FinishReason, StreamEvent } from '../../canonical/events';
import { CUSTOM_TOOL_INPUT, namespacedToolName, type ToolDefinition } from '../../canonical/request';
import type { GatewayError } from '../../errors/gateway-error';
import type { TokenUsage } from '../../canonical/usage';

/** One Responses stream frame's payload; `type` doubles as the SSE `event:` name. */
export type ResponsesFrame = Readonly<Record<string, unknown>> & { readonly type: string };
export type FrameSink = (frame: ResponsesFrame) => void;
type Item = Readonly<Record<string, unknown>>;

interface OpenText { readonly outputIndex: number; readonly id: string; text: string }
/** The tool's name (and namespace) as the caller declared it. */
interface CallNames { readonly name: string; readonly namespace?: string }
interface OpenCall { readonly outputIndex: number; readonly id: string; readonly callId: string; readonly names: CallNames; readonly custom: boolean; args: string }

/** The free-text input of a custom tool call from the `{"input": "…"}` arguments; the raw text if the model wrote none. */
function customInput(args: string): string {
  try {
    const parsed: unknown = JSON.parse(args);
    if (typeof parsed === 'object' && parsed !== null && CUSTOM_TOOL_INPUT in parsed) {
      const input = (parsed as Record<string, unknown>)[CUSTOM_TOOL_INPUT];
      if (typeof input === 'string') return input;
    }
  } catch {
    // Not JSON: the model wrote the input itself.
  }
  return args;
}

/** Codex reads `rate_limit_exceeded` (and its "try again in" text) to back off; the rest pass as they are. */
const RESPONSES_ERROR_CODES: Readonly<Record<string, string>> = { rate_limited: 'rate_limit_exceeded' };

function usageObject(usage: TokenUsage, context: EncodeContext): Item {
  return {
    input_tokens: usage.inputTokens,
    input_tokens_details: { cached_tokens: usage.cachedTokens },
    output_tokens: usage.outputTokens,
    output_tokens_details: { reasoning_tokens: usage.reasoningTokens },
    total_tokens: usage.inputTokens + usage.outputTokens,
    ...context.usageExtras(usage),
  };
}

/**
 * Typed events → the Responses output model, as a state machine. Each event turns into the frames it
 * completes, in the order the openai SDK's ResponseStream and Codex expect: an item is `added` before
 * any delta addresses its `output_index`, and `done` carries it whole. Output indexes are handed out
 * when an item starts, so parallel tool calls may interleave. At most one message and one reasoning
 * item are open at a time; a tool call closes both (the model has moved on). The same machine
 * builds the JSON answer, with a sink that drops the frames.
 */
export class ResponseState {
  private sequence = 0;
  private itemCount = 0;
  private started = false;
  private readonly items: (Item | undefined)[] = [];
  private text: OpenText | undefined;
  private reasoning: OpenText | undefined;
  private readonly calls = new Map<number, OpenCall>();
  private finishReason: FinishReason = 'stop';
  private usage: TokenUsage | undefined;
  private readonly idBase: string;
  private readonly tools: ReadonlyMap<string, ToolDefinition>;

  constructor(private readonly context: EncodeContext, private readonly sink: FrameSink) {
    this.idBase = context.requestId.replace(/^req_/, '');
    this.tools = new Map(context.tools.map((tool) => [tool.name, tool]));
  }

  accept(event: StreamEvent): void {
    this.start();
    switch (event.type) {
      case 'message_start':
        break;
      case 'text_delta':
        this.closeReasoning();
        this.textDelta(event.text);
        break;
      case 'thinking_delta':
        this.closeText();
        this.reasoningDelta(event.text);
        break;
      case 'tool_call_start':
        this.closeText();
        this.closeReasoning();
        this.callStart(event.index, event.id, event.name);
        break;
      case 'tool_call_delta':
        this.callDelta(event.index, event.arguments);
        break;
      case 'tool_call_end':
        this.callEnd(event.index);
        break;
      case 'finish':
        this.finishReason = event.reason;
        break;
      case 'usage':
        this.usage = event.usage;
        break;
      case 'thinking_signature':
      case 'redacted_thinking':
        // Another provider's proof of reasoning: meaningless to OpenAI, and never forwarded as encrypted_content.
        break;
    }
  }

  /** `response.created` and `response.in_progress`, once, before anything else. */
  start(): void {
    if (this.started) return;
    this.started = true;
    this.emit('response.created', { response: this.response('in_progress') });
    this.emit('response.in_progress', { response: this.response('in_progress') });
  }

  /** Closes whatever is still open: the source ended. */
  closeAll(): void {
    this.start();
    this.closeText();
    this.closeReasoning();
    for (const index of [...this.calls.keys()]) this.callEnd(index);
  }

  /** `response.completed`, or `response.incomplete` when output was cut short. */
  terminal(): void {
    const response = this.finalResponse();
    this.emit(response.status === 'completed' ? 'response.completed' : 'response.incomplete', { response });
  }

  failed(error: GatewayError): void {
    this.start();
    const code = RESPONSES_ERROR_CODES[error.code] ?? error.code;
    this.emit('response.failed', { response: { ...this.response('failed'), error: { code, message: error.message } } });
  }

  /** The Response object of the finished answer (the JSON body, and `response.completed`'s payload). */
  finalResponse(): Item & { readonly status: string } {
    const incomplete = this.finishReason === 'length' ? 'max_output_tokens' : this.finishReason === 'content_filter' ? 'content_filter' : undefined;
    return {
      ...this.response(incomplete === undefined ? 'completed' : 'incomplete'),
      ...(incomplete === undefined ? { completed_at: Math.floor(Date.now() / 1000) } : { incomplete_details: { reason: incomplete } }),
      usage: this.usage === undefined ? null : usageObject(this.usage, this.context),
      status: incomplete === undefined ? 'completed' : 'incomplete',
    };
  }

  private response(status: string): Item {
    return {
      id: `resp_${this.idBase}`, object: 'response', created_at: this.context.createdAt, status, background: false,
      error: null, incomplete_details: null, instructions: null, max_output_tokens: null, model: this.context.model,
      output: this.items.filter((item): item is Item => item !== undefined), parallel_tool_calls: true,
      previous_response_id: null, reasoning: { effort: null, summary: null }, store: false, temperature: null,
      text: { format: { type: 'text' } }, tool_choice: 'auto', tools: [], top_p: null, truncation: 'disabled',
      usage: null, metadata: {},
    };
  }

  private emit(type: string, fields: Item): void {
    this.sink({ type, sequence_number: this.sequence++, ...fields });
  }

  private newItem(prefix: string, item: (id: string) => Item): { outputIndex: number; id: string } {
    const outputIndex = this.itemCount++;
    const id = `${prefix}_${this.idBase}${outputIndex.toString().padStart(3, '0')}`;
    this.emit('response.output_item.added', { output_index: outputIndex, item: item(id) });
    return { outputIndex, id };
  }

  private textDelta(delta: string): void {
    if (this.text === undefined) {
      const { outputIndex, id } = this.newItem('msg', (itemId) => ({ id: itemId, type: 'message', status: 'in_progress', content: [], role: 'assistant' }));
      this.text = { outputIndex, id, text: '' };
      this.emit('response.content_part.added', { item_id: id, output_index: outputIndex, content_index: 0, part: { type: 'output_text', annotations: [], logprobs: [], text: '' } });
    }
    this.text.text += delta;
    this.emit('response.output_text.delta', { item_id: this.text.id, output_index: this.text.outputIndex, content_index: 0, delta, logprobs: [] });
  }

  private closeText(): void {
    const open = this.text;
    if (open === undefined) return;
    this.text = undefined;
    const where = { item_id: open.id, output_index: open.outputIndex, content_index: 0 };
    const part = { type: 'output_text', annotations: [], logprobs: [], text: open.text };
    this.emit('response.output_text.done', { ...where, text: open.text, logprobs: [] });
    this.emit('response.content_part.done', { ...where, part });
    this.finishItem(open.outputIndex, { id: open.id, type: 'message', status: 'completed', content: [part], role: 'assistant' });
  }

  private reasoningDelta(delta: string): void {
    if (this.reasoning === undefined) {
      const { outputIndex, id } = this.newItem('rs', (itemId) => ({ id: itemId, type: 'reasoning', summary: [] }));
      this.reasoning = { outputIndex, id, text: '' };
      this.emit('response.reasoning_summary_part.added', { item_id: id, output_index: outputIndex, summary_index: 0, part: { type: 'summary_text', text: '' } });
    }
    this.reasoning.text += delta;
    this.emit('response.reasoning_summary_text.delta', { item_id: this.reasoning.id, output_index: this.reasoning.outputIndex, summary_index: 0, delta });
  }

  private closeReasoning(): void {
    const open = this.reasoning;
    if (open === undefined) return;
    this.reasoning = undefined;
    const where = { item_id: open.id, output_index: open.outputIndex, summary_index: 0 };
    const part = { type: 'summary_text', text: open.text };
    this.emit('response.reasoning_summary_text.done', { ...where, text: open.text });
    this.emit('response.reasoning_summary_part.done', { ...where, part });
    this.finishItem(open.outputIndex, { id: open.id, type: 'reasoning', summary: [part] });
  }

  private callStart(index: number, callId: string, providerName: string): void {
    if (this.calls.has(index)) return;
    const tool = this.tools.get(providerName);
    const custom = tool?.kind === 'custom';
    // A namespaced tool was `<namespace>__<tool>` toward the provider; the caller gets its own names back.
    const names = tool?.namespace === undefined
      ? { name: providerName }
      : { name: providerName.slice(namespacedToolName(tool.namespace, '').length), namespace: tool.namespace };
    const { outputIndex, id } = custom
      ? this.newItem('ctc', (itemId) => ({ id: itemId, type: 'custom_tool_call', status: 'in_progress', input: '', call_id: callId, ...names }))
      : this.newItem('fc', (itemId) => ({ id: itemId, type: 'function_call', status: 'in_progress', arguments: '', call_id: callId, ...names }));
    this.calls.set(index, { outputIndex, id, callId, names, custom, args: '' });
  }

  private callDelta(index: number, delta: string): void {
    const call = this.calls.get(index);
    if (call === undefined || delta === '') return;
    call.args += delta;
    // A custom call's input is a string inside the provider's JSON arguments: it is unwrapped once whole.
    if (!call.custom) this.emit('response.function_call_arguments.delta', { item_id: call.id, output_index: call.outputIndex, delta });
  }

  /** A custom tool call: the `input` string out of the function arguments the provider produced. */
  private customCallEnd(call: OpenCall): void {
    const input = customInput(call.args);
    const where = { item_id: call.id, output_index: call.outputIndex };
    this.emit('response.custom_tool_call_input.delta', { ...where, delta: input });
    this.emit('response.custom_tool_call_input.done', { ...where, input });
    this.finishItem(call.outputIndex, { id: call.id, type: 'custom_tool_call', status: 'completed', input, call_id: call.callId, ...call.names });
  }

  private callEnd(index: number): void {
    const call = this.calls.get(index);
    if (call === undefined) return;
    this.calls.delete(index);
    if (call.custom) {
      this.customCallEnd(call);
      return;
    }
    // Codex parses the arguments of `done` as JSON: a call without arguments has the empty object.
    const args = call.args === '' ? '{}' : call.args;
    this.emit('response.function_call_arguments.done', { item_id: call.id, output_index: call.outputIndex, name: call.names.name, arguments: args });
    this.finishItem(call.outputIndex, { id: call.id, type: 'function_call', status: 'completed', arguments: args, call_id: call.callId, ...call.names });
  }

  private finishItem(outputIndex: number, item: Item): void {
    this.items[outputIndex] = item;
    this.emit('response.output_item.done', { output_index: outputIndex, item });
  }
}
