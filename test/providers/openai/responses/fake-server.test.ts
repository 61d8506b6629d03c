import OpenAI from 'openai';
import type { StreamEvent } from '../../../../lambda/canonical/events';
import { decodeResponsesJson, decodeResponsesStream } from '../../../../lambda/providers/openai/responses';
import { FAKE_STREAM_PIECES, FAKE_TOOL_ARGUMENTS, startFakeOpenAi, type FakeOpenAi } from '../../../support/fake-openai';
import { FAKE_REASONING_SUMMARY, FAKE_RESPONSES_USAGE } from '../../../support/fake-openai/responses';
import { summarise } from './harness';

const TOOLS = [
  { type: 'function' as const, name: 'get_weather', parameters: { type: 'object', properties: {} }, strict: false },
  { type: 'function' as const, name: 'get_time', parameters: { type: 'object', properties: {} }, strict: false },
];

/** The fake's `/v1/responses`, checked against the official SDK so decoder tests can trust it. */
describe('fake OpenAI POST /v1/responses', () => {
  let fake: FakeOpenAi;
  let client: OpenAI;

  beforeAll(async () => {
    fake = await startFakeOpenAi();
    client = new OpenAI({ baseURL: fake.baseUrl, apiKey: 'sk-fake', maxRetries: 0, timeout: 10_000 });
  });
  afterAll(() => fake.close());

  it('streams a text answer the SDK accumulates, with usage, and records the request', async () => {
    fake.reset();
    const final = await client.responses.stream({ model: 'gpt-5-mini', input: 'hi', store: false }).finalResponse();
    expect(final.output_text).toBe(FAKE_STREAM_PIECES.join(''));
    expect(final.usage).toEqual(FAKE_RESPONSES_USAGE);
    expect(fake.requests).toEqual([expect.objectContaining({ method: 'POST', path: '/v1/responses', body: expect.objectContaining({ model: 'gpt-5-mini', stream: true }) as unknown })]);
  });

  it('streams parallel function calls and a reasoning summary the SDK accumulates', async () => {
    const parallel = await client.responses.stream({ model: 'responses-parallel', input: 'hi', tools: TOOLS }).finalResponse();
    expect(parallel.output.map((item) => (item.type === 'function_call' ? [item.name, item.arguments] : item.type))).toEqual([
      ['get_weather', FAKE_TOOL_ARGUMENTS], ['get_time', '{"timezone":"Europe/Paris"}'],
    ]);
    const reasoning = await client.responses.stream({ model: 'responses-reasoning', input: 'hi' }).finalResponse();
    const item = reasoning.output[0];
    expect(item?.type === 'reasoning' ? item.summary.map((part) => part.text) : item).toEqual(FAKE_REASONING_SUMMARY);
  });

  it('answers JSON that decodeResponsesJson reads like the stream', async () => {
    const json = await client.responses.create({ model: 'gpt-5-mini', input: 'hi', tools: TOOLS });
    const fromJson = summarise(decodeResponsesJson(json));
    const response = await fetch(`${fake.baseUrl}/responses`, { method: 'POST', body: JSON.stringify({ model: 'gpt-5-mini', input: 'hi', tools: TOOLS, stream: true }) });
    const events: StreamEvent[] = [];
    if (response.body === null) throw new Error('no body');
    for await (const event of decodeResponsesStream(response.body, { maxEventBytes: 1 << 20 })) events.push(event);
    const fromStream = summarise(events) as { calls: { id: string }[] };
    const expected = { ...fromStream, calls: fromStream.calls.map((call) => ({ ...call, id: expect.stringMatching(/^call_/) as unknown })) };
    expect(fromJson).toEqual(expected);
    expect(fromJson).toEqual(expect.objectContaining({ finish: 'tool_calls' }));
  });

  it('speaks OpenAI errors: 429 with retry-after, 500, and in-stream response.failed', async () => {
    await expect(client.responses.create({ model: 'error-429', input: 'hi' })).rejects.toMatchObject({ status: 429, code: 'rate_limit_exceeded' });
    await expect(client.responses.create({ model: 'error-500', input: 'hi' })).rejects.toMatchObject({ status: 500 });
    const failed = await client.responses.stream({ model: 'responses-failed', input: 'hi' }).finalResponse();
    expect(failed.status).toBe('failed');
    expect(failed.error).toEqual({ code: 'server_error', message: 'The model failed to generate a response.' });
  });
});
