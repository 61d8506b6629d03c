import type { StreamEvent } from '../../../lambda/canonical/events';
import { parseMessagesRequest } from '../../../lambda/api/anthropic/messages-request';
import { GatewayError } from '../../../lambda/errors/gateway-error';
import { createAnthropicProvider } from '../../../lambda/providers/anthropic/anthropic-provider';
import type { ProviderRequest, ProviderResult, WireFormat } from '../../../lambda/providers/provider';
import type { TokenUsage } from '../../../lambda/canonical/usage';
import { FAKE_CACHE_USAGE, FAKE_TEXT_PIECES, FAKE_TOOL_INPUT, startFakeAnthropic, type FakeAnthropic } from '../../support/fake-anthropic';
import { anthropicDeployment, canonical } from './deployment';

const KEY = 'sk-ant-test-key-0001';
const credentials = { apiKey: KEY, headers: {} };
let fake: FakeAnthropic;

beforeAll(async () => { fake = await startFakeAnthropic({ apiKey: KEY }); });
afterAll(async () => { await fake.close(); });
beforeEach(() => { fake.reset(); });

const adapter = createAnthropicProvider();
const usages: TokenUsage[] = [];
const hooks = { onUsage: (usage: TokenUsage) => { usages.push(usage); return undefined; }, trailer: () => ': trailer\n\n' };

function nativeRequest(model: string, stream: boolean, headers: Record<string, string> = {}): ProviderRequest {
  const body = { model: 'my-claude', max_tokens: 50, stream, messages: [{ role: 'user', content: 'hi' }] };
  return {
    requestId: 'req_1', format: 'anthropic-messages', body, canonical: parseMessagesRequest(body), stream,
    clientHeaders: { 'anthropic-version': '2026-10-21', 'anthropic-beta': 'context-management-2025-06-27', authorization: 'Bearer gw', ...headers },
    signal: new AbortController().signal,
  };
}

function translatedRequest(stream: boolean, format: WireFormat = 'openai-chat'): ProviderRequest {
  return {
    requestId: 'req_2', format, body: { model: 'my-claude' }, canonical: canonical({ stream }), stream,
    clientHeaders: { 'anthropic-beta': 'never-forwarded' }, signal: new AbortController().signal,
  };
}

async function text(stream: AsyncIterable<Uint8Array>): Promise<string> {
  let out = '';
  for await (const bytes of stream) out += Buffer.from(bytes).toString('utf8');
  return out;
}

async function events(result: ProviderResult): Promise<StreamEvent[]> {
  if (result.kind !== 'events') throw new Error(`expected events, got ${result.kind}`);
  const out: StreamEvent[] = [];
  for await (const event of result.events) out.push(event);
  return out;
}

describe('createAnthropicProvider', () => {
  it('serves Messages natively and Chat/Responses by translation, not embeddings or completions', () => {
    const deployment = anthropicDeployment(fake.baseUrl);
    expect(adapter.serves(deployment, 'anthropic-messages')).toBe(true);
    expect(adapter.serves(deployment, 'openai-chat')).toBe(true);
    expect(adapter.serves(deployment, 'openai-responses')).toBe(true);
    expect(adapter.serves(deployment, 'openai-embeddings')).toBe(false);
    expect(adapter.serves(deployment, 'openai-completions')).toBe(false);
    expect(adapter.isNative(deployment, 'anthropic-messages')).toBe(true);
    expect(adapter.isNative(deployment, 'openai-chat')).toBe(false);
  });

  it('native stream: passes the bytes through with the model swapped and the caller\'s version/beta headers', async () => {
    usages.length = 0;
    const result = await adapter.call(anthropicDeployment(fake.baseUrl, 'cache-usage'), nativeRequest('cache-usage', true), credentials, hooks);
    expect(result.kind).toBe('stream');
    if (result.kind !== 'stream') return;
    const sse = await text(result.stream);
    expect(sse).toContain('event: ping');
    expect(sse).toContain(': trailer\n\nevent: message_stop');
    const recorded = fake.requests[0];
    expect(recorded?.headers).toMatchObject({ 'x-api-key': KEY, 'anthropic-version': '2026-10-21', 'anthropic-beta': 'context-management-2025-06-27' });
    expect(recorded?.headers.authorization).toBeUndefined();
    expect(recorded?.body).toMatchObject({ model: 'cache-usage', max_tokens: 50 });
    expect(usages.at(-1)).toMatchObject({
      inputTokens: FAKE_CACHE_USAGE.input_tokens + FAKE_CACHE_USAGE.cache_read_input_tokens + FAKE_CACHE_USAGE.cache_creation_input_tokens,
      cachedTokens: FAKE_CACHE_USAGE.cache_read_input_tokens, cacheWriteTokens: FAKE_CACHE_USAGE.cache_creation_input_tokens,
    });
  });

  it('native JSON: the provider\'s bytes and its usage', async () => {
    const result = await adapter.call(anthropicDeployment(fake.baseUrl, 'plain'), nativeRequest('plain', false), credentials, hooks);
    expect(result.kind).toBe('json');
    if (result.kind !== 'json') return;
    expect(JSON.parse(Buffer.from(result.body).toString('utf8'))).toMatchObject({ type: 'message', content: [{ type: 'text', text: FAKE_TEXT_PIECES.join('') }] });
    expect(result.usage).toMatchObject({ inputTokens: 25, outputTokens: 12 });
  });

  it('translated stream: events with tool arguments split mid-string rejoined; default version, no beta', async () => {
    const result = await adapter.call(anthropicDeployment(fake.baseUrl, 'tool-use'), translatedRequest(true), credentials, hooks);
    const decoded = await events(result);
    const args = decoded.filter((e) => e.type === 'tool_call_delta').map((e) => e.arguments).join('');
    expect(JSON.parse(args)).toEqual(FAKE_TOOL_INPUT);
    expect(decoded.find((e) => e.type === 'finish')).toEqual({ type: 'finish', reason: 'tool_calls' });
    expect(fake.requests[0]?.headers['anthropic-version']).toBe('2023-06-01');
    expect(fake.requests[0]?.headers['anthropic-beta']).toBeUndefined();
    expect(fake.requests[0]?.body).toMatchObject({ model: 'tool-use', max_tokens: 8192, stream: true, messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }] });
  });

  it('translated JSON: the same events from the Message object (thinking signature kept)', async () => {
    const result = await adapter.call(anthropicDeployment(fake.baseUrl, 'thinking'), translatedRequest(false, 'openai-responses'), credentials, hooks);
    const decoded = await events(result);
    expect(decoded.filter((e) => e.type === 'thinking_signature')).toHaveLength(1);
    expect(decoded.filter((e) => e.type === 'text_delta').map((e) => e.text).join('')).toBe('The answer is 4.');
  });

  it.each([
    ['error-429', 429, 'rate_limit_error', { 'retry-after': '7' }],
    ['error-529', 529, 'overloaded_error', {}],
    ['error-401', 502, 'api_error', {}],
    ['error-400', 400, 'invalid_request_error', {}],
    ['error-500', 502, 'api_error', {}],
  ])('%s → %i %s', async (model, status, type, headers) => {
    const error: unknown = await adapter.call(anthropicDeployment(fake.baseUrl, model), nativeRequest(model, true), credentials, hooks).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(GatewayError);
    expect(error).toMatchObject({ status, type, headers });
  });

  it('a mid-stream error event fails the translated stream with 529 overloaded_error', async () => {
    const result = await adapter.call(anthropicDeployment(fake.baseUrl, 'error-mid-stream'), translatedRequest(true), credentials, hooks);
    await expect(events(result)).rejects.toMatchObject({ status: 529, type: 'overloaded_error' });
  });

  it('countTokens posts to count_tokens without max_tokens or stream', async () => {
    const count = await adapter.countTokens?.(anthropicDeployment(fake.baseUrl), nativeRequest('x', true), credentials);
    expect(count).toBeGreaterThan(0);
    expect(fake.requests[0]?.path).toBe('/v1/messages/count_tokens');
    expect(fake.requests[0]?.body).not.toHaveProperty('max_tokens');
    expect(fake.requests[0]?.body).not.toHaveProperty('stream');
  });

  it('the wrong key is the gateway\'s problem: 502, and the key never appears in the error', async () => {
    const error: unknown = await adapter.call(anthropicDeployment(fake.baseUrl), nativeRequest('x', false), { apiKey: 'sk-ant-wrong-key-999', headers: {} }, hooks).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ status: 502 });
    expect(JSON.stringify(error) + String(error)).not.toContain('sk-ant-wrong-key-999');
  });
});
