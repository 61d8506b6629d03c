import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { createAnswerRestorer } from '../../../lambda/pii/restore';
import {
  arbitraryOffsets, cutInsidePlaceholders, cutText, eventData, expectSameAtEveryByteSplit, ORIGINALS,
  parseSse, restoredByHand, restoreStream, splitsOfPlaceholder, TRAILER,
} from './support';
import { accumulate, ARGS, chatSse, CONTENT, ENVELOPE, expectRestored, FULL, type ChatSpec } from './chat-stream-fixture';

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
