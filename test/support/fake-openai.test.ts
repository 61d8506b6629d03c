import { request } from 'node:http';
import OpenAI from 'openai';
import {
  FAKE_CONTENT,
  FAKE_LEGACY_USAGE,
  FAKE_RETRY_AFTER_SECONDS,
  FAKE_STREAM_PIECES,
  FAKE_TOOL_ARGUMENTS,
  FAKE_USAGE,
  fakeEmbedding,
  parseSseData,
  startFakeOpenAi,
  type FakeOpenAi,
} from './fake-openai';
import { call, json, post } from './fake-openai-calls';

interface Chunk {
  readonly object?: string;
  readonly model?: string;
  readonly choices: { delta: { role?: string; content?: string | null; tool_calls?: { function: { name?: string; arguments?: string } }[] }; finish_reason: string | null }[];
  readonly usage?: unknown;
}

/** The chunk objects of a chat stream and whether it ended with `[DONE]`. */
function chunksOf(text: string): { chunks: Chunk[]; done: boolean } {
  const data = parseSseData(text);
  const done = data[data.length - 1] === '[DONE]';
  return { chunks: (done ? data.slice(0, -1) : data).map((event) => JSON.parse(event) as Chunk), done };
}

function contentOf(chunks: readonly Chunk[]): string {
  return chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join('');
}

describe('fake OpenAI upstream', () => {
  let fake: FakeOpenAi;
  let client: OpenAI;

  beforeAll(async () => {
    fake = await startFakeOpenAi();
    client = new OpenAI({ baseURL: fake.baseUrl, apiKey: 'sk-test', maxRetries: 0 });
  });
  afterAll(() => fake.close());
  beforeEach(() => fake.reset());

  it('listens on loopback and lists models in the OpenAI shape', async () => {
    expect(fake.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1$/);
    const reply = await call(fake, 'GET', '/models');
    expect(reply.status).toBe(200);
    const body = json(reply);
    expect(body['object']).toBe('list');
    expect(body['data']).toEqual(expect.arrayContaining([{ id: 'fake-model', object: 'model', created: expect.any(Number), owned_by: expect.any(String) }]));
    const page = await client.models.list();
    expect(page.data.map((model) => model.id)).toContain('fake-model');
  });

  it('answers a chat completion as JSON and records the request', async () => {
    const reply = await call(fake, 'POST', '/chat/completions?x=1', { model: 'fake-model', messages: [{ role: 'user', content: 'Hi' }] }, { authorization: 'Bearer abc' });
    expect(reply.status).toBe(200);
    expect(reply.headers['content-type']).toBe('application/json');
    expect(reply.headers['x-request-id']).toMatch(/^req_/);
    const body = json(reply);
    expect(body).toMatchObject({
      id: expect.stringMatching(/^chatcmpl-/),
      object: 'chat.completion',
      created: expect.any(Number),
      model: 'fake-model',
      choices: [{ index: 0, message: { role: 'assistant', content: FAKE_CONTENT }, finish_reason: 'stop' }],
      usage: FAKE_USAGE,
      system_fingerprint: expect.any(String),
    });
    expect(fake.requests).toHaveLength(1);
    expect(fake.requests[0]).toMatchObject({ method: 'POST', path: '/v1/chat/completions', url: '/v1/chat/completions?x=1', body: { model: 'fake-model' } });
    expect(fake.requests[0]?.headers.authorization).toBe('Bearer abc');
  });

  it('echoes the last user message for model "echo" (string and text parts)', async () => {
    const messages = [
      { role: 'user', content: 'first' },
      { role: 'assistant', content: 'x' },
      { role: 'user', content: [{ type: 'text', text: 'héllo 👋' }] },
    ];
    const completion = await client.chat.completions.create({ model: 'echo', messages: messages as OpenAI.ChatCompletionMessageParam[] });
    expect(completion.choices[0]?.message.content).toBe('héllo 👋');
    const stream = await post(fake, '/chat/completions', { model: 'echo', stream: true, messages });
    expect(contentOf(chunksOf(stream.text).chunks)).toBe('héllo 👋');
  });

  it('answers with a tool call when tools are present, and with text after a tool result', async () => {
    const tools = [{ type: 'function' as const, function: { name: 'lookup_weather', parameters: { type: 'object' } } }];
    const completion = await client.chat.completions.create({ model: 'fake-model', messages: [{ role: 'user', content: 'weather?' }], tools });
    const choice = completion.choices[0];
    expect(choice?.finish_reason).toBe('tool_calls');
    expect(choice?.message.content).toBeNull();
    const call0 = choice?.message.tool_calls?.[0];
    expect(call0?.type === 'function' ? call0.function : undefined).toEqual({ name: 'lookup_weather', arguments: FAKE_TOOL_ARGUMENTS });

    const stream = await post(fake, '/chat/completions', { model: 'fake-model', stream: true, tools, messages: [{ role: 'user', content: 'weather?' }] });
    const { chunks, done } = chunksOf(stream.text);
    expect(done).toBe(true);
    const deltas = chunks.flatMap((chunk) => chunk.choices[0]?.delta.tool_calls ?? []);
    expect(deltas[0]?.function.name).toBe('lookup_weather');
    expect(deltas.filter((delta) => (delta.function.arguments ?? '').length > 0).length).toBeGreaterThan(2);
    expect(deltas.map((delta) => delta.function.arguments ?? '').join('')).toBe(FAKE_TOOL_ARGUMENTS);
    expect(chunks[chunks.length - 1]?.choices[0]?.finish_reason).toBe('tool_calls');

    const followUp = await client.chat.completions.create({
      model: 'fake-model',
      tools,
      messages: [
        { role: 'user', content: 'weather?' },
        { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'lookup_weather', arguments: '{}' } }] },
        { role: 'tool', tool_call_id: 'call_1', content: 'sunny' },
      ],
    });
    expect(followUp.choices[0]?.message.content).toBe(FAKE_CONTENT);
  });

  it('streams chat chunks without usage unless include_usage is set', async () => {
    const reply = await post(fake, '/chat/completions', { model: 'fake-model', stream: true, messages: [{ role: 'user', content: 'Hi' }] });
    expect(reply.status).toBe(200);
    expect(reply.headers['content-type']).toBe('text/event-stream');
    const { chunks, done } = chunksOf(reply.text);
    expect(done).toBe(true);
    expect(chunks).toHaveLength(1 + FAKE_STREAM_PIECES.length + 1);
    expect(chunks.every((chunk) => chunk.object === 'chat.completion.chunk' && chunk.model === 'fake-model')).toBe(true);
    expect(chunks.some((chunk) => 'usage' in chunk)).toBe(false);
    expect(chunks[0]?.choices[0]?.delta.role).toBe('assistant');
    expect(contentOf(chunks)).toBe(FAKE_STREAM_PIECES.join(''));
    expect(chunks[chunks.length - 1]?.choices[0]).toMatchObject({ delta: {}, finish_reason: 'stop' });
  });

  it('streams usage: null on every chunk and a final usage chunk with include_usage', async () => {
    const reply = await post(fake, '/chat/completions', {
      model: 'fake-model',
      stream: true,
      stream_options: { include_usage: true },
      messages: [{ role: 'user', content: 'Hi' }],
    });
    const { chunks, done } = chunksOf(reply.text);
    expect(done).toBe(true);
    const last = chunks[chunks.length - 1];
    expect(last?.choices).toEqual([]);
    expect(last?.usage).toEqual(FAKE_USAGE);
    expect(chunks.slice(0, -1).every((chunk) => chunk.usage === null)).toBe(true);
    expect(chunks[chunks.length - 2]?.choices[0]?.finish_reason).toBe('stop');
    expect(contentOf(chunks)).toBe('Hello from fake! 👋');

    const stream = await client.chat.completions.create({
      model: 'fake-model',
      stream: true,
      stream_options: { include_usage: true },
      messages: [{ role: 'user', content: 'Hi' }],
    });
    let text = '';
    let usage: unknown;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? '';
      if (chunk.usage) usage = chunk.usage;
    }
    expect(text).toBe(FAKE_STREAM_PIECES.join(''));
    expect(usage).toEqual(FAKE_USAGE);
  });

  it('returns embeddings whose base64 form decodes to the float form', async () => {
    const input = ['hello', 'wörld'];
    const floats = json(await post(fake, '/embeddings', { model: 'fake-embedding', input, encoding_format: 'float' }));
    const base64 = json(await post(fake, '/embeddings', { model: 'fake-embedding', input, encoding_format: 'base64' }));
    const floatData = floats['data'] as { index: number; embedding: number[] }[];
    const base64Data = base64['data'] as { index: number; embedding: string }[];
    expect(floats['usage']).toEqual({ prompt_tokens: expect.any(Number), total_tokens: expect.any(Number) });
    expect(floatData).toHaveLength(2);
    for (const [index, item] of base64Data.entries()) {
      expect(typeof item.embedding).toBe('string');
      const bytes = Buffer.from(item.embedding, 'base64');
      const decoded = Array.from({ length: bytes.length / 4 }, (_, offset) => bytes.readFloatLE(offset * 4));
      expect(decoded).toEqual(floatData[index]?.embedding);
      expect(decoded).toEqual(Array.from(fakeEmbedding(input[index] ?? '')));
    }
    expect(floatData[0]?.embedding).toHaveLength(8);
    expect(floatData[0]?.embedding).not.toEqual(floatData[1]?.embedding);

    // The SDK asks for base64 by default and decodes it itself.
    const viaSdk = await client.embeddings.create({ model: 'fake-embedding', input: 'hello', dimensions: 16 });
    expect(viaSdk.data[0]?.embedding).toEqual(Array.from(fakeEmbedding('hello', 16)));

    const noBase64 = json(await post(fake, '/embeddings', { model: 'no-base64', input: [[1, 2, 3]], encoding_format: 'base64' }));
    expect((noBase64['data'] as { embedding: unknown }[])[0]?.embedding).toEqual(Array.from(fakeEmbedding([1, 2, 3])));
  });

  it('answers error-429 with retry-after and an OpenAI error body', async () => {
    const reply = await post(fake, '/chat/completions', { model: 'error-429', messages: [] });
    expect(reply.status).toBe(429);
    expect(reply.headers['retry-after']).toBe(String(FAKE_RETRY_AFTER_SECONDS));
    expect(json(reply)).toEqual({ error: { message: expect.any(String), type: 'requests', param: null, code: 'rate_limit_exceeded' } });
    await expect(client.chat.completions.create({ model: 'error-429', messages: [] })).rejects.toBeInstanceOf(OpenAI.RateLimitError);
    expect((await post(fake, '/chat/completions', { model: 'error-500', messages: [] })).status).toBe(500);
    expect(json(await post(fake, '/embeddings', { model: 'error-401', input: 'x' }))).toMatchObject({ error: { code: 'invalid_api_key' } });
  });

  it('rejects unknown routes with 404 and invalid JSON with 400, in the OpenAI error shape', async () => {
    const missing = await call(fake, 'GET', '/nope');
    expect(missing.status).toBe(404);
    expect(json(missing)).toEqual({ error: { message: 'Invalid URL (GET /v1/nope)', type: 'invalid_request_error', param: null, code: null } });
    const invalid = await post(fake, '/chat/completions', '{"model":');
    expect(invalid.status).toBe(400);
    expect(json(invalid)).toMatchObject({ error: { type: 'invalid_request_error' } });
  });

  it('returns big-N content of N KiB', async () => {
    const body = json(await post(fake, '/chat/completions', { model: 'big-100', messages: [] }));
    const choices = body['choices'] as { message: { content: string } }[];
    expect(choices[0]?.message.content).toHaveLength(100 * 1024);
  });

  it('serves legacy completions as JSON and SSE with usage', async () => {
    const plain = json(await post(fake, '/completions', { model: 'fake-model', prompt: 'Say hi' }));
    expect(plain).toMatchObject({ object: 'text_completion', choices: [{ text: FAKE_CONTENT, finish_reason: 'stop' }], usage: FAKE_LEGACY_USAGE });
    const stream = await post(fake, '/completions', { model: 'fake-model', prompt: 'Say hi', stream: true, stream_options: { include_usage: true } });
    const data = parseSseData(stream.text);
    expect(data[data.length - 1]).toBe('[DONE]');
    const events = data.slice(0, -1).map((event) => JSON.parse(event) as { choices: { text: string }[]; usage: unknown });
    expect(events.map((event) => event.choices[0]?.text ?? '').join('')).toBe(FAKE_STREAM_PIECES.join(''));
    expect(events[events.length - 1]).toMatchObject({ choices: [], usage: FAKE_LEGACY_USAGE });
  });

  it('does not record while recording is off', async () => {
    fake.setRecording(false);
    await call(fake, 'GET', '/models');
    fake.setRecording(true);
    expect(fake.requests).toHaveLength(0);
  });

  it('flushes paced chunks one at a time', async () => {
    // Ordering, not timing: the first event must reach the client while the fake still holds the rest.
    const release = fake.holdPacing();
    const chunks: string[] = [];
    let releasedAtChunk = -1;
    await new Promise<void>((resolve, reject) => {
      const req = request(`${fake.baseUrl}/chat/completions`, { method: 'POST', agent: false }, (res) => {
        res.on('data', (chunk: Buffer) => {
          chunks.push(chunk.toString('utf8'));
          if (releasedAtChunk === -1) {
            releasedAtChunk = chunks.length;
            release();
          }
        });
        res.on('end', resolve);
      });
      req.on('error', reject);
      req.end(JSON.stringify({ model: 'paced-1', stream: true, messages: [] }));
    });
    expect(releasedAtChunk).toBe(1);
    const first = parseSseData(chunks[0] ?? '');
    expect(first).toHaveLength(1);
    expect(first[0]).toContain('"role":"assistant"');
    expect(chunks.slice(1).join('')).toContain(JSON.stringify(FAKE_STREAM_PIECES[0]));
    expect(chunks.length).toBeGreaterThanOrEqual(1 + FAKE_STREAM_PIECES.length);
  });
});
