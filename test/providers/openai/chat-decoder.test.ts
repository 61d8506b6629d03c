import fc from 'fast-check';
import type { StreamEvent } from '../../../lambda/canonical/events';
import { GatewayError } from '../../../lambda/errors/gateway-error';
import { decodeChatJson, decodeChatStream } from '../../../lambda/providers/openai/chat-decoder';
import { chatFixture, chunksOf, collect, summarize, type AnswerSummary } from './chat-events';
import { bytes, dataPayloads, splitAt } from './tap-harness';

const LIMIT = { maxEventBytes: 1024 * 1024 };
const usage = (inputTokens: number, outputTokens: number, cachedTokens = 0, reasoningTokens = 0) =>
  ({ inputTokens, outputTokens, cachedTokens, cacheWriteTokens: 0, reasoningTokens });

/** The content of a fixture as JSON.parse reads it, chunk by chunk. */
function referenceText(name: string): string {
  return dataPayloads(Buffer.from(chatFixture(name)).toString('utf8')).filter((data) => data !== '[DONE]')
    .map((data) => (JSON.parse(data) as { choices: { delta: { content?: string | null } }[] }).choices[0]?.delta.content ?? '').join('');
}

/** What each recorded stream must decode to, as a client would aggregate it. */
const EXPECTED: Readonly<Record<string, Partial<AnswerSummary>>> = {
  plain: { text: 'The capital of France is Paris. It sits on the Seine.', thinking: '', calls: [], finish: 'stop', usage: undefined },
  // Compared with a plain JSON parse of the same bytes: the fixture mixes composed and decomposed accents.
  utf8: { text: referenceText('utf8'), calls: [], finish: 'stop' },
  'with-usage': { finish: 'stop', usage: usage(1337, 231, 1024, 192) },
  'tool-call': {
    text: '',
    calls: [{ id: 'call_7qXe2VbN4sKd9LmP0aZt1RyU', name: 'get_weather', arguments: '{"location":"Paris, France","unit":"celsius"}' }],
    finish: 'tool_calls',
  },
  'parallel-tool-calls': {
    id: 'chatcmpl-CgT4par4llelT00lC4llsXyZ01',
    model: 'gpt-4o-2024-08-06',
    calls: [
      { id: 'call_paris0001', name: 'get_weather', arguments: '{"location": "Paris, France"}' },
      { id: 'call_tokyo0002', name: 'get_time', arguments: '{"tz": "Asia/Tok\\u00e9yo"}' },
    ],
    finish: 'tool_calls',
    usage: usage(82, 47),
  },
  'reasoning-content': {
    model: 'deepseek-reasoner',
    thinking: 'Let me think: 2 + 2 is 4. Ça va 🤔.',
    text: 'The answer is **4**.',
    finish: 'stop',
    usage: usage(14, 120, 0, 102),
  },
  'no-index-tool-calls': {
    thinking: 'Two lookups needed.',
    calls: [
      { id: 'functions.lookup:0', name: 'lookup', arguments: '{"q":"alpha"}' },
      { id: 'functions.lookup:1', name: 'lookup', arguments: '{"q":"beta"}' },
    ],
    // The server said `stop`; a turn with tool calls is `tool_calls` whatever was said.
    finish: 'tool_calls',
    usage: usage(30, 25),
  },
};

describe.each(Object.keys(EXPECTED))('decodeChatStream on the recorded %s stream', (name) => {
  const input = chatFixture(name);
  let baseline: StreamEvent[];

  beforeAll(async () => {
    baseline = await collect(decodeChatStream(chunksOf([input]), LIMIT));
  });

  it('decodes to what a client aggregating the stream would see, in contract order', () => {
    expect(summarize(baseline)).toMatchObject(EXPECTED[name] ?? {});
  });

  it('gives the same events when split at every single byte boundary', async () => {
    const expected = JSON.stringify(baseline);
    for (let offset = 1; offset < input.length; offset++) {
      const events = await collect(decodeChatStream(chunksOf(splitAt(input, [offset])), LIMIT));
      if (JSON.stringify(events) !== expected) expect({ offset, events }).toEqual({ offset, events: baseline });
    }
  });

  it('gives the same events under random multi-splits and one-byte chunks', async () => {
    const oneByte = Array.from(input, (_, index) => input.subarray(index, index + 1));
    expect(await collect(decodeChatStream(chunksOf(oneByte), LIMIT))).toEqual(baseline);
    await fc.assert(fc.asyncProperty(fc.array(fc.integer({ min: 1, max: input.length - 1 }), { maxLength: 40 }), async (offsets) => {
      expect(await collect(decodeChatStream(chunksOf(splitAt(input, offsets)), LIMIT))).toEqual(baseline);
    }), { numRuns: 100 });
  });
});

describe('decodeChatStream failures', () => {
  const head = 'data: {"id":"c1","model":"m","choices":[{"index":0,"delta":{"content":"Hi"},"finish_reason":null}]}\n\n';

  it('throws UpstreamError when the stream ends without a finish_reason, after yielding what came', async () => {
    const seen: StreamEvent[] = [];
    await expect((async () => {
      for await (const event of decodeChatStream(chunksOf([bytes(head)]), LIMIT)) seen.push(event);
    })()).rejects.toMatchObject({ status: 502, code: 'upstream_error', message: 'The provider stream ended early.' });
    expect(seen.map((event) => event.type)).toEqual(['message_start', 'text_delta']);
  });

  it('throws the provider error of a mid-stream error event, with credentials scrubbed', async () => {
    const error = 'data: {"error":{"message":"overloaded for key sk-secret-123456789","type":"server_error"}}\n\n';
    const run = collect(decodeChatStream(chunksOf([bytes(head + error)]), { ...LIMIT, secrets: ['sk-secret-123456789'] }));
    await expect(run).rejects.toBeInstanceOf(GatewayError);
    await expect(run).rejects.toMatchObject({ status: 502, message: expect.stringContaining('overloaded for key [redacted]') as unknown });
  });

  it('throws 502 upstream_response_too_large for an event over maxEventBytes', async () => {
    const big = `data: {"choices":[{"index":0,"delta":{"content":"${'x'.repeat(5000)}"}}]}\n\n`;
    await expect(collect(decodeChatStream(chunksOf([bytes(head), ...splitAt(bytes(big), [1500, 3000])]), { maxEventBytes: 1000 })))
      .rejects.toMatchObject({ status: 502, code: 'upstream_response_too_large' });
  });

  it('stops reading the source once the consumer stops', async () => {
    let closed = false;
    async function* source(): AsyncGenerator<Uint8Array> {
      try {
        yield bytes(head);
        yield bytes(head);
      } finally {
        closed = true;
      }
    }
    for await (const event of decodeChatStream(source(), LIMIT)) if (event.type === 'text_delta') break;
    expect(closed).toBe(true);
  });
});

describe('decodeChatJson', () => {
  it('turns a chat.completion with reasoning, text, parallel calls and usage into the same events a stream gives', () => {
    const events = decodeChatJson({
      id: 'chatcmpl-1', object: 'chat.completion', created: 1, model: 'gpt-4o',
      choices: [{
        index: 0, finish_reason: 'tool_calls', logprobs: null,
        message: {
          role: 'assistant', content: 'Checking.', reasoning_content: 'Hmm.', refusal: null,
          tool_calls: [
            { id: 'call_a', type: 'function', function: { name: 'a', arguments: '{"x":1}' } },
            { id: 'call_b', type: 'function', function: { name: 'b', arguments: '' } },
          ],
        },
      }],
      usage: { prompt_tokens: 10, completion_tokens: 7, total_tokens: 17, prompt_tokens_details: { cached_tokens: 3 } },
    });
    expect(summarize(events)).toEqual({
      id: 'chatcmpl-1', model: 'gpt-4o', text: 'Checking.', thinking: 'Hmm.',
      calls: [{ id: 'call_a', name: 'a', arguments: '{"x":1}' }, { id: 'call_b', name: 'b', arguments: '' }],
      finish: 'tool_calls', usage: usage(10, 7, 3),
    });
  });

  it('maps length and content_filter, and throws on an error body', () => {
    const answer = (finish: string) => ({ id: 'x', model: 'm', choices: [{ index: 0, finish_reason: finish, message: { role: 'assistant', content: 'a' } }] });
    expect(summarize(decodeChatJson(answer('length'))).finish).toBe('length');
    expect(summarize(decodeChatJson(answer('content_filter'))).finish).toBe('content_filter');
    expect(() => decodeChatJson({ error: { message: 'bad' } })).toThrow(/bad/);
    expect(() => decodeChatJson({ choices: [] })).toThrow(GatewayError);
  });
});
