import { commentsOf, cutInsidePlaceholders, eventData, jsonEscaped, parseSse, restoredByHand, TRAILER } from './support';

/** Chat Completions streams for the restore tests: a spec of what the model says, its SSE, and what a caller reassembles. */
export const CONTENT = 'Write to [EMAIL_1] now; key: [API_KEY_1], phone [PHONE_12]. Not [EMAIL_2] or [1] 👋🏽.';
const REASONING = 'The user [EMAIL_1] wants ü.';
export const ARGS = [JSON.stringify({ to: '[EMAIL_1]', key: '[API_KEY_1]' }), JSON.stringify({ phone: '[PHONE_12]' })];
export const ENVELOPE = { id: 'chatcmpl-R1', object: 'chat.completion.chunk', created: 1764230400, model: 'gpt-4o-mini', system_fingerprint: 'fp_1' };

export interface ChatSpec {
  readonly reasoning?: readonly string[];
  readonly content: readonly string[];
  readonly tools?: readonly (readonly string[])[];
  /** The legacy `function_call` (a caller that sent `functions`): its arguments' pieces, after the content. */
  readonly functionCall?: readonly string[];
  /** Tool calls without `index` (some compatible providers): a new `id` starts the next call. */
  readonly indexless?: boolean;
  /** The last content delta rides on the finish_reason chunk. */
  readonly finishWithDelta?: boolean;
  readonly finish?: boolean;
  /** A chunk of `delta.annotations` (a search model's url citations), after the content piece at `after`. */
  readonly annotations?: { readonly after: number; readonly list: readonly unknown[] };
}

export function frame(choice: Record<string, unknown>): string {
  return `data: ${JSON.stringify({ ...ENVELOPE, choices: [{ index: 0, ...choice }] })}\n\n`;
}

export function chatSse(spec: ChatSpec): string {
  let sse = ': keep-alive\n\n' + frame({ delta: { role: 'assistant', content: '', refusal: null }, finish_reason: null });
  for (const piece of spec.reasoning ?? []) sse += frame({ delta: { content: null, reasoning_content: piece }, finish_reason: null });
  const content = spec.finishWithDelta === true ? spec.content.slice(0, -1) : spec.content;
  content.forEach((piece, n) => {
    sse += frame({ delta: { content: piece }, logprobs: null, finish_reason: null });
    if (spec.annotations?.after === n) sse += frame({ delta: { annotations: spec.annotations.list }, finish_reason: null });
  });
  (spec.tools ?? []).forEach((args, index) => {
    const address = spec.indexless === true ? {} : { index };
    sse += frame({ delta: { tool_calls: [{ ...address, id: `call_${index}`, type: 'function', function: { name: 'send', arguments: '' } }] }, finish_reason: null });
    for (const piece of args) sse += frame({ delta: { tool_calls: [{ ...address, function: { arguments: piece } }] }, finish_reason: null });
  });
  if (spec.functionCall !== undefined) {
    sse += frame({ delta: { content: null, function_call: { name: 'send', arguments: '' } }, finish_reason: null });
    for (const piece of spec.functionCall) sse += frame({ delta: { function_call: { arguments: piece } }, finish_reason: null });
  }
  if (spec.finish !== false) {
    const last = spec.finishWithDelta === true ? { content: spec.content[spec.content.length - 1] } : {};
    const reason = spec.functionCall !== undefined ? 'function_call' : spec.tools === undefined ? 'stop' : 'tool_calls';
    sse += frame({ delta: last, finish_reason: reason });
  }
  sse += `data: ${JSON.stringify({ ...ENVELOPE, choices: [], usage: { prompt_tokens: 9, completion_tokens: 9, total_tokens: 18 } })}\n\n`;
  return `${sse}: ${TRAILER}\n\ndata: [DONE]\n\n`;
}

interface ChatView {
  readonly content: string;
  readonly reasoning: string;
  readonly tools: string[];
  /** The legacy `function_call`'s arguments; undefined when the stream has none. */
  readonly functionCall?: string;
}

interface ChatDelta {
  readonly content?: string | null;
  readonly reasoning_content?: string;
  readonly tool_calls?: ReadonlyArray<{ index?: number; id?: string; function: { arguments?: string } }>;
  readonly function_call?: { name?: string; arguments?: string };
}

/** What a client accumulates from the chunks (OpenAI's rules: by tool `index`, or the latest call when there is none). */
export function accumulate(output: string, hasFinish: boolean): ChatView {
  const items = parseSse(output);
  const last = items[items.length - 1];
  expect(last).toEqual({ kind: 'event', data: '[DONE]' });
  // The trailer stays just before [DONE] when the stream has a finish_reason (held text is flushed there);
  // without one, the held text can only go out at [DONE], after the trailer.
  if (hasFinish) expect(items[items.length - 2]).toEqual({ kind: 'comment', text: TRAILER });
  expect(commentsOf(items)).toEqual(['keep-alive', TRAILER]);
  let content = '';
  let reasoning = '';
  const tools: string[] = [];
  let functionCall: string | undefined;
  let finished = false;
  for (const chunk of eventData(items)) {
    expect(chunk).toMatchObject({ id: ENVELOPE.id, object: ENVELOPE.object, created: ENVELOPE.created, model: ENVELOPE.model });
    for (const choice of chunk.choices as Array<{ delta: ChatDelta; finish_reason: string | null }>) {
      const delta = choice.delta;
      if (finished) expect(delta).toEqual({});
      content += delta.content ?? '';
      reasoning += delta.reasoning_content ?? '';
      for (const call of delta.tool_calls ?? []) {
        const at = call.index ?? (call.id === undefined ? tools.length - 1 : tools.length);
        tools[at] = (tools[at] ?? '') + (call.function.arguments ?? '');
      }
      if (delta.function_call !== undefined) functionCall = (functionCall ?? '') + (delta.function_call.arguments ?? '');
      if (choice.finish_reason !== null) finished = true;
    }
  }
  return { content, reasoning, tools, ...(functionCall === undefined ? {} : { functionCall }) };
}

export function expectRestored(output: string, spec: ChatSpec): void {
  const view = accumulate(output, spec.finish !== false);
  expect(view.content).toBe(restoredByHand(spec.content.join('')));
  expect(view.reasoning).toBe(restoredByHand((spec.reasoning ?? []).join('')));
  expect(view.tools.map((args) => JSON.parse(args) as unknown)).toEqual((spec.tools ?? []).map((args) => JSON.parse(restoredByHand(args.join(''), jsonEscaped())) as unknown));
  if (spec.functionCall === undefined) expect(view.functionCall).toBeUndefined();
  else expect(JSON.parse(view.functionCall ?? '')).toEqual(JSON.parse(restoredByHand(spec.functionCall.join(''), jsonEscaped())));
}

export const FULL: ChatSpec = {
  reasoning: cutInsidePlaceholders(REASONING),
  content: cutInsidePlaceholders(CONTENT),
  tools: ARGS.map((args) => cutInsidePlaceholders(args)),
};
