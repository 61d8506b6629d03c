import OpenAI from 'openai';
import { startHarness, usageRecords, type Harness } from '../support/gateway-harness';
import type { MemoryStores } from '../support/memory-stores';
import { FAKE_STREAM_PIECES } from '../support/fake-openai';

/** The official openai client pointed at the local gateway: the two environment variables users set. */
let harness: Harness & { memory: MemoryStores | undefined };
let client: OpenAI;

beforeAll(async () => {
  harness = await startHarness();
  client = new OpenAI({ baseURL: harness.baseUrl, apiKey: harness.key, maxRetries: 0 });
});
afterAll(async () => {
  await harness.close();
});

describe('openai SDK against the gateway', () => {
  it('lists models', async () => {
    const ids: string[] = [];
    for await (const model of client.models.list()) ids.push(model.id);
    expect(ids).toContain('gpt-test');
  });

  it('creates a chat completion and exposes the request id', async () => {
    const { data, response } = await client.chat.completions.create({ model: 'gpt-test', messages: [{ role: 'user', content: 'hi' }] }).withResponse();
    expect(data.choices[0]?.message.content).toBe('Hello from fake!');
    expect(data.usage?.prompt_tokens).toBe(12);
    expect(response.headers.get('x-request-id')).toMatch(/^req_/);
  });

  it('streams a chat completion', async () => {
    const stream = await client.chat.completions.create({ model: 'gpt-test', messages: [{ role: 'user', content: 'hi' }], stream: true });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    expect(text).toBe(FAKE_STREAM_PIECES.join(''));
  });

  it('streams with include_usage and gets usage with its cost', async () => {
    const stream = await client.chat.completions.create({
      model: 'gpt-test', messages: [{ role: 'user', content: 'hi' }], stream: true, stream_options: { include_usage: true },
    });
    let usage: (OpenAI.CompletionUsage & { cost_usd?: number }) | undefined | null;
    for await (const chunk of stream) usage = chunk.usage ?? usage;
    expect(usage?.completion_tokens).toBe(5);
    expect(usage?.cost_usd).toBeGreaterThan(0);
  });

  it('gets embeddings with the SDK default (base64) decoded to floats', async () => {
    const result = await client.embeddings.create({ model: 'embed-test', input: 'hello' });
    const vector = result.data[0]?.embedding ?? [];
    expect(vector.length).toBeGreaterThan(0);
    expect(vector.every((value) => typeof value === 'number' && Number.isFinite(value))).toBe(true);
    const floats = await client.embeddings.create({ model: 'embed-test', input: 'hello', encoding_format: 'float' });
    floats.data[0]?.embedding.forEach((value, index) => expect(vector[index]).toBeCloseTo(value, 5));
  });

  it('surfaces gateway errors as typed SDK errors with the stable code', async () => {
    const bad = new OpenAI({ baseURL: harness.baseUrl, apiKey: 'gllm_not_a_key', maxRetries: 0 });
    await expect(bad.chat.completions.create({ model: 'gpt-test', messages: [{ role: 'user', content: 'hi' }] }))
      .rejects.toMatchObject({ status: 401, code: 'invalid_api_key' });
    await expect(client.chat.completions.create({ model: 'gpt-429', messages: [{ role: 'user', content: 'hi' }] }))
      .rejects.toBeInstanceOf(OpenAI.RateLimitError);
  });

  it('meters every SDK call', async () => {
    const records = await usageRecords(harness);
    expect(records.filter((record) => record.status === 'ok').length).toBeGreaterThanOrEqual(5);
  });
});
