import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { parseGatewayConfig } from '../../lambda/config/validate-config';
import type { UsageRecord } from '../../lambda/stores/store';
import { FAKE_TEXT_PIECES, FAKE_USAGE as ANTHROPIC_USAGE, startFakeAnthropic, type FakeAnthropic } from '../support/fake-anthropic';
import { FAKE_USAGE as OPENAI_USAGE } from '../support/fake-openai';
import { PRICE, useHarness, usageRecords } from '../support/gateway-harness';

/**
 * Every inbound API × every provider format, streamed and not, through the real HTTP path with the
 * official SDKs: the caller gets the provider's text in its own format, and the usage record holds the
 * provider's own token counts, priced. Chat, Responses and Messages in; an OpenAI-compatible provider
 * (Chat), OpenAI (Responses, and Chat via `api: responses` models) and Anthropic (Messages) out.
 */
let anthropic: FakeAnthropic;
beforeAll(async () => {
  anthropic = await startFakeAnthropic({ apiKey: 'sk-ant-test' });
});
afterAll(async () => {
  await anthropic.close();
});

const harness = useHarness({
  config: (upstream) => parseGatewayConfig({
    providers: {
      compatible: { type: 'openai-compatible', baseUrl: upstream, apiKey: { env: 'X' } },
      openai: { type: 'openai', baseUrl: upstream, apiKey: { env: 'X' } },
      claude: { type: 'anthropic', baseUrl: anthropic.baseUrl, apiKey: { env: 'Y' } },
    },
    models: {
      'compat-chat': { provider: 'compatible', model: 'fake-model', price: PRICE },
      'openai-responses': { provider: 'openai', model: 'fake-model', price: PRICE, api: 'responses' },
      'claude-test': { provider: 'claude', model: 'claude-fake', price: PRICE },
    },
  }),
  secrets: async (provider) => (provider === 'claude' ? 'sk-ant-test' : 'sk-upstream-test'),
});

type Inbound = 'chat' | 'responses' | 'messages';
const OPENAI_TEXT = 'Hello from fake!';
const ANTHROPIC_TEXT = FAKE_TEXT_PIECES.join('');

/** What each provider reports, in the gateway's canonical counts. */
const EXPECTED_USAGE = {
  'compat-chat': { inputTokens: OPENAI_USAGE.prompt_tokens, outputTokens: OPENAI_USAGE.completion_tokens, cachedTokens: 4, provider: 'compatible' },
  'openai-responses': { inputTokens: 12, outputTokens: 5, cachedTokens: 4, provider: 'openai' },
  'claude-test': { inputTokens: ANTHROPIC_USAGE.input_tokens, outputTokens: ANTHROPIC_USAGE.output_tokens, cachedTokens: 0, provider: 'claude' },
} as const;
type Model = keyof typeof EXPECTED_USAGE;

async function ask(inbound: Inbound, model: Model, stream: boolean): Promise<string> {
  const h = harness();
  const prompt = 'Say hello.';
  if (inbound === 'chat') {
    const client = new OpenAI({ baseURL: h.baseUrl, apiKey: h.key, maxRetries: 0 });
    if (!stream) return (await client.chat.completions.create({ model, messages: [{ role: 'user', content: prompt }] })).choices[0]?.message.content ?? '';
    const completion = await client.chat.completions.stream({ model, messages: [{ role: 'user', content: prompt }] }).finalChatCompletion();
    return completion.choices[0]?.message.content ?? '';
  }
  if (inbound === 'responses') {
    const client = new OpenAI({ baseURL: h.baseUrl, apiKey: h.key, maxRetries: 0 });
    if (!stream) return (await client.responses.create({ model, input: prompt, store: false })).output_text;
    return (await client.responses.stream({ model, input: prompt, store: false }).finalResponse()).output_text;
  }
  const client = new Anthropic({ baseURL: h.gateway.url, apiKey: h.key, maxRetries: 0 });
  const params = { model, max_tokens: 256, messages: [{ role: 'user' as const, content: prompt }] };
  const message = stream ? await client.messages.stream(params).finalMessage() : await client.messages.create(params);
  return message.content.map((block) => (block.type === 'text' ? block.text : '')).join('');
}

const CELLS: ReadonlyArray<[Inbound, Model]> = [
  ['chat', 'compat-chat'], ['chat', 'openai-responses'], ['chat', 'claude-test'],
  ['responses', 'compat-chat'], ['responses', 'openai-responses'], ['responses', 'claude-test'],
  ['messages', 'compat-chat'], ['messages', 'openai-responses'], ['messages', 'claude-test'],
];

describe.each(CELLS)('%s in → %s', (inbound, model) => {
  it.each([false, true])('stream %s: the provider text arrives and the provider usage is recorded and priced', async (stream) => {
    const text = await ask(inbound, model, stream);
    expect(text).toContain(model === 'claude-test' ? ANTHROPIC_TEXT : OPENAI_TEXT.slice(0, 15));
    const records: UsageRecord[] = await usageRecords(harness());
    expect(records).toHaveLength(1);
    const [record] = records;
    const expected = EXPECTED_USAGE[model];
    expect(record).toMatchObject({
      requestedModel: model, provider: expected.provider, status: 'ok', streamed: stream, usageEstimated: false,
      inputTokens: expected.inputTokens, outputTokens: expected.outputTokens, cachedTokens: expected.cachedTokens,
    });
    expect(record?.costUsd).toBeGreaterThan(0);
  });
});

describe('the Vercel AI SDK default openai(model) (Responses) through the gateway', () => {
  it.each(['compat-chat', 'openai-responses', 'claude-test'] as const)('%s: generateText and streamText get the text and the usage', async (model) => {
    const client = path.join(__dirname, '..', 'api', 'responses', 'ai-sdk-client.mjs');
    const { stdout } = await promisify(execFile)(process.execPath, [client, harness().baseUrl, harness().key, model], { timeout: 20_000 });
    const result = JSON.parse(stdout) as Record<'generated' | 'streamed', { text: string; usage: { inputTokens: number; outputTokens: number } }>;
    const expected = EXPECTED_USAGE[model];
    for (const summary of [result.generated, result.streamed]) {
      expect(summary.text).toContain(model === 'claude-test' ? ANTHROPIC_TEXT : OPENAI_TEXT.slice(0, 15));
      expect(summary.usage).toMatchObject({ inputTokens: expected.inputTokens, outputTokens: expected.outputTokens });
    }
  });
});

describe('what translation cannot carry', () => {
  it('a Chat field only Chat providers honour fails with a 400 naming it, and reaches no provider', async () => {
    const response = await harness().post('/chat/completions', { model: 'claude-test', messages: [{ role: 'user', content: 'hi' }], logprobs: true });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { code: 'unsupported_parameter', param: 'logprobs' } });
    expect(anthropic.requests).toHaveLength(0);
  });

  it('previous_response_id gets a 400 that says the gateway keeps no conversation state', async () => {
    const response = await harness().post('/responses', { model: 'openai-responses', input: 'hi', previous_response_id: 'resp_1' });
    expect(response.status).toBe(400);
    const body = await response.json() as { error: { param: string; message: string } };
    expect(body.error.param).toBe('previous_response_id');
    expect(body.error.message).toMatch(/no conversation state/i);
  });
});

beforeEach(() => {
  anthropic.reset();
});
