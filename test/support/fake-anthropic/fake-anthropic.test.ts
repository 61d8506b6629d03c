import Anthropic from '@anthropic-ai/sdk';
import { FAKE_RETRY_AFTER_SECONDS, FAKE_SIGNATURE, FAKE_TEXT_PIECES, FAKE_TOOL_INPUT, startFakeAnthropic, type FakeAnthropic } from '.';

const KEY = 'fake-key';
let fake: FakeAnthropic;
let client: Anthropic;

beforeAll(async () => {
  fake = await startFakeAnthropic({ apiKey: KEY });
  client = new Anthropic({ baseURL: fake.baseUrl, apiKey: KEY, maxRetries: 0 });
});
afterAll(async () => { await fake.close(); });

const params = (model: string) => ({ model, max_tokens: 50, messages: [{ role: 'user' as const, content: 'hi' }] });

describe('fake Anthropic, checked by the official SDK', () => {
  it('streams text that MessageStream assembles, and records the request', async () => {
    const message = await client.messages.stream(params('claude-fake')).finalMessage();
    expect(message.content).toMatchObject([{ type: 'text', text: FAKE_TEXT_PIECES.join('') }]);
    expect(fake.requests.at(-1)?.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(fake.requests.at(-1)?.body).toMatchObject({ model: 'claude-fake', stream: true });
  });

  it('streams tool_use split mid-string and thinking with a signature', async () => {
    const tool = await client.messages.stream(params('tool-use')).finalMessage();
    expect(tool.content[1]).toMatchObject({ type: 'tool_use', input: FAKE_TOOL_INPUT });
    const thinking = await client.messages.create(params('thinking'));
    expect(thinking.content[0]).toMatchObject({ type: 'thinking', signature: FAKE_SIGNATURE });
  });

  it('answers errors in Anthropic\'s shape: 429 with retry-after, 529 overloaded, mid-stream error', async () => {
    const limited: unknown = await client.messages.create(params('error-429')).catch((caught: unknown) => caught);
    expect(limited).toBeInstanceOf(Anthropic.RateLimitError);
    expect((limited as InstanceType<typeof Anthropic.APIError>).headers?.get('retry-after')).toBe(FAKE_RETRY_AFTER_SECONDS);
    await expect(client.messages.create(params('error-529'))).rejects.toMatchObject({ status: 529 });
    await expect(client.messages.stream(params('error-mid-stream')).finalMessage()).rejects.toBeInstanceOf(Anthropic.APIError);
  });

  it('rejects a wrong key and counts tokens', async () => {
    const wrong = new Anthropic({ baseURL: fake.baseUrl, apiKey: 'nope', maxRetries: 0 });
    await expect(wrong.messages.create(params('x'))).rejects.toBeInstanceOf(Anthropic.AuthenticationError);
    const counted = await client.messages.countTokens({ model: 'x', messages: [{ role: 'user', content: 'hello' }] });
    expect(counted.input_tokens).toBeGreaterThan(0);
  });
});
