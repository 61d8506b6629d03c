import { parseSseData } from '../support/fake-openai';
import { useHarness, usageRecords, UPSTREAM_KEY } from '../support/gateway-harness';

// 12 prompt tokens (4 cached) and 5 completion tokens at $2 / $0.5 cached / $8 per million.
const EXPECTED_COST = (8 * 2 + 4 * 0.5 + 5 * 8) / 1e6;

const harness = useHarness();

const messages = [{ role: 'user', content: 'Say hello' }];

describe('POST /v1/chat/completions (JSON)', () => {
  it('passes the body through with the provider model id, the provider key and unknown fields intact', async () => {
    const tools = [{ type: 'function', function: { name: 'get_weather', parameters: { type: 'object', properties: {} } } }];
    const image = { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } };
    const response = await harness().post('/chat/completions', {
      model: 'gpt-test', messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }, image] }], tools, seed: 7, future_field: { a: 1 },
    });
    expect(response.status).toBe(200);
    const body = await response.json() as { choices: { message: { tool_calls: unknown[] } }[] };
    expect(body.choices[0]?.message.tool_calls).toHaveLength(1);
    const upstream = harness().upstream.requests[0];
    expect(upstream?.path).toBe('/v1/chat/completions');
    expect(upstream?.headers.authorization).toBe(`Bearer ${UPSTREAM_KEY}`);
    expect(upstream?.body).toEqual({
      model: 'fake-model', messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }, image] }], tools, seed: 7, future_field: { a: 1 },
    });
  });

  it('returns the provider JSON with a request id and the cost header, and records usage', async () => {
    const response = await harness().post('/chat/completions', { model: 'gpt-test', messages }, { 'user-agent': 'jest-client/1.0' });
    expect(response.status).toBe(200);
    const requestId = response.headers.get('x-request-id');
    expect(requestId).toMatch(/^req_[0-9a-f]{32}$/);
    expect(Number(response.headers.get('x-gatellm-cost-usd'))).toBeCloseTo(EXPECTED_COST, 12);
    const text = await response.text();
    // A whole answer goes out with its length, not in chunked encoding.
    expect(response.headers.get('content-length')).toBe(String(Buffer.byteLength(text)));
    expect(response.headers.get('transfer-encoding')).toBeNull();
    const body = JSON.parse(text) as { usage: { prompt_tokens: number }; model: string };
    expect(body.usage.prompt_tokens).toBe(12);
    const [record] = await usageRecords(harness());
    expect(record).toMatchObject({
      requestId, keyId: harness().keyId, teamId: 'team_test', user: 'alice@example.com', requestedModel: 'gpt-test', provider: 'fake',
      providerModel: 'fake-model', operation: 'openai-chat', inputTokens: 12, outputTokens: 5, cachedTokens: 4, reasoningTokens: 2,
      usageEstimated: false, httpStatus: 200, status: 'ok', streamed: false, userAgent: 'jest-client/1.0',
    });
    expect(record?.costUsd).toBeCloseTo(EXPECTED_COST, 12);
    expect(record?.latencyMs).toBeGreaterThan(0);
    expect(Date.parse(record?.time ?? '')).not.toBeNaN();
  });
});

describe('POST /v1/chat/completions (SSE)', () => {
  it('asks the provider for usage but strips the usage chunk when the caller did not ask', async () => {
    const response = await harness().post('/chat/completions', { model: 'gpt-test', messages, stream: true });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const text = await response.text();
    const events = parseSseData(text);
    expect(events.at(-1)).toBe('[DONE]');
    const chunks = events.slice(0, -1).map((data) => JSON.parse(data) as { choices: unknown[]; usage?: unknown });
    expect(chunks.every((chunk) => chunk.choices.length > 0)).toBe(true);
    expect(chunks.some((chunk) => chunk.usage !== undefined && chunk.usage !== null)).toBe(false);
    expect(harness().upstream.requests[0]?.body).toMatchObject({ stream: true, stream_options: { include_usage: true } });
    // The cost of a stream travels as an SSE comment just before [DONE].
    const trailer = /^: gatellm (.*)$/m.exec(text);
    expect(JSON.parse(trailer?.[1] ?? '{}')).toMatchObject({ request_id: response.headers.get('x-request-id'), usage_estimated: false });
    expect(text.indexOf(': gatellm')).toBeLessThan(text.indexOf('data: [DONE]'));
    const [record] = await usageRecords(harness());
    expect(record).toMatchObject({ streamed: true, status: 'ok', inputTokens: 12, outputTokens: 5, cachedTokens: 4, reasoningTokens: 2 });
    expect(record?.ttftMs).toBeGreaterThan(0);
  });

  it('keeps the usage chunk, with its cost, when the caller asked for usage', async () => {
    const response = await harness().post('/chat/completions', { model: 'gpt-test', messages, stream: true, stream_options: { include_usage: true } });
    const events = parseSseData(await response.text());
    const usageChunk = JSON.parse(events.at(-2) ?? '{}') as { choices: unknown[]; usage: { prompt_tokens: number; cost_usd: number } };
    expect(usageChunk.choices).toEqual([]);
    expect(usageChunk.usage.prompt_tokens).toBe(12);
    expect(usageChunk.usage.cost_usd).toBeCloseTo(EXPECTED_COST, 12);
  });

  it('forwards each chunk as it arrives (paced upstream)', async () => {
    const response = await harness().post('/chat/completions', { model: 'gpt-paced', messages, stream: true });
    const reader = (response.body as ReadableStream<Uint8Array> | null)?.getReader();
    if (reader === undefined) throw new Error('no body');
    const arrivals: number[] = [];
    const decoder = new TextDecoder();
    let text = '';
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      const piece = decoder.decode(value, { stream: true });
      if (piece.includes('"content"')) arrivals.push(performance.now());
      text += piece;
    }
    // Five content chunks 40 ms apart upstream must reach the client spread out, not in one burst.
    expect(arrivals.length).toBeGreaterThanOrEqual(4);
    expect((arrivals.at(-1) ?? 0) - (arrivals[0] ?? 0)).toBeGreaterThan(100);
    expect(text).toContain('data: [DONE]');
  });

  it('records an abandoned stream with an estimate and aborts the upstream call', async () => {
    const controller = new AbortController();
    const response = await harness().post('/chat/completions', { model: 'gpt-hang-after-first', messages, stream: true }, {});
    const reader = response.body?.getReader();
    await reader?.read();
    await reader?.cancel();
    controller.abort();
    await waitFor(async () => (await usageRecords(harness())).length === 1);
    const [record] = await usageRecords(harness());
    expect(record).toMatchObject({ status: 'client_aborted', streamed: true, usageEstimated: true });
    expect(record?.inputTokens).toBeGreaterThan(0);
    await waitFor(async () => harness().upstream.abortedRequests > 0);
  });

  it('ends a stream that breaks midway with an OpenAI error event and records it', async () => {
    const response = await harness().post('/chat/completions', { model: 'gpt-drop', messages, stream: true });
    const events = parseSseData(await response.text());
    const last = JSON.parse(events.at(-1) ?? '{}') as { error?: { code: string } };
    expect(last.error?.code).toBe('upstream_error');
    const [record] = await usageRecords(harness());
    expect(record).toMatchObject({ status: 'upstream_error', usageEstimated: true });
    expect(record?.outputTokens).toBeGreaterThan(0);
  });
});

describe('tool calls and legacy completions', () => {
  it('streams tool-call deltas through intact', async () => {
    const tools = [{ type: 'function', function: { name: 'get_weather', parameters: { type: 'object', properties: { location: { type: 'string' } } } } }];
    const response = await harness().post('/chat/completions', { model: 'gpt-test', messages, tools, stream: true });
    const chunks = parseSseData(await response.text()).slice(0, -1)
      .map((data) => JSON.parse(data) as { choices: { delta: { tool_calls?: { function?: { name?: string; arguments?: string } }[] }; finish_reason: string | null }[] });
    const calls = chunks.flatMap((chunk) => chunk.choices.flatMap((choice) => choice.delta.tool_calls ?? []));
    expect(calls.find((call) => call.function?.name !== undefined)?.function?.name).toBe('get_weather');
    expect(calls.map((call) => call.function?.arguments ?? '').join('')).toBe('{"location":"Paris"}');
    expect(chunks.some((chunk) => chunk.choices[0]?.finish_reason === 'tool_calls')).toBe(true);
    expect(harness().upstream.requests[0]?.body).toMatchObject({ tools });
  });

  it('serves and meters legacy /v1/completions, JSON and streamed', async () => {
    const json = await harness().post('/completions', { model: 'echo', prompt: 'complete me' });
    expect(json.status).toBe(200);
    expect(await json.json()).toMatchObject({ object: 'text_completion' });
    const stream = await harness().post('/completions', { model: 'echo', prompt: 'complete me', stream: true });
    const events = parseSseData(await stream.text());
    expect(events.at(-1)).toBe('[DONE]');
    const records = await usageRecords(harness());
    expect(records.map((record) => [record.operation, record.streamed, record.usageEstimated]))
      .toEqual([['openai-completions', false, false], ['openai-completions', true, false]]);
  });
});

async function waitFor(condition: () => Promise<boolean> | boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
