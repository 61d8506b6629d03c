import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { createAnswerRestorer } from '../../../lambda/pii/restore';
import {
  arbitraryOffsets, commentsOf, cutInsidePlaceholders, cutText, eventData, expectSameAtEveryByteSplit, ORIGINALS,
  jsonEscaped, parseSse, restoredByHand, restoreStream, splitsOfPlaceholder, TRAILER,
} from './support';

const CONTENT = 'Write to [EMAIL_1] now; key: [API_KEY_1], phone [PHONE_12]. Not [EMAIL_2] or [1] 👋🏽.';
const REASONING = 'The user [EMAIL_1] wants ü.';
const ARGS = [JSON.stringify({ to: '[EMAIL_1]', key: '[API_KEY_1]' }), JSON.stringify({ phone: '[PHONE_12]' })];
const ENVELOPE = { id: 'chatcmpl-R1', object: 'chat.completion.chunk', created: 1764230400, model: 'gpt-4o-mini', system_fingerprint: 'fp_1' };

interface ChatSpec {
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
}

function frame(choice: Record<string, unknown>): string {
  return `data: ${JSON.stringify({ ...ENVELOPE, choices: [{ index: 0, ...choice }] })}\n\n`;
}

function chatSse(spec: ChatSpec): string {
  let sse = ': keep-alive\n\n' + frame({ delta: { role: 'assistant', content: '', refusal: null }, finish_reason: null });
  for (const piece of spec.reasoning ?? []) sse += frame({ delta: { content: null, reasoning_content: piece }, finish_reason: null });
  const content = spec.finishWithDelta === true ? spec.content.slice(0, -1) : spec.content;
  for (const piece of content) sse += frame({ delta: { content: piece }, logprobs: null, finish_reason: null });
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
function accumulate(output: string, hasFinish: boolean): ChatView {
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

function expectRestored(output: string, spec: ChatSpec): void {
  const view = accumulate(output, spec.finish !== false);
  expect(view.content).toBe(restoredByHand(spec.content.join('')));
  expect(view.reasoning).toBe(restoredByHand((spec.reasoning ?? []).join('')));
  expect(view.tools.map((args) => JSON.parse(args) as unknown)).toEqual((spec.tools ?? []).map((args) => JSON.parse(restoredByHand(args.join(''), jsonEscaped())) as unknown));
  if (spec.functionCall === undefined) expect(view.functionCall).toBeUndefined();
  else expect(JSON.parse(view.functionCall ?? '')).toEqual(JSON.parse(restoredByHand(spec.functionCall.join(''), jsonEscaped())));
}

const FULL: ChatSpec = {
  reasoning: cutInsidePlaceholders(REASONING),
  content: cutInsidePlaceholders(CONTENT),
  tools: ARGS.map((args) => cutInsidePlaceholders(args)),
};

describe('stream(): openai-chat', () => {
  it('restores content, reasoning and tool arguments split inside placeholders, at every byte split', async () => {
    await expectSameAtEveryByteSplit('openai-chat', chatSse(FULL), (output) => expectRestored(output, FULL));
  });

  it('restores a placeholder split at each of its positions, and flushes into the finish_reason chunk', async () => {
    for (const placeholder of ORIGINALS.keys()) {
      for (const pieces of splitsOfPlaceholder(CONTENT, placeholder)) {
        for (const finishWithDelta of [false, true]) {
          const spec: ChatSpec = { content: [...pieces, ' [E'], finishWithDelta };
          expectRestored(await restoreStream('openai-chat', chatSse(spec)), spec);
        }
      }
    }
  });

  it('tool calls without index: each call gets its own arguments back', async () => {
    const spec: ChatSpec = { content: ['ok'], tools: [cutText(ARGS[0] ?? '', [8, 11, 30]), cutText(ARGS[1] ?? '', [12, 15])], indexless: true };
    await expectSameAtEveryByteSplit('openai-chat', chatSse(spec), (output) => expectRestored(output, spec));
  });

  it('flushes held text before a chunk that moves to another channel, and before [DONE] without a finish', async () => {
    const spec: ChatSpec = { reasoning: ['see [EM'], content: ['Hi [PH'], tools: [['{"a":"[EM']], finish: false };
    const output = await restoreStream('openai-chat', chatSse(spec));
    const view = accumulate(output, false);
    expect(view).toEqual({ reasoning: 'see [EM', content: 'Hi [PH', tools: ['{"a":"[EM'] });
    const deltas = eventData(parseSse(output)).flatMap((chunk) => (chunk.choices as Array<{ delta: Record<string, unknown> }>).map((choice) => JSON.stringify(choice.delta)));
    expect(deltas.indexOf('{"reasoning_content":"[EM"}')).toBeLessThan(deltas.indexOf('{"content":"Hi "}'));
    expect(deltas.indexOf('{"content":"[PH"}')).toBeLessThan(deltas.findIndex((delta) => delta.includes('call_0')));
    // The last one: synthesised just before [DONE].
    expect(deltas[deltas.length - 1]).toBe('{"tool_calls":[{"index":0,"function":{"arguments":"[EM"}}]}');
  });

  it('random network and delta splits', async () => {
    await fc.assert(fc.asyncProperty(fc.array(fc.nat(), { maxLength: 8 }), fc.array(fc.nat(), { maxLength: 8 }), arbitraryOffsets(4000), async (textCuts, argCuts, byteCuts) => {
      // Either the last content delta rides on the finish chunk, or tool calls follow the content.
      const finishWithDelta = textCuts.length % 2 === 0;
      const spec: ChatSpec = {
        content: cutText(CONTENT, textCuts.map((cut) => cut % CONTENT.length)),
        ...(finishWithDelta ? {} : { tools: ARGS.map((args) => cutText(args, argCuts.map((cut) => cut % args.length))) }),
        finishWithDelta,
      };
      expectRestored(await restoreStream('openai-chat', chatSse(spec), byteCuts), spec);
    }), { numRuns: 200 });
  });

  it('real fixtures without placeholders come out byte for byte (as the tap framed them: LF line ends)', async () => {
    for (const name of ['plain', 'tool-call', 'parallel-tool-calls', 'no-index-tool-calls', 'reasoning-content', 'utf8', 'with-usage']) {
      const sse = readFileSync(join(__dirname, '../../fixtures/openai', `${name}.sse`), 'utf8');
      expect(await restoreStream('openai-chat', sse, [7, 100, 101, 500])).toBe(sse.replace(/\r\n/g, '\n'));
    }
  });

  it('a real fixture with a placeholder cut across its deltas', async () => {
    const fixture = readFileSync(join(__dirname, '../../fixtures/openai/plain.sse'), 'utf8');
    const sse = fixture.replace('"content":" France"', '"content":" [EMA"').replace('"content":" is"', '"content":"IL_1] is"');
    const output = await restoreStream('openai-chat', sse);
    expect(accumulateContent(output)).toBe('The capital of alice@example.com is Paris. It sits on the Seine.');
  });
});

describe('stream(): openai-chat, legacy function_call', () => {
  const deltasOf = (output: string): string[] => eventData(parseSse(output)).flatMap((chunk) => (chunk.choices as Array<{ delta: unknown }>).map((choice) => JSON.stringify(choice.delta)));

  it('restores delta.function_call.arguments split inside placeholders, at every byte split', async () => {
    const spec: ChatSpec = { content: cutInsidePlaceholders(CONTENT), functionCall: cutInsidePlaceholders(ARGS[0] ?? '') };
    await expectSameAtEveryByteSplit('openai-chat', chatSse(spec), (output) => expectRestored(output, spec));
  });

  it('restores a placeholder split at each of its positions inside the arguments', async () => {
    const args = ARGS[0] ?? '';
    for (const placeholder of ORIGINALS.keys()) {
      if (!args.includes(placeholder)) continue;
      for (const pieces of splitsOfPlaceholder(args, placeholder)) {
        const spec: ChatSpec = { content: ['ok'], functionCall: pieces };
        expectRestored(await restoreStream('openai-chat', chatSse(spec)), spec);
      }
    }
  });

  it('the call\'s start (its name) flushes held content first; held arguments go out in the finish_reason chunk', async () => {
    const spec: ChatSpec = { content: ['Hi [PH'], functionCall: ['{"to":"[EMAIL_1]","k":"[API'] };
    const output = await restoreStream('openai-chat', chatSse(spec));
    expect(accumulate(output, true)).toEqual({ content: 'Hi [PH', reasoning: '', tools: [], functionCall: '{"to":"alice@example.com","k":"[API' });
    const deltas = deltasOf(output);
    expect(deltas.indexOf('{"content":"[PH"}')).toBe(deltas.findIndex((delta) => delta.includes('"name":"send"')) - 1);
    expect(deltas[deltas.length - 1]).toBe('{"function_call":{"arguments":"[API"}}');
    const finish = eventData(parseSse(output)).find((chunk) => (chunk.choices as Array<{ finish_reason: string | null }>)[0]?.finish_reason === 'function_call');
    expect(finish?.choices).toEqual([{ index: 0, delta: { function_call: { arguments: '[API' } }, finish_reason: 'function_call' }]);
  });

  it('keeps the name when restoring arguments that arrive with it', async () => {
    const spec: ChatSpec = { content: [], functionCall: [] };
    const sse = chatSse(spec).replace('"function_call":{"name":"send","arguments":""}', '"function_call":{"name":"send","arguments":"{\\"to\\":\\"[EMAIL_1]\\"}"}');
    expect(sse).not.toBe(chatSse(spec));
    const chunk = eventData(parseSse(await restoreStream('openai-chat', sse))).find((data) => JSON.stringify(data).includes('"name":"send"'));
    expect(chunk?.choices).toEqual([{ index: 0, delta: { content: null, function_call: { name: 'send', arguments: '{"to":"alice@example.com"}' } }, finish_reason: null }]);
  });

  it('a stream without placeholders comes out byte for byte, at every byte split', async () => {
    // No piece ends in the start of a key (`[`, `[EMAIL_`): such a tail is rightly held until it is told apart.
    const args = JSON.stringify({ to: '[EMAIL_2]', ref: '[1]', n: 'ü 👋🏽' });
    const spec: ChatSpec = { content: ['See [1] and ', '[NOTE_1].'], functionCall: cutText(args, [5, args.indexOf(',') - 1, args.indexOf('[1') + 2]) };
    const sse = chatSse(spec);
    await expectSameAtEveryByteSplit('openai-chat', sse, (output) => expect(output).toBe(sse));
  });
});

describe('stream(): openai-chat, several choices', () => {
  it('keeps one channel per choice and field (`reasoning`, `refusal` included), flushing each at its own finish', async () => {
    const chunk = (choices: unknown[]): string => `data: ${JSON.stringify({ ...ENVELOPE, choices })}\n\n`;
    const sse = chunk([{ index: 0, delta: { reasoning: 'r [EM' } }, { index: 1, delta: { refusal: 'no [PHO' } }])
      + chunk([{ index: 1, delta: { refusal: 'NE_12]' } }, { index: 0, delta: { reasoning: 'AIL_1] [API_KEY' } }])
      + chunk([{ index: 1, delta: {}, finish_reason: 'stop' }])
      + chunk([{ index: 0, delta: { content: 'ok' }, finish_reason: 'stop' }])
      + 'data: [DONE]\n\n';
    await expectSameAtEveryByteSplit('openai-chat', sse, (output) => {
      const fields = new Map<string, string>();
      for (const data of eventData(parseSse(output))) {
        for (const choice of data.choices as Array<{ index: number; delta: Record<string, string> }>) {
          for (const [name, text] of Object.entries(choice.delta)) fields.set(`${choice.index}.${name}`, (fields.get(`${choice.index}.${name}`) ?? '') + text);
        }
      }
      expect(Object.fromEntries(fields)).toEqual({ '0.reasoning': 'r alice@example.com [API_KEY', '0.content': 'ok', '1.refusal': 'no +44 [20] 7946 0958' });
    });
  });
});

describe('stream(): formats without text', () => {
  it('passes an embeddings stream (or any other format) through as the very same iterable', () => {
    const source: AsyncIterable<Uint8Array> = { [Symbol.asyncIterator]: () => ({ next: () => Promise.resolve({ done: true, value: undefined }) }) };
    expect(createAnswerRestorer(ORIGINALS).stream(source, 'openai-embeddings')).toBe(source);
  });
});

function accumulateContent(output: string): string {
  return eventData(parseSse(output)).map((chunk) => (chunk.choices as Array<{ delta?: { content?: string | null } }>).map((choice) => choice.delta?.content ?? '').join('')).join('');
}

describe('stream(): openai-completions', () => {
  function completionsSse(pieces: readonly string[], finish: boolean): string {
    let sse = '';
    for (const piece of pieces) sse += `data: ${JSON.stringify({ id: 'cmpl-1', object: 'text_completion', created: 1, model: 'gpt-3.5-turbo-instruct', choices: [{ text: piece, index: 0, logprobs: null, finish_reason: null }] })}\n\n`;
    if (finish) sse += `data: ${JSON.stringify({ id: 'cmpl-1', object: 'text_completion', created: 1, model: 'gpt-3.5-turbo-instruct', choices: [{ text: '', index: 0, logprobs: null, finish_reason: 'length' }] })}\n\n`;
    return `${sse}: ${TRAILER}\n\ndata: [DONE]\n\n`;
  }

  function text(output: string, hasFinish = true): string {
    const items = parseSse(output);
    expect(items[items.length - 1]).toEqual({ kind: 'event', data: '[DONE]' });
    if (hasFinish) expect(items[items.length - 2]).toEqual({ kind: 'comment', text: TRAILER });
    return eventData(items).map((chunk) => (chunk.choices as Array<{ text: string }>).map((choice) => choice.text).join('')).join('');
  }

  it('restores choices[].text at every byte split', async () => {
    const pieces = cutInsidePlaceholders(CONTENT);
    await expectSameAtEveryByteSplit('openai-completions', completionsSse(pieces, true), (output) => expect(text(output)).toBe(restoredByHand(CONTENT)));
  });

  it('flushes held text in a synthesised chunk when the stream has no finish_reason', async () => {
    const output = await restoreStream('openai-completions', completionsSse(['x [EMAIL_1] [API'], false));
    expect(text(output, false)).toBe('x alice@example.com [API');
    const last = eventData(parseSse(output)).pop();
    expect(last).toEqual({ id: 'cmpl-1', object: 'text_completion', created: 1, model: 'gpt-3.5-turbo-instruct', choices: [{ index: 0, text: '[API', logprobs: null, finish_reason: null }] });
  });
});
