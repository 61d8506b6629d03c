import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import OpenAI from 'openai';
import { chatCompletionsEncoder } from '../../../lambda/api/openai/chat-encoder';
import type { EncodeContext, StreamEvent } from '../../../lambda/canonical/events';
import { UpstreamError } from '../../../lambda/errors/gateway-error';
import { decodeChatStream } from '../../../lambda/providers/openai/chat-decoder';
import type { TokenUsage } from '../../../lambda/canonical/usage';
import { chunksOf, collect, eventsOf, summarize } from '../../providers/openai/chat-events';

const USAGE: TokenUsage = { inputTokens: 120, outputTokens: 45, cachedTokens: 100, cacheWriteTokens: 0, reasoningTokens: 20 };

function context(overrides: Partial<EncodeContext> = {}): EncodeContext {
  return {
    requestId: 'req_abc123',
    tools: [],
    model: 'my-alias',
    createdAt: 1764230400,
    includeUsage: true,
    usageExtras: () => ({ cost_usd: 0.0123 }),
    trailer: () => 'gatellm {"cost_usd":0.0123}',
    ...overrides,
  };
}

/** Text, thinking, two parallel calls with arguments split mid-string, finish, late usage. */
const ANSWER: readonly StreamEvent[] = [
  { type: 'message_start', id: 'msg_1', model: 'claude-x' },
  { type: 'thinking_delta', text: 'Need weather ' },
  { type: 'thinking_delta', text: 'and time.' },
  { type: 'thinking_signature', signature: 'sig==' },
  { type: 'text_delta', text: 'Let me check ' },
  { type: 'text_delta', text: 'both 👋.' },
  { type: 'tool_call_start', index: 0, id: 'toolu_01', name: 'get_weather' },
  { type: 'tool_call_delta', index: 0, arguments: '{"city":"Pa' },
  { type: 'tool_call_start', index: 1, id: 'toolu_02', name: 'get_time' },
  { type: 'tool_call_delta', index: 0, arguments: 'ris"}' },
  { type: 'tool_call_delta', index: 1, arguments: '{"tz":"UTC"}' },
  { type: 'tool_call_end', index: 0 },
  { type: 'tool_call_end', index: 1 },
  { type: 'finish', reason: 'tool_calls' },
  { type: 'usage', usage: USAGE },
];

async function encodedText(events: readonly StreamEvent[], ctx = context()): Promise<string> {
  return Buffer.concat(await collect(chatCompletionsEncoder.encodeStream(eventsOf(events), ctx))).toString('utf8');
}

/** Serves whatever `reply` holds to any request, as the gateway would. */
async function replayServer(): Promise<{ server: Server; baseURL: string; reply: { body: string; stream: boolean } }> {
  const reply = { body: '', stream: true };
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': reply.stream ? 'text/event-stream' : 'application/json' });
      res.end(reply.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, baseURL: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`, reply };
}

describe('chatCompletionsEncoder.encodeStream', () => {
  it('writes OpenAI framing: role chunk first, usage:null on choices chunks, finish then usage chunk, trailer, [DONE]', async () => {
    const text = await encodedText(ANSWER);
    const frames = text.split('\n\n').filter((frame) => frame !== '');
    expect(frames.at(-1)).toBe('data: [DONE]');
    expect(frames.at(-2)).toBe(': gatellm {"cost_usd":0.0123}');
    const chunks = frames.filter((frame) => frame.startsWith('data: {')).map((frame) => JSON.parse(frame.slice(6)) as Record<string, unknown>);
    expect(chunks[0]).toEqual({
      id: 'chatcmpl-req_abc123', object: 'chat.completion.chunk', created: 1764230400, model: 'my-alias',
      choices: [{ index: 0, delta: { role: 'assistant', content: '' }, logprobs: null, finish_reason: null }], usage: null,
    });
    expect(chunks.at(-2)).toMatchObject({ choices: [{ delta: {}, finish_reason: 'tool_calls' }], usage: null });
    expect(chunks.at(-1)).toEqual({
      id: 'chatcmpl-req_abc123', object: 'chat.completion.chunk', created: 1764230400, model: 'my-alias', choices: [],
      usage: {
        prompt_tokens: 120, completion_tokens: 45, total_tokens: 165,
        prompt_tokens_details: { cached_tokens: 100 }, completion_tokens_details: { reasoning_tokens: 20 }, cost_usd: 0.0123,
      },
    });
    expect(text).not.toContain('sig==');
  });

  it('omits usage fields entirely when the caller did not ask for usage, and maps stop_sequence to stop', async () => {
    const text = await encodedText([
      { type: 'message_start', id: 'm', model: 'm' }, { type: 'text_delta', text: 'Hi' },
      { type: 'finish', reason: 'stop_sequence' }, { type: 'usage', usage: USAGE },
    ], context({ includeUsage: false, trailer: () => undefined }));
    expect(text).not.toContain('usage');
    expect(text).toContain('"finish_reason":"stop"');
    expect(text.endsWith('"finish_reason":"stop"}]}\n\ndata: [DONE]\n\n')).toBe(true);
  });

  it('writes each frame as soon as its event arrives', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => { release = resolve; });
    async function* slow(): AsyncGenerator<StreamEvent> {
      yield { type: 'message_start', id: 'm', model: 'm' };
      yield { type: 'text_delta', text: 'first' };
      await gate;
      yield { type: 'finish', reason: 'stop' };
    }
    const iterator = chatCompletionsEncoder.encodeStream(slow(), context())[Symbol.asyncIterator]();
    expect(Buffer.from((await iterator.next()).value as Uint8Array).toString()).toContain('"role":"assistant"');
    expect(Buffer.from((await iterator.next()).value as Uint8Array).toString()).toContain('"content":"first"');
    release();
    expect(Buffer.from((await iterator.next()).value as Uint8Array).toString()).toContain('"finish_reason":"stop"');
  });

  it('writes an OpenAI error frame and rethrows when the source fails mid-stream', async () => {
    async function* failing(): AsyncGenerator<StreamEvent> {
      yield { type: 'message_start', id: 'm', model: 'm' };
      yield { type: 'text_delta', text: 'partial' };
      throw new UpstreamError('Provider went away.');
    }
    const written: string[] = [];
    await expect((async () => {
      for await (const chunk of chatCompletionsEncoder.encodeStream(failing(), context())) written.push(Buffer.from(chunk).toString());
    })()).rejects.toBeInstanceOf(UpstreamError);
    expect(JSON.parse(written.at(-1)?.slice(6) ?? '')).toEqual({ error: { message: 'Provider went away.', type: 'api_error', param: null, code: 'upstream_error' } });
  });
});

describe('decode(encode(events)) keeps what the caller sees (property)', () => {
  const piece = fc.string({ unit: fc.constantFrom('a', ' ', 'é', '世', '👋🏽', '"', '\\', '\n', '{', '}'), minLength: 1, maxLength: 8 });
  const content = fc.array(fc.oneof(
    piece.map((text): StreamEvent => ({ type: 'text_delta', text })),
    piece.map((text): StreamEvent => ({ type: 'thinking_delta', text })),
  ), { maxLength: 12 });
  const calls = fc.array(fc.record({ name: fc.constantFrom('a', 'get_weather', 'x_y'), args: fc.array(piece, { maxLength: 5 }) }), { maxLength: 3 });
  const usage = fc.record({ input: fc.nat(1e6), output: fc.nat(1e6), cached: fc.nat(1e6), reasoning: fc.nat(1e6) }).map((u): TokenUsage => ({
    inputTokens: u.input, outputTokens: u.output, cachedTokens: Math.min(u.cached, u.input), cacheWriteTokens: 0, reasoningTokens: Math.min(u.reasoning, u.output),
  }));

  it('text, thinking text, tool calls (interleaved) and usage survive', async () => {
    await fc.assert(fc.asyncProperty(content, calls, usage, fc.constantFrom('stop', 'length', 'content_filter') , async (body, toolCalls, totals, reason) => {
      const events: StreamEvent[] = [{ type: 'message_start', id: 'm', model: 'm' }, ...body];
      toolCalls.forEach((call, index) => events.push({ type: 'tool_call_start', index, id: `call_${index}`, name: call.name }));
      // Argument fragments of parallel calls interleave, as they do from Anthropic.
      const longest = Math.max(0, ...toolCalls.map((call) => call.args.length));
      for (let round = 0; round < longest; round++) {
        toolCalls.forEach((call, index) => {
          const fragment = call.args[round];
          if (fragment !== undefined) events.push({ type: 'tool_call_delta', index, arguments: fragment });
        });
      }
      toolCalls.forEach((_call, index) => events.push({ type: 'tool_call_end', index }));
      events.push({ type: 'finish', reason: toolCalls.length > 0 ? 'tool_calls' : reason }, { type: 'usage', usage: totals });
      const wire = await collect(chatCompletionsEncoder.encodeStream(eventsOf(events), context()));
      const decoded = summarize(await collect(decodeChatStream(chunksOf(wire), { maxEventBytes: 1 << 20 })));
      const original = summarize(events);
      expect({ ...decoded, id: undefined, model: undefined }).toEqual({ ...original, id: undefined, model: undefined });
    }), { numRuns: 200 });
  });
});

describe('the official openai SDK reading the encoder output', () => {
  let replay: Awaited<ReturnType<typeof replayServer>>;
  let client: OpenAI;

  beforeAll(async () => {
    replay = await replayServer();
    client = new OpenAI({ baseURL: replay.baseURL, apiKey: 'test', maxRetries: 0, timeout: 5000 });
  });
  afterAll(async () => {
    await new Promise((resolve) => replay.server.close(resolve));
  });

  it('chat.completions.stream() aggregates text, parallel tool calls and usage', async () => {
    replay.reply.stream = true;
    replay.reply.body = await encodedText(ANSWER);
    const stream = client.chat.completions.stream({ model: 'my-alias', messages: [{ role: 'user', content: 'hi' }], stream_options: { include_usage: true } });
    const completion = await stream.finalChatCompletion();
    expect(completion.id).toBe('chatcmpl-req_abc123');
    expect(completion.model).toBe('my-alias');
    const choice = completion.choices[0];
    expect(choice?.finish_reason).toBe('tool_calls');
    expect(choice?.message.content).toBe('Let me check both 👋.');
    expect(choice?.message.tool_calls).toEqual([
      { id: 'toolu_01', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
      { id: 'toolu_02', type: 'function', function: { name: 'get_time', arguments: '{"tz":"UTC"}' } },
    ]);
    expect(completion.usage).toMatchObject({ prompt_tokens: 120, completion_tokens: 45, total_tokens: 165 });
  });

  it('create({ stream: true }) chunks carry the reasoning text as reasoning_content', async () => {
    replay.reply.stream = true;
    replay.reply.body = await encodedText(ANSWER);
    const stream = await client.chat.completions.create({ model: 'my-alias', messages: [{ role: 'user', content: 'hi' }], stream: true });
    let reasoning = '';
    let lastUsage: unknown;
    for await (const chunk of stream) {
      const delta = chunk.choices[0]?.delta as { reasoning_content?: string } | undefined;
      reasoning += delta?.reasoning_content ?? '';
      if (chunk.usage !== null && chunk.usage !== undefined) lastUsage = chunk.usage;
    }
    expect(reasoning).toBe('Need weather and time.');
    expect(lastUsage).toMatchObject({ prompt_tokens_details: { cached_tokens: 100 }, completion_tokens_details: { reasoning_tokens: 20 } });
  });

  it('create({ stream: true }) surfaces a mid-stream failure as an APIError', async () => {
    async function* failing(): AsyncGenerator<StreamEvent> {
      yield { type: 'message_start', id: 'm', model: 'm' };
      yield { type: 'text_delta', text: 'partial' };
      throw new UpstreamError('Provider went away.');
    }
    const frames: Buffer[] = [];
    await expect((async () => {
      for await (const chunk of chatCompletionsEncoder.encodeStream(failing(), context())) frames.push(Buffer.from(chunk));
    })()).rejects.toThrow();
    replay.reply.stream = true;
    replay.reply.body = Buffer.concat(frames).toString();
    const stream = await client.chat.completions.create({ model: 'my-alias', messages: [{ role: 'user', content: 'hi' }], stream: true });
    await expect((async () => { for await (const chunk of stream) void chunk; })()).rejects.toMatchObject({ message: expect.stringContaining('Provider went away.') as unknown });
  });

  it('non-stream create() reads the JSON body: null content with tool calls, reasoning_content, usage with cost', async () => {
    replay.reply.stream = false;
    replay.reply.body = await chatCompletionsEncoder.encodeJson(eventsOf(ANSWER.filter((event) => event.type !== 'text_delta')), context());
    const completion = await client.chat.completions.create({ model: 'my-alias', messages: [{ role: 'user', content: 'hi' }] });
    const message = completion.choices[0]?.message as OpenAI.Chat.ChatCompletionMessage & { reasoning_content?: string };
    expect(message.content).toBeNull();
    expect(message.reasoning_content).toBe('Need weather and time.');
    expect(message.tool_calls?.map((call) => call.type === 'function' ? [call.id, call.function.arguments] : [])).toEqual([['toolu_01', '{"city":"Paris"}'], ['toolu_02', '{"tz":"UTC"}']]);
    expect(completion.choices[0]?.finish_reason).toBe('tool_calls');
    expect(completion.usage).toMatchObject({ prompt_tokens: 120, total_tokens: 165, cost_usd: 0.0123 });
  });
});
