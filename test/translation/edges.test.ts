import http from 'node:http';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { parseGatewayConfig } from '../../lambda/config/validate-config';
import { FAKE_CACHE_USAGE, FAKE_TOOL_INPUT, startFakeAnthropic, type FakeAnthropic } from '../support/fake-anthropic';
import { FAKE_TOOL_ARGUMENTS } from '../support/fake-openai';
import { useHarness, usageRecords } from '../support/gateway-harness';

/** Tool calls, cache pricing, failures and the Anthropic-only routes, across formats, over HTTP. */
let anthropic: FakeAnthropic;
beforeAll(async () => {
  anthropic = await startFakeAnthropic({ apiKey: 'sk-ant-test' });
});
afterAll(async () => {
  await anthropic.close();
});
beforeEach(() => {
  anthropic.reset();
});

const CLAUDE_PRICE = { input: 3, output: 15, cachedInput: 0.3, cacheWrite: 3.75 };
const harness = useHarness({
  config: (upstream) => parseGatewayConfig({
    providers: {
      compatible: { type: 'openai-compatible', baseUrl: upstream, apiKey: { env: 'X' } },
      claude: { type: 'anthropic', baseUrl: anthropic.baseUrl, apiKey: { env: 'Y' } },
    },
    models: {
      'compat-chat': { provider: 'compatible', model: 'fake-model', price: { input: 1, output: 2 } },
      'claude-tools': { provider: 'claude', model: 'tool-use', price: CLAUDE_PRICE },
      'claude-cache': { provider: 'claude', model: 'cache-usage', price: CLAUDE_PRICE },
      'claude-broken': { provider: 'claude', model: 'error-mid-stream', price: CLAUDE_PRICE },
      'claude-overloaded': { provider: 'claude', model: 'error-529', price: CLAUDE_PRICE },
      'claude-text': { provider: 'claude', model: 'claude-fake', price: CLAUDE_PRICE },
    },
    aliases: { 'claude-then-compat': ['claude-overloaded', 'compat-chat'] },
  }),
  secrets: async (provider) => (provider === 'claude' ? 'sk-ant-test' : 'sk-upstream-test'),
});

const WEATHER_TOOL = { name: 'get_weather', description: 'Weather', parameters: { type: 'object', properties: { location: { type: 'string' } } } };

describe('tool calls across formats', () => {
  it('Chat in → Anthropic out: the tool call (arguments split mid-string upstream) arrives whole, streamed', async () => {
    const client = new OpenAI({ baseURL: harness().baseUrl, apiKey: harness().key, maxRetries: 0 });
    const completion = await client.chat.completions.stream({
      model: 'claude-tools', messages: [{ role: 'user', content: 'weather?' }], tools: [{ type: 'function', function: WEATHER_TOOL }],
    }).finalChatCompletion();
    const choice = completion.choices[0];
    expect(choice?.finish_reason).toBe('tool_calls');
    const call = choice?.message.tool_calls?.[0];
    expect(call?.type === 'function' ? JSON.parse(call.function.arguments) : undefined).toEqual(FAKE_TOOL_INPUT);
    const sent = anthropic.requests[0]?.body as { tools: Array<{ name: string; input_schema: unknown }> };
    expect(sent.tools[0]).toMatchObject({ name: 'get_weather', input_schema: WEATHER_TOOL.parameters });
  });

  it('Messages in → OpenAI-compatible out: the tool_use block carries the arguments, and the result goes back as a tool message', async () => {
    const client = new Anthropic({ baseURL: harness().gateway.url, apiKey: harness().key, maxRetries: 0 });
    const tools = [{ name: 'get_weather', description: 'Weather', input_schema: { type: 'object' as const, properties: { location: { type: 'string' } } } }];
    const first = await client.messages.stream({ model: 'compat-chat', max_tokens: 100, tools, messages: [{ role: 'user', content: 'weather?' }] }).finalMessage();
    expect(first.stop_reason).toBe('tool_use');
    const toolUse = first.content.find((block) => block.type === 'tool_use');
    expect(toolUse?.type === 'tool_use' ? toolUse.input : undefined).toEqual(JSON.parse(FAKE_TOOL_ARGUMENTS));
    if (toolUse?.type !== 'tool_use') throw new Error('no tool_use');
    await client.messages.create({
      model: 'compat-chat', max_tokens: 100, tools,
      messages: [
        { role: 'user', content: 'weather?' },
        { role: 'assistant', content: first.content },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: toolUse.id, content: '21°C' }, { type: 'text', text: 'thanks' }] },
      ],
    });
    const sent = harness().upstream.requests.at(-1)?.body as { messages: Array<{ role: string; tool_call_id?: string; content?: unknown }> };
    expect(sent.messages.map((message) => message.role)).toEqual(['user', 'assistant', 'tool', 'user']);
    expect(sent.messages[2]).toMatchObject({ tool_call_id: toolUse.id, content: '21°C' });
  });
});

describe('metering and failures across formats', () => {
  it('Anthropic cache reads and writes are metered and priced at their own rates for a Chat caller', async () => {
    const response = await harness().post('/chat/completions', { model: 'claude-cache', messages: [{ role: 'user', content: 'hi' }] });
    const body = await response.json() as { usage: { prompt_tokens: number; prompt_tokens_details: { cached_tokens: number } } };
    const { input_tokens: uncached, cache_read_input_tokens: read, cache_creation_input_tokens: written, output_tokens: output } = FAKE_CACHE_USAGE;
    expect(body.usage.prompt_tokens).toBe(uncached + read + written);
    expect(body.usage.prompt_tokens_details.cached_tokens).toBe(read);
    const [record] = await usageRecords(harness());
    expect(record).toMatchObject({ inputTokens: uncached + read + written, cachedTokens: read, cacheWriteTokens: written, outputTokens: output });
    const expectedCost = (uncached * 3 + read * 0.3 + written * 3.75 + output * 15) / 1e6;
    expect(record?.costUsd).toBeCloseTo(expectedCost, 10);
    expect(response.headers.get('x-gatellm-cost-usd')).toBe(String(Number(expectedCost.toFixed(10))));
  });

  it('a provider failure mid-stream reaches a Chat caller as an error event and is recorded as upstream_error', async () => {
    const response = await harness().post('/chat/completions', { model: 'claude-broken', messages: [{ role: 'user', content: 'hi' }], stream: true });
    const text = await response.text();
    expect(response.status).toBe(200);
    expect(text).toMatch(/data: \{"error":\{/);
    expect(text).not.toContain('[DONE]');
    const [record] = await usageRecords(harness());
    expect(record).toMatchObject({ status: 'upstream_error', provider: 'claude' });
  });

  it('an overloaded Anthropic (529) falls back to the next deployment of an alias before the first byte', async () => {
    const client = new Anthropic({ baseURL: harness().gateway.url, apiKey: harness().key, maxRetries: 0 });
    const message = await client.messages.create({ model: 'claude-then-compat', max_tokens: 50, messages: [{ role: 'user', content: 'hi' }] });
    expect(message.content[0]?.type).toBe('text');
    const [record] = await usageRecords(harness());
    expect(record).toMatchObject({ provider: 'compatible', status: 'ok' });
  });
});

describe('the Anthropic routes', () => {
  it('accept x-api-key, ignore ?beta=true, and forward anthropic-version and anthropic-beta to Anthropic', async () => {
    const response = await fetch(`${harness().gateway.url}/v1/messages?beta=true`, {
      method: 'POST',
      headers: { 'x-api-key': harness().key, 'content-type': 'application/json', 'anthropic-version': '2099-01-01', 'anthropic-beta': 'future-feature-1,other-2' },
      body: JSON.stringify({ model: 'claude-text', max_tokens: 20, messages: [{ role: 'user', content: 'hi' }] }),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('request-id')).toMatch(/^req_/);
    const headers = anthropic.requests[0]?.headers;
    expect(headers?.['anthropic-version']).toBe('2099-01-01');
    expect(headers?.['anthropic-beta']).toBe('future-feature-1,other-2');
    expect(headers?.['x-api-key']).toBe('sk-ant-test');
  });

  it('answer errors in Anthropic shape', async () => {
    const response = await fetch(`${harness().gateway.url}/v1/messages`, {
      method: 'POST', headers: { 'x-api-key': harness().key, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'claude-text', messages: [{ role: 'user', content: 'hi' }] }),
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ type: 'error', error: { type: 'invalid_request_error' } });
  });

  it('count tokens with the provider for Anthropic models and with the documented estimate for others', async () => {
    const count = async (model: string): Promise<number> => {
      const client = new Anthropic({ baseURL: harness().gateway.url, apiKey: harness().key, maxRetries: 0 });
      return (await client.messages.countTokens({ model, messages: [{ role: 'user', content: 'How many tokens is this sentence?' }] })).input_tokens;
    };
    expect(await count('claude-text')).toBeGreaterThan(0);
    expect(anthropic.requests.at(-1)?.path).toBe('/v1/messages/count_tokens');
    expect(await count('compat-chat')).toBeGreaterThan(0);
    expect(await usageRecords(harness())).toHaveLength(0);
  });

  it('list models in Anthropic shape for Anthropic clients and in OpenAI shape otherwise', async () => {
    const anthropicClient = new Anthropic({ baseURL: harness().gateway.url, apiKey: harness().key, maxRetries: 0 });
    const page = await anthropicClient.models.list();
    expect(page.data.map((model) => model.id)).toContain('claude-text');
    expect(page.data[0]?.type).toBe('model');
    const openAiClient = new OpenAI({ baseURL: harness().baseUrl, apiKey: harness().key, maxRetries: 0 });
    expect((await openAiClient.models.list()).data.map((model) => model.id)).toContain('compat-chat');
  });

});

describe('the Responses route', () => {
  it('refuses a WebSocket upgrade at once (405), so Codex falls back to POST', async () => {
    const url = new URL(`${harness().baseUrl}/responses`);
    const status = await new Promise<{ code: number | undefined; allow: string | undefined }>((resolve, reject) => {
      const request = http.request(url, {
        headers: { connection: 'Upgrade', upgrade: 'websocket', 'sec-websocket-version': '13', 'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==',
          authorization: `Bearer ${harness().key}` },
      });
      request.on('response', (response) => {
        response.resume();
        resolve({ code: response.statusCode, allow: response.headers.allow });
      });
      request.on('upgrade', () => reject(new Error('the gateway accepted a WebSocket upgrade')));
      request.on('error', reject);
      request.end();
    });
    expect(status).toEqual({ code: 405, allow: 'POST' });
  });
});
