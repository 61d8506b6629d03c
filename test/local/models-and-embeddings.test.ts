import { base64ToFloats } from '../../lambda/providers/openai/embeddings-encoding';
import { useHarness, usageRecords } from '../support/gateway-harness';
import { seedKey } from '../support/memory-stores';

const harness = useHarness();

describe('GET /v1/models', () => {
  it('lists models and aliases in the OpenAI list shape', async () => {
    const response = await fetch(`${harness().baseUrl}/models`, { headers: { authorization: `Bearer ${harness().key}` } });
    expect(response.status).toBe(200);
    const body = await response.json() as { object: string; data: { id: string; object: string }[] };
    expect(body.object).toBe('list');
    expect(body.data.map((model) => model.id)).toEqual(expect.arrayContaining(['gpt-test', 'embed-test', 'gpt-fallback']));
    expect(body.data[0]?.object).toBe('model');
  });

  it('shows a restricted key only what it may use', async () => {
    const limited = await seedKey(harness().stores, { models: ['embed-*'] });
    const response = await fetch(`${harness().baseUrl}/models`, { headers: { authorization: `Bearer ${limited.key}` } });
    const body = await response.json() as { data: { id: string }[] };
    expect(body.data.map((model) => model.id).sort()).toEqual(['embed-compatible', 'embed-test']);
    const hidden = await fetch(`${harness().baseUrl}/models/gpt-test`, { headers: { authorization: `Bearer ${limited.key}` } });
    expect(hidden.status).toBe(404);
    const visible = await fetch(`${harness().baseUrl}/models/embed-test`, { headers: { authorization: `Bearer ${limited.key}` } });
    expect(await visible.json()).toMatchObject({ id: 'embed-test', object: 'model' });
  });

  it('requires a key', async () => {
    expect((await fetch(`${harness().baseUrl}/models`)).status).toBe(401);
  });
});

describe('POST /v1/embeddings', () => {
  async function embed(model: string, encoding?: 'float' | 'base64'): Promise<{ data: { embedding: number[] | string }[]; usage: { prompt_tokens: number } }> {
    const response = await harness().post('/embeddings', { model, input: ['alpha', 'beta'], ...(encoding === undefined ? {} : { encoding_format: encoding }) });
    expect(response.status).toBe(200);
    return await response.json() as { data: { embedding: number[] | string }[]; usage: { prompt_tokens: number } };
  }

  it('returns floats and base64 that decode to the same vectors', async () => {
    const floats = await embed('embed-test', 'float');
    const base64 = await embed('embed-test', 'base64');
    expect(Array.isArray(floats.data[0]?.embedding)).toBe(true);
    expect(typeof base64.data[0]?.embedding).toBe('string');
    base64.data.forEach((item, index) => {
      const decoded = base64ToFloats(item.embedding as string);
      const expected = floats.data[index]?.embedding as number[];
      decoded.forEach((value, i) => expect(value).toBeCloseTo(expected[i] ?? NaN, 5));
    });
  });

  it('encodes base64 itself for a provider that only returns floats', async () => {
    const base64 = await embed('embed-compatible', 'base64');
    const floats = await embed('embed-compatible', 'float');
    expect(typeof base64.data[0]?.embedding).toBe('string');
    const decoded = base64ToFloats(base64.data[0]?.embedding as string);
    decoded.forEach((value, i) => expect(value).toBeCloseTo((floats.data[0]?.embedding as number[])[i] ?? NaN, 5));
    const requests = harness().upstream.requests.filter((request) => request.path === '/v1/embeddings');
    expect(requests.at(-2)?.body).toMatchObject({ encoding_format: 'float' });
  });

  it('meters embeddings', async () => {
    await harness().gateway.app.drain();
    harness().memory?.usageRecords.splice(0);
    const result = await embed('embed-test');
    const [record] = await usageRecords(harness());
    expect(record).toMatchObject({ operation: 'openai-embeddings', inputTokens: result.usage.prompt_tokens, outputTokens: 0, status: 'ok' });
  });
});

describe('CORS', () => {
  it('answers preflight with the headers SDKs send', async () => {
    const response = await fetch(`${harness().baseUrl}/chat/completions`, { method: 'OPTIONS', headers: { origin: 'https://app.example', 'access-control-request-method': 'POST' } });
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-headers')).toContain('x-stainless-os');
  });
});
