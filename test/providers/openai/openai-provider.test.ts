import type { StreamEvent } from '../../../lambda/canonical/events';
import type { CanonicalRequest } from '../../../lambda/canonical/request';
import type { OpenAiProviderConfig } from '../../../lambda/config/gateway-config';
import { createOpenAiProvider } from '../../../lambda/providers/openai/openai-provider';
import type { Deployment, ProviderRequest, ProviderResult, StreamHooks, WireFormat } from '../../../lambda/providers/provider';
import { FAKE_CONTENT, FAKE_STREAM_PIECES, FAKE_TOOL_ARGUMENTS, startFakeOpenAi, type FakeOpenAi } from '../../support/fake-openai';
import { canonical, collect, summarize } from './chat-events';

const KEY = 'sk-fake-provider-key-0123456789';
const HOOKS: StreamHooks = { onUsage: () => undefined, trailer: () => undefined };
const FAKE_TOKEN_USAGE = { inputTokens: 12, outputTokens: 5, cachedTokens: 4, cacheWriteTokens: 0, reasoningTokens: 2 };

let fake: FakeOpenAi;
beforeAll(async () => {
  fake = await startFakeOpenAi({ apiKey: KEY });
});
afterAll(() => fake.close());
beforeEach(() => fake.reset());

function deploymentFor(model: string, provider: Partial<OpenAiProviderConfig> = {}): Deployment {
  return {
    modelName: 'public',
    model: { provider: 'fake', model, price: { input: 1, output: 1 } },
    providerName: 'fake',
    provider: { type: 'openai-compatible', baseUrl: fake.baseUrl, ...provider },
  };
}

/** A Messages caller's request, as its parser would hand it over: the body is Anthropic-shaped and unused here. */
function messagesRequest(request: CanonicalRequest): ProviderRequest {
  return {
    requestId: 'req_1', format: 'anthropic-messages', body: { model: 'public', max_tokens: 100, messages: [] }, canonical: request,
    stream: request.stream, clientHeaders: {}, signal: new AbortController().signal,
  };
}

async function eventsOf(result: ProviderResult): Promise<StreamEvent[]> {
  if (result.kind !== 'events') throw new Error(`expected events, got ${result.kind}`);
  expect(result.headers).not.toHaveProperty('content-type');
  return collect(result.events);
}

const credentials = { apiKey: KEY, headers: {} };

describe('the OpenAI adapter', () => {
  const provider = createOpenAiProvider();

  it('serves OpenAI formats natively, Messages by translation, Responses natively only where the provider has it', () => {
    const formats: WireFormat[] = ['openai-chat', 'openai-embeddings', 'openai-completions', 'openai-responses', 'anthropic-messages'];
    const openAi = deploymentFor('m', { type: 'openai' });
    const compatible = deploymentFor('m');
    const compatibleWithResponses = deploymentFor('m', { supportsResponses: true });
    expect(formats.map((format) => provider.serves(compatible, format))).toEqual([true, true, true, true, true]);
    expect(formats.map((format) => provider.isNative(openAi, format))).toEqual([true, true, true, true, false]);
    expect(formats.map((format) => provider.isNative(compatible, format))).toEqual([true, true, true, false, false]);
    expect(provider.isNative(compatibleWithResponses, 'openai-responses')).toBe(true);
    expect(provider.isNative(deploymentFor('m', { type: 'openai', supportsResponses: false }), 'openai-responses')).toBe(false);
  });

  it('streams a translated Messages request through Chat Completions and answers with events', async () => {
    const result = await provider.call(deploymentFor('fake-model'), messagesRequest(canonical({
      system: [{ type: 'text', text: 'Be nice.' }], stream: true, maxTokens: 100,
    })), credentials, HOOKS);
    const answer = summarize(await eventsOf(result));
    expect(answer).toMatchObject({ text: FAKE_STREAM_PIECES.join(''), finish: 'stop', usage: FAKE_TOKEN_USAGE, model: 'fake-model' });
    const sent = fake.requests[0];
    expect(sent?.path).toBe('/v1/chat/completions');
    expect(sent?.body).toEqual({
      model: 'fake-model', messages: [{ role: 'system', content: 'Be nice.' }, { role: 'user', content: 'hi' }],
      max_tokens: 100, stream: true, stream_options: { include_usage: true },
    });
  });

  it('translates a tool-calling turn, streamed and not', async () => {
    const tools = [{ name: 'get_weather', inputSchema: { type: 'object' } }];
    for (const stream of [true, false]) {
      const result = await provider.call(deploymentFor('fake-model'), messagesRequest(canonical({ tools, stream })), credentials, HOOKS);
      const answer = summarize(await eventsOf(result));
      expect(answer.calls).toEqual([{ id: expect.stringMatching(/^call_/) as unknown, name: 'get_weather', arguments: FAKE_TOOL_ARGUMENTS }]);
      expect(answer.finish).toBe('tool_calls');
      expect(answer.usage).toEqual(FAKE_TOKEN_USAGE);
    }
  });

  it('answers a non-streaming translated request with the events of the JSON answer', async () => {
    const answer = summarize(await eventsOf(await provider.call(deploymentFor('fake-model'), messagesRequest(canonical()), credentials, HOOKS)));
    expect(answer).toMatchObject({ text: FAKE_CONTENT, finish: 'stop', usage: FAKE_TOKEN_USAGE });
  });

  it('maps provider error statuses with the key scrubbed, and throws a mid-stream drop from the event iterator', async () => {
    await expect(provider.call(deploymentFor('error-429'), messagesRequest(canonical({ stream: true })), credentials, HOOKS))
      .rejects.toMatchObject({ status: 429 });
    const echoed = provider.call(deploymentFor('error-400-echo-headers'), messagesRequest(canonical()), credentials, HOOKS);
    await expect(echoed).rejects.toMatchObject({ status: 400 });
    await expect(echoed).rejects.not.toMatchObject({ message: expect.stringContaining(KEY) as unknown });
    const dropped = await provider.call(deploymentFor('drop-mid-stream'), messagesRequest(canonical({ stream: true })), credentials, HOOKS);
    await expect(eventsOf(dropped)).rejects.toMatchObject({ status: 502 });
  });

  it('passes a Responses caller through to /responses on OpenAI: model swapped, no stream_options, usage tapped', async () => {
    const body = { model: 'public', input: 'hi', stream: true, store: false };
    const reported: unknown[] = [];
    const result = await provider.call(deploymentFor('fake-model', { type: 'openai' }), {
      requestId: 'r', format: 'openai-responses', body, canonical: canonical({ stream: true }), stream: true, clientHeaders: {}, signal: new AbortController().signal,
    }, credentials, { onUsage: (usage) => { reported.push(usage); return undefined; }, trailer: () => undefined });
    if (result.kind !== 'stream') throw new Error('expected a stream');
    const text = Buffer.concat(await collect(result.stream)).toString();
    expect(text).toContain('event: response.completed');
    expect(fake.requests[0]).toMatchObject({ path: '/v1/responses', body: { ...body, model: 'fake-model' } });
    expect(fake.requests[0]?.body).not.toHaveProperty('stream_options');
    expect(reported).toEqual([FAKE_TOKEN_USAGE]);
  });

  it('serves a Responses caller of a compatible provider through Chat, and a Messages caller of an api:"responses" model through /responses', async () => {
    const viaChat = await provider.call(deploymentFor('fake-model'), { ...messagesRequest(canonical({ stream: true })), format: 'openai-responses' }, credentials, HOOKS);
    expect(summarize(await eventsOf(viaChat))).toMatchObject({ text: FAKE_STREAM_PIECES.join(''), usage: FAKE_TOKEN_USAGE });
    expect(fake.requests[0]?.path).toBe('/v1/chat/completions');
    const responsesModel: Deployment = { ...deploymentFor('fake-model', { type: 'openai' }), model: { provider: 'fake', model: 'fake-model', price: { input: 1, output: 1 }, api: 'responses' } };
    for (const stream of [true, false]) {
      const viaResponses = await provider.call(responsesModel, messagesRequest(canonical({ stream })), credentials, HOOKS);
      expect(summarize(await eventsOf(viaResponses))).toMatchObject({ text: FAKE_STREAM_PIECES.join(''), finish: 'stop', usage: FAKE_TOKEN_USAGE });
    }
    expect(fake.requests.slice(1).map((request) => request.path)).toEqual(['/v1/responses', '/v1/responses']);
  });

  it('keeps the Chat pass-through for Chat callers: the provider bytes come back as a stream', async () => {
    const body = { model: 'public', messages: [{ role: 'user', content: 'hi' }], stream: true };
    const result = await provider.call(deploymentFor('fake-model'), {
      requestId: 'r', format: 'openai-chat', body, canonical: canonical({ stream: true }), stream: true, clientHeaders: {}, signal: new AbortController().signal,
    }, credentials, HOOKS);
    if (result.kind !== 'stream') throw new Error('expected a stream');
    const text = Buffer.concat(await collect(result.stream)).toString();
    expect(text).toContain('"content":"Hello"');
    expect(text.endsWith('data: [DONE]\n\n')).toBe(true);
    expect(text).not.toContain('"usage":{'); // asked for by the gateway, stripped for the caller
    expect(result.outputChars()).toBe(FAKE_STREAM_PIECES.join('').length);
    expect(fake.requests[0]?.body).toMatchObject({ model: 'fake-model', stream_options: { include_usage: true } });
  });
});
