import { MAX_JSON_DEPTH } from '../../lambda/api/json-depth';
import { MAX_MODEL_NAME_LENGTH } from '../../lambda/api/request-body';
import { useHarness, usageRecords } from '../support/gateway-harness';

/** Known fields are checked for type and range at the edge; everything else passes through untouched. */
const harness = useHarness();

const messages = [{ role: 'user', content: 'hi' }];

interface OpenAiErrorBody { error: { message: string; type: string; param: string | null; code: string } }

async function expect400(response: Response, param: string): Promise<OpenAiErrorBody['error']> {
  const text = await response.text();
  expect({ status: response.status, param: (JSON.parse(text) as OpenAiErrorBody).error.param }).toEqual({ status: 400, param });
  const { error } = JSON.parse(text) as OpenAiErrorBody;
  expect(error.type).toBe('invalid_request_error');
  return error;
}

describe('known fields with wrong types or ranges → 400 naming the field, nothing sent upstream', () => {
  it.each([
    ['chat', 'n', { n: -1 }],
    ['chat', 'n', { n: 1.5 }],
    ['chat', 'max_tokens', { max_tokens: -1 }],
    ['chat', 'max_tokens', { max_tokens: 'abc' }],
    ['chat', 'max_completion_tokens', { max_completion_tokens: 0 }],
    ['chat', 'temperature', { temperature: 3 }],
    ['chat', 'top_p', { top_p: -0.1 }],
    ['chat', 'presence_penalty', { presence_penalty: 2.5 }],
    ['chat', 'frequency_penalty', { frequency_penalty: '1' }],
    ['chat', 'messages[0]', { messages: [null] }],
    ['chat', 'messages[1].role', { messages: [{ role: 'user', content: 'a' }, { content: 'no role' }] }],
    ['chat', 'messages[0].role', { messages: [{ role: 7 }] }],
    ['chat', 'messages', { messages: 'hi' }],
    ['chat', 'messages', { messages: [] }],
    ['chat', 'stream', { stream: 'yes' }],
    ['chat', 'stream_options', { stream_options: 'include_usage' }],
    ['chat', 'stream_options', { stream_options: [] }],
    ['chat', 'stop', { stop: ['a', 'b', 'c', 'd', 'e'] }],
    ['chat', 'stop[1]', { stop: ['a', 3] }],
    ['chat', 'tools', { tools: { type: 'function' } }],
    ['chat', 'user', { user: 42 }],
    ['chat', 'user', { user: 'u'.repeat(257) }],
    ['chat', 'metadata', { metadata: { a: 1 } }],
    ['chat', 'metadata', { metadata: { a: 'x'.repeat(513) } }],
    ['chat', 'seed', { seed: 1.5 }],
    ['chat', 'logprobs', { logprobs: 'true' }],
    ['chat', 'top_logprobs', { top_logprobs: 21 }],
    ['embeddings', 'input', { input: [] }],
    ['embeddings', 'input[0]', { input: [[]] }],
    ['embeddings', 'input', { input: { text: 'a' } }],
    ['embeddings', 'encoding_format', { input: 'a', encoding_format: 'int8' }],
    ['embeddings', 'dimensions', { input: 'a', dimensions: 0 }],
    ['embeddings', 'stream', { input: 'a', stream: true }],
    ['completions', 'prompt', { prompt: 5 }],
    ['completions', 'logprobs', { prompt: 'a', logprobs: true }],
    ['completions', 'n', { prompt: 'a', n: 0 }],
  ])('%s: a bad %s → 400 naming it', async (endpoint, param, fields) => {
    const base = endpoint === 'chat' ? { model: 'gpt-test', messages } : { model: endpoint === 'embeddings' ? 'embed-test' : 'echo' };
    await expect400(await harness().post(`/${endpoint === 'chat' ? 'chat/completions' : endpoint}`, { ...base, ...fields }), param);
    expect(harness().upstream.requests).toHaveLength(0);
  });

  it('rejects a non-finite number (1e400 parses to Infinity)', async () => {
    const body = `{"model":"gpt-test","messages":[{"role":"user","content":"hi"}],"temperature":1e400}`;
    await expect400(await harness().post('/chat/completions', body), 'temperature');
  });

  it('does not quote the bad value back', async () => {
    const secretish = 'sk-should-not-echo-'.repeat(20);
    const error = await expect400(await harness().post('/chat/completions', { model: 'gpt-test', messages, max_tokens: secretish }), 'max_tokens');
    expect(error.message).not.toContain('sk-should-not-echo');
  });
});

describe('valid requests pass through untouched', () => {
  it('keeps unknown fields and nulls for optional ones, and reaches the provider', async () => {
    const body = {
      model: 'gpt-test', messages, n: 1, max_tokens: 16, temperature: 0, top_p: 1, stop: null, seed: -3, user: 'u1',
      metadata: { team: 'x' }, stream_options: null, brand_new_option: { nested: [1, 2] }, reasoning_effort: 'low',
    };
    const response = await harness().post('/chat/completions', body);
    expect(response.status).toBe(200);
    expect(harness().upstream.requests[0]?.body).toEqual({ ...body, model: 'fake-model' });
  });

  it.each([
    ['a string', 'hello'],
    ['strings', ['a', 'b']],
    ['token ids', [1, 2, 3]],
    ['token-id arrays', [[1, 2], [3]]],
  ])('accepts embeddings input as %s', async (_label, input) => {
    expect((await harness().post('/embeddings', { model: 'embed-test', input, encoding_format: 'float', dimensions: 8 })).status).toBe(200);
  });
});

describe('nesting depth', () => {
  it(`answers 5,000 levels of nesting with a 400, not a 500 (limit ${MAX_JSON_DEPTH})`, async () => {
    const deep = `{"model":"gpt-test","messages":[{"role":"user","content":"hi"}],"x":${'['.repeat(5000)}${']'.repeat(5000)}}`;
    const response = await harness().post('/chat/completions', deep);
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { code: 'invalid_json' } });
    expect(harness().upstream.requests).toHaveLength(0);
  });

  it('accepts nesting up to the limit', async () => {
    // The body object and messages take 2 levels, so the extra field may nest MAX_JSON_DEPTH - 1.
    const levels = MAX_JSON_DEPTH - 1;
    const body = `{"model":"gpt-test","messages":[{"role":"user","content":"[[[\\"{"}],"x":${'['.repeat(levels)}${']'.repeat(levels)}}`;
    expect((await harness().post('/chat/completions', body)).status).toBe(200);
  });
});

describe('authentication comes before anything about the body', () => {
  it.each([
    ['malformed JSON', '{bad'],
    ['a bad field', JSON.stringify({ model: 'gpt-test', messages: [null] })],
    ['deep nesting', `{"x":${'['.repeat(5000)}${']'.repeat(5000)}}`],
  ])('an unauthenticated request with %s gets 401', async (_label, body) => {
    const response = await harness().post('/chat/completions', body, { authorization: '' });
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ error: { code: 'invalid_api_key' } });
  });

  it('an unauthenticated request with the wrong content type gets 401, not 415', async () => {
    const response = await harness().post('/chat/completions', 'x', { authorization: '', 'content-type': 'text/plain' });
    expect(response.status).toBe(401);
  });
});

describe('oversized caller strings', () => {
  it.each([
    ['~450 KB', 450 * 1024],
    ['1 MB', 1024 * 1024],
  ])('a %s model is a 400 naming the field, with a small body that does not echo it', async (_label, size) => {
    const model = `m${'x'.repeat(size)}`;
    const response = await harness().post('/chat/completions', { model, messages });
    const text = await response.text();
    expect(response.status).toBe(400);
    expect(text.length).toBeLessThan(1000);
    expect(text).not.toContain('xxxxxxxxxx');
    expect((JSON.parse(text) as OpenAiErrorBody).error.param).toBe('model');
    expect(await usageRecords(harness())).toHaveLength(0);
  });

  it(`accepts a model name of ${MAX_MODEL_NAME_LENGTH} characters and refuses one longer`, async () => {
    // Neither exists; the first is looked up (404), the second refused before any lookup (400).
    expect((await harness().post('/chat/completions', { model: 'n'.repeat(MAX_MODEL_NAME_LENGTH), messages })).status).toBe(404);
    expect((await harness().post('/chat/completions', { model: 'n'.repeat(MAX_MODEL_NAME_LENGTH + 1), messages })).status).toBe(400);
  });

  it('a long unknown model name is quoted in the 404 by at most ~100 characters', async () => {
    const response = await harness().post('/chat/completions', { model: 'y'.repeat(250), messages });
    const { error } = await response.json() as OpenAiErrorBody;
    expect(response.status).toBe(404);
    expect(error.message.length).toBeLessThan(150);
  });

  it('a long user-agent is recorded capped', async () => {
    await harness().post('/chat/completions', { model: 'gpt-test', messages }, { 'user-agent': 'ua'.repeat(4000) });
    const [record] = await usageRecords(harness());
    expect(record?.userAgent?.length).toBeLessThanOrEqual(256);
  });
});
