import { useHarness, usageRecords } from '../support/gateway-harness';
import { seedKey } from '../support/memory-stores';

const harness = useHarness();

const messages = [{ role: 'user', content: 'hi' }];

async function expectOpenAiError(response: Response, status: number, code: string): Promise<{ message: string; type: string; param: string | null }> {
  expect(response.status).toBe(status);
  expect(response.headers.get('x-request-id')).toMatch(/^req_/);
  expect(response.headers.get('content-type')).toContain('application/json');
  const text = await response.text();
  expect(response.headers.get('content-length')).toBe(String(Buffer.byteLength(text)));
  const body = JSON.parse(text) as { error: { message: string; type: string; param: string | null; code: string } };
  expect(body.error.code).toBe(code);
  expect(typeof body.error.message).toBe('string');
  expect(body.error).toHaveProperty('param');
  return body.error;
}

describe('bad input gets a 4xx in the OpenAI error shape', () => {
  it('invalid JSON → 400', async () => {
    await expectOpenAiError(await harness().post('/chat/completions', '{"model": '), 400, 'invalid_json');
  });
  it('wrong content type → 415', async () => {
    await expectOpenAiError(await harness().post('/chat/completions', 'model=gpt', { 'content-type': 'application/x-www-form-urlencoded' }), 415, 'unsupported_media_type');
  });
  it('missing model → 400 naming the param', async () => {
    const error = await expectOpenAiError(await harness().post('/chat/completions', { messages }), 400, 'missing_model');
    expect(error.param).toBe('model');
  });
  it('missing messages → 400', async () => {
    await expectOpenAiError(await harness().post('/chat/completions', { model: 'gpt-test' }), 400, 'missing_required_parameter');
  });
  it('unknown model → 404', async () => {
    await expectOpenAiError(await harness().post('/chat/completions', { model: 'gpt-nope', messages }), 404, 'model_not_found');
  });
  it('body over the limit → 413', async () => {
    const big = JSON.stringify({ model: 'gpt-test', messages: [{ role: 'user', content: 'x'.repeat(11 * 1024 * 1024) }] });
    await expectOpenAiError(await harness().post('/chat/completions', big), 413, 'payload_too_large');
  });
  it('unknown route → 404', async () => {
    await expectOpenAiError(await harness().post('/nope', {}), 404, 'unknown_route');
  });
  it('wrong method → 405 with Allow', async () => {
    const response = await fetch(`${harness().baseUrl}/chat/completions`, { headers: { authorization: `Bearer ${harness().key}` } });
    expect(response.headers.get('allow')).toBe('POST');
    await expectOpenAiError(response, 405, 'method_not_allowed');
  });
  it('nothing reaches the provider for rejected requests', () => {
    expect(harness().upstream.requests).toHaveLength(0);
  });
});

describe('gateway keys', () => {
  it.each([
    ['x-api-key', (key: string) => ({ authorization: '', 'x-api-key': key })],
    ['api-key', (key: string) => ({ authorization: '', 'api-key': key })],
  ])('are accepted in %s', async (_name, headers) => {
    const response = await harness().post('/chat/completions', { model: 'gpt-test', messages }, headers(harness().key));
    expect(response.status).toBe(200);
  });

  it('missing, unknown or revoked → 401 invalid_api_key', async () => {
    await expectOpenAiError(await harness().post('/chat/completions', { model: 'gpt-test', messages }, { authorization: '' }), 401, 'invalid_api_key');
    await expectOpenAiError(await harness().post('/chat/completions', { model: 'gpt-test', messages }, { authorization: 'Bearer gllm_wrong' }), 401, 'invalid_api_key');
    const revoked = await seedKey(harness().stores, { revokedAt: new Date().toISOString() });
    await expectOpenAiError(await harness().post('/chat/completions', { model: 'gpt-test', messages }, { authorization: `Bearer ${revoked.key}` }), 401, 'invalid_api_key');
  });

  it('with an expiry date in the future work; past it they get 401', async () => {
    const later = await seedKey(harness().stores, { expiresAt: new Date(Date.now() + 60 * 60 * 1000).toISOString() });
    const response = await harness().post('/chat/completions', { model: 'gpt-test', messages }, { authorization: `Bearer ${later.key}` });
    expect(response.status).toBe(200);
    const models = await fetch(`${harness().baseUrl}/models`, { headers: { authorization: `Bearer ${later.key}` } });
    expect(models.status).toBe(200);
    const expired = await seedKey(harness().stores, { expiresAt: new Date(Date.now() - 1000).toISOString() });
    const error = await expectOpenAiError(
      await harness().post('/chat/completions', { model: 'gpt-test', messages }, { authorization: `Bearer ${expired.key}` }), 401, 'invalid_api_key');
    expect(error.message).toMatch(/expired/);
  });

  it('restricted to some models → 403 model_not_allowed for others, recorded', async () => {
    const limited = await seedKey(harness().stores, { models: ['embed-*'] });
    await expectOpenAiError(await harness().post('/chat/completions', { model: 'gpt-test', messages }, { authorization: `Bearer ${limited.key}` }), 403, 'model_not_allowed');
    const [record] = await usageRecords(harness());
    expect(record).toMatchObject({ keyId: limited.id, status: 'error', httpStatus: 403, errorCode: 'model_not_allowed', costUsd: 0 });
  });
});

describe('provider failures', () => {
  it('429 → 429 with the provider retry-after', async () => {
    const response = await harness().post('/chat/completions', { model: 'gpt-429', messages });
    expect(response.headers.get('retry-after')).toBe('7');
    await expectOpenAiError(response, 429, 'rate_limited');
  });
  it('5xx → 502 upstream_error', async () => {
    await expectOpenAiError(await harness().post('/chat/completions', { model: 'gpt-500', messages }), 502, 'upstream_error');
  });
  it('401 from the provider → 502, never the caller\'s fault', async () => {
    await expectOpenAiError(await harness().post('/chat/completions', { model: 'gpt-401', messages }), 502, 'upstream_error');
  });
  it('400 from the provider passes through as the caller\'s error', async () => {
    const response = await harness().post('/chat/completions', { model: 'gpt-400', messages });
    expect(response.status).toBe(400);
  });
  it('connection refused → 502 upstream_error', async () => {
    await expectOpenAiError(await harness().post('/chat/completions', { model: 'gpt-down', messages }), 502, 'upstream_error');
  });
  it('a hanging provider is cut by the first-byte timeout → 504', async () => {
    await expectOpenAiError(await harness().post('/chat/completions', { model: 'gpt-hang', messages }), 504, 'upstream_timeout');
  });
  it('a client that gives up on a slow JSON call aborts the provider call and is recorded', async () => {
    const controller = new AbortController();
    const pending = fetch(`${harness().baseUrl}/chat/completions`, {
      method: 'POST', signal: controller.signal,
      headers: { authorization: `Bearer ${harness().key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt-hang', messages }),
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    controller.abort();
    await expect(pending).rejects.toThrow();
    const deadline = Date.now() + 3000;
    while ((await usageRecords(harness())).length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    expect((await usageRecords(harness()))[0]).toMatchObject({ status: 'client_aborted', requestedModel: 'gpt-hang' });
    expect(harness().upstream.abortedRequests).toBeGreaterThan(0);
  });

  it('an alias falls back past failing deployments before the first byte', async () => {
    const response = await harness().post('/chat/completions', { model: 'gpt-fallback', messages });
    expect(response.status).toBe(200);
    const [record] = await usageRecords(harness());
    expect(record).toMatchObject({ requestedModel: 'gpt-fallback', provider: 'fake', providerModel: 'fake-model', status: 'ok' });
  });
});
