import { UPSTREAM_KEY, useHarness, usageRecords } from '../support/gateway-harness';

/**
 * Providers bill only what they accepted: a request that never reached one, or that one refused, is
 * recorded (status, error code) with zero tokens and $0; only a stream that started and broke off is
 * estimated.
 */
const harness = useHarness({
  // The `compatible` provider declares a key variable that has no value here.
  secrets: async (name) => (name === 'unreachable' || name === 'compatible' ? undefined : UPSTREAM_KEY),
});

const messages = [{ role: 'user', content: 'a prompt long enough to have a non-zero estimate if one were made' }];

describe('failures before a provider accepted the request cost nothing', () => {
  it.each([
    ['missing provider key', '/embeddings', { model: 'embed-compatible', input: 'hello' }, 502, 'upstream_error'],
    ['connection refused', '/chat/completions', { model: 'gpt-down', messages }, 502, 'upstream_error'],
    ['timeout before headers', '/chat/completions', { model: 'gpt-hang', messages }, 504, 'upstream_timeout'],
    ['provider 401', '/chat/completions', { model: 'gpt-401', messages }, 502, 'upstream_error'],
    ['provider 429', '/chat/completions', { model: 'gpt-429', messages }, 429, 'rate_limited'],
    ['provider 5xx', '/chat/completions', { model: 'gpt-500', messages }, 502, 'upstream_error'],
    ['provider 5xx on a stream request', '/chat/completions', { model: 'gpt-500', messages, stream: true }, 502, 'upstream_error'],
    ['an unknown model (no provider involved)', '/chat/completions', { model: 'gpt-unknown', messages }, 404, 'model_not_found'],
  ])('%s → recorded with 0 tokens and $0', async (_label, path, body, status, code) => {
    const response = await harness().post(path, body);
    expect(response.status).toBe(status);
    const records = await usageRecords(harness());
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({
      httpStatus: status, errorCode: code, inputTokens: 0, outputTokens: 0, cachedTokens: 0, reasoningTokens: 0, costUsd: 0, usageEstimated: false,
    });
    expect(response.headers.get('x-gatellm-cost-usd')).toBeNull();
  });
});

describe('what a provider accepted is billed', () => {
  it('estimates a stream that started and broke off', async () => {
    const response = await harness().post('/chat/completions', { model: 'gpt-drop', messages, stream: true });
    expect(response.status).toBe(200);
    await response.text();
    const [record] = await usageRecords(harness());
    expect(record).toMatchObject({ status: 'upstream_error', usageEstimated: true });
    expect(record?.inputTokens).toBeGreaterThan(0);
    expect(record?.costUsd).toBeGreaterThan(0);
  });

  it('bills a fallback from the deployment that answered, not the ones that failed', async () => {
    const response = await harness().post('/chat/completions', { model: 'gpt-fallback', messages });
    expect(response.status).toBe(200);
    const records = await usageRecords(harness());
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ status: 'ok', usageEstimated: false, inputTokens: 12, providerModel: 'fake-model' });
  });
});
