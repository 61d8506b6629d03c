import { createGatewayApp, type GatewayApp } from '../../lambda/api/gateway-app';
import { createGatewayHandler } from '../../lambda/handlers/gateway-handler';
import { silentLogger } from '../../lambda/logging/logger';
import { parseSseData, startFakeOpenAi, type FakeOpenAi } from '../support/fake-openai';
import { testConfig, UPSTREAM_KEY } from '../support/gateway-harness';
import { installLambdaRuntime, invokeStreaming, uninstallLambdaRuntime } from '../support/lambda-runtime';
import { createMemoryStores, seedKey, type MemoryStores } from '../support/memory-stores';
import { apiGatewayEvent } from './events';

/** The real gateway app behind the Lambda streaming adapter, against the fake OpenAI upstream. */
let upstream: FakeOpenAi;
let stores: MemoryStores;
let app: GatewayApp;
let handler: ReturnType<typeof createGatewayHandler>;
let key: string;

beforeAll(async () => {
  installLambdaRuntime();
  upstream = await startFakeOpenAi({ apiKey: UPSTREAM_KEY });
  stores = createMemoryStores();
  app = createGatewayApp({ config: testConfig(upstream.baseUrl), stores, secrets: async () => UPSTREAM_KEY, logger: silentLogger });
  handler = createGatewayHandler(app, { maxRequestBodyBytes: 1024 * 1024, logger: silentLogger, drain: () => app.drain() });
  key = (await seedKey(stores)).key;
});
afterAll(async () => {
  uninstallLambdaRuntime();
  await upstream.close();
});
beforeEach(async () => {
  await app.drain();
  stores.usageRecords.splice(0);
});

function chat(body: Record<string, unknown>): ReturnType<typeof invokeStreaming> {
  return invokeStreaming(handler, apiGatewayEvent({
    headers: { authorization: [`Bearer ${key}`], 'content-type': ['application/json'] },
    body: JSON.stringify({ messages: [{ role: 'user', content: 'hi' }], ...body }),
  }));
}

interface Prelude { statusCode: number; headers: Record<string, string> }

describe('Lambda adapter with the real gateway', () => {
  it('answers JSON with status, request id and cost in the prelude, and records usage before the invocation ends', async () => {
    const invocation = chat({ model: 'gpt-test' });
    expect(await invocation.done).toEqual({ ok: true });
    const prelude = invocation.prelude as Prelude;
    expect(prelude.statusCode).toBe(200);
    expect(prelude.headers['x-request-id']).toMatch(/^req_/);
    expect(Number(prelude.headers['x-gatellm-cost-usd'])).toBeGreaterThan(0);
    expect(JSON.parse(invocation.bodyText)).toMatchObject({ object: 'chat.completion' });
    // The handler drained the usage sink before it returned: nothing is left for a frozen sandbox.
    expect(stores.usageRecords).toHaveLength(1);
  });

  it('streams SSE without the usage chunk the caller did not ask for', async () => {
    const invocation = chat({ model: 'gpt-test', stream: true });
    await invocation.done;
    const events = parseSseData(invocation.bodyText);
    expect(events.at(-1)).toBe('[DONE]');
    expect(events.slice(0, -1).every((data) => (JSON.parse(data) as { choices: unknown[] }).choices.length > 0)).toBe(true);
    expect(invocation.bodyText).toContain(': gatellm {');
    expect(stores.usageRecords[0]).toMatchObject({ streamed: true, inputTokens: 12, outputTokens: 5, usageEstimated: false });
  });

  it('streams SSE with usage when asked', async () => {
    const invocation = chat({ model: 'gpt-test', stream: true, stream_options: { include_usage: true } });
    await invocation.done;
    const usage = JSON.parse(parseSseData(invocation.bodyText).at(-2) ?? '{}') as { usage: { cost_usd: number } };
    expect(usage.usage.cost_usd).toBeGreaterThan(0);
  });

  it('writes a paced stream chunk by chunk as it arrives', async () => {
    const invocation = chat({ model: 'gpt-paced', stream: true });
    await invocation.done;
    const contentChunks = invocation.bodyChunks.filter((chunk) => chunk.data.toString('utf8').includes('"content"'));
    expect(contentChunks.length).toBeGreaterThanOrEqual(4);
    expect((contentChunks.at(-1)?.at ?? 0) - (contentChunks[0]?.at ?? 0)).toBeGreaterThan(100);
  });

  it.each([
    ['gpt-429', 429, 'rate_limited'],
    ['gpt-500', 502, 'upstream_error'],
    ['gpt-hang', 504, 'upstream_timeout'],
  ])('maps %s to %i %s', async (model, status, code) => {
    const invocation = chat({ model });
    await invocation.done;
    expect((invocation.prelude as Prelude).statusCode).toBe(status);
    expect(JSON.parse(invocation.bodyText)).toMatchObject({ error: { code } });
  });

  it('aborts the upstream and records the stream when the client disconnects', async () => {
    const invocation = chat({ model: 'gpt-hang-after-first', stream: true });
    await invocation.waitForBody((text) => text.includes('data:'));
    invocation.disconnect();
    await invocation.done;
    // The upstream is torn down by the abort; metering finishes when its pending read settles.
    const deadline = Date.now() + 3000;
    while (stores.usageRecords.length === 0 && Date.now() < deadline) {
      await app.drain();
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(stores.usageRecords[0]).toMatchObject({ status: 'client_aborted', usageEstimated: true });
    while (upstream.abortedRequests === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(upstream.abortedRequests).toBeGreaterThan(0);
  });

  it('streams a translated answer (Messages in → OpenAI-compatible out) event by event, metered before the invocation ends', async () => {
    const invocation = invokeStreaming(handler, apiGatewayEvent({
      path: '/v1/messages',
      query: { beta: ['true'] },
      headers: { 'x-api-key': [key], 'content-type': ['application/json'], 'anthropic-version': ['2023-06-01'] },
      body: JSON.stringify({ model: 'gpt-test', max_tokens: 50, stream: true, messages: [{ role: 'user', content: 'hi' }] }),
    }));
    expect(await invocation.done).toEqual({ ok: true });
    expect((invocation.prelude as Prelude).headers['content-type']).toContain('text/event-stream');
    const names = invocation.bodyText.split('\n').filter((line) => line.startsWith('event: ')).map((line) => line.slice(7));
    expect(names[0]).toBe('message_start');
    expect(names).toContain('content_block_delta');
    expect(names.slice(-2)).toEqual(['message_delta', 'message_stop']);
    expect(stores.usageRecords).toEqual([expect.objectContaining({ operation: 'anthropic-messages', status: 'ok', usageEstimated: false })]);
  });

  it('answers GET /health without a key', async () => {
    const invocation = invokeStreaming(handler, apiGatewayEvent({ method: 'GET', path: '/health' }));
    await invocation.done;
    expect((invocation.prelude as Prelude).statusCode).toBe(200);
    expect(JSON.parse(invocation.bodyText)).toMatchObject({ status: 'ok' });
  });
});
