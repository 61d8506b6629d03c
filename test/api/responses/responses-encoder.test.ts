import OpenAI from 'openai';
import { responsesEncoder } from '../../../lambda/api/responses/responses-encoder';
import { RateLimitedError } from '../../../lambda/errors/gateway-error';
import { RICH_EVENTS, TRAILER, USAGE, context, encodeStream, eventsOf, frames, replayServer } from './encoder-harness';

describe('responsesEncoder.encodeStream', () => {
  it('writes the full typed sequence with ordered sequence numbers, the trailer just before response.completed', async () => {
    const { text } = await encodeStream(RICH_EVENTS);
    const all = frames(text);
    for (const frame of all) expect(frame.event).toBe(frame.data.type);
    expect(all.map((frame) => frame.data.sequence_number)).toEqual(all.map((_, index) => index));
    expect(all.map((frame) => frame.event)).toEqual([
      'response.created', 'response.in_progress',
      'response.output_item.added', 'response.reasoning_summary_part.added', 'response.reasoning_summary_text.delta', 'response.reasoning_summary_text.delta',
      'response.reasoning_summary_text.done', 'response.reasoning_summary_part.done', 'response.output_item.done',
      'response.output_item.added', 'response.content_part.added', 'response.output_text.delta', 'response.output_text.delta',
      'response.output_text.done', 'response.content_part.done', 'response.output_item.done',
      'response.output_item.added', 'response.output_item.added',
      'response.function_call_arguments.delta', 'response.function_call_arguments.delta', 'response.function_call_arguments.delta', 'response.function_call_arguments.delta',
      'response.function_call_arguments.done', 'response.output_item.done', 'response.function_call_arguments.done', 'response.output_item.done',
      'response.completed',
    ]);
    expect(text).toContain(`: ${TRAILER}\n\nevent: response.completed\n`);
    const completed = all[all.length - 1]?.data.response as Record<string, unknown>;
    expect(completed).toEqual(expect.objectContaining({ id: 'resp_0123456789abcdef0123456789abcdef', object: 'response', status: 'completed', model: 'my-model', created_at: 1_796_000_000 }));
    expect(completed.usage).toEqual({
      input_tokens: 20, input_tokens_details: { cached_tokens: 8 }, output_tokens: 9, output_tokens_details: { reasoning_tokens: 3 }, total_tokens: 29, cost_usd: 0.001,
    });
    expect(completed.output).toEqual([
      expect.objectContaining({ type: 'reasoning', summary: [{ type: 'summary_text', text: 'Let me think.' }] }),
      expect.objectContaining({ type: 'message', role: 'assistant', status: 'completed', content: [expect.objectContaining({ type: 'output_text', text: 'Hello wörld 👋' })] }),
      expect.objectContaining({ type: 'function_call', call_id: 'toolu_A', name: 'get_weather', arguments: '{"city":"Paris"}', id: expect.stringMatching(/^fc_/) as unknown }),
      expect.objectContaining({ type: 'function_call', call_id: 'toolu_B', name: 'get_time', arguments: '{"tz":"Europe/Paris"}' }),
    ]);
    // Another provider's thinking signature is never handed to a Responses caller.
    expect(text).not.toContain('EqQBCkYIBx');
  });

  it('writes each frame as soon as its event arrives: one chunk per content event', async () => {
    const { chunks } = await encodeStream(RICH_EVENTS);
    // message_start, 2 thinking, 2 text, 2 starts, 4 deltas, 2 ends = 13 chunks that carry frames, plus the terminal one.
    expect(chunks.length).toBe(14);
  });

  it('reports max_tokens as response.incomplete with max_output_tokens, content_filter likewise', async () => {
    for (const [reason, detail] of [['length', 'max_output_tokens'], ['content_filter', 'content_filter']] as const) {
      const { text } = await encodeStream([{ type: 'message_start', id: 'x', model: 'm' }, { type: 'text_delta', text: 'cut' }, { type: 'finish', reason }]);
      const last = frames(text).pop();
      expect(last?.event).toBe('response.incomplete');
      expect(last?.data.response).toEqual(expect.objectContaining({ status: 'incomplete', incomplete_details: { reason: detail }, usage: null }));
    }
  });

  it('on a provider failure writes response.failed with the error, then rethrows', async () => {
    const failure = new RateLimitedError('Provider is rate limiting: try again in 3s');
    const { text, error } = await encodeStream([{ type: 'message_start', id: 'x', model: 'm' }, { type: 'text_delta', text: 'partial' }], failure);
    expect(error).toBe(failure);
    const last = frames(text).pop();
    expect(last?.event).toBe('response.failed');
    expect(last?.data.response).toEqual(expect.objectContaining({ status: 'failed', error: { code: 'rate_limit_exceeded', message: 'Provider is rate limiting: try again in 3s' } }));
  });

  it('a failure before any event still starts with response.created', async () => {
    const { text, error } = await encodeStream([], new Error('boom'));
    expect(error).toBeInstanceOf(Error);
    expect(frames(text).map((frame) => frame.event)).toEqual(['response.created', 'response.in_progress', 'response.failed']);
    expect(frames(text)[2]?.data.response).toEqual(expect.objectContaining({ error: { code: 'internal_error', message: 'Internal gateway error.' } }));
  });
});

describe('the official openai SDK reads what the encoder writes', () => {
  let server: Awaited<ReturnType<typeof replayServer>>;
  let client: OpenAI;

  beforeAll(async () => {
    server = await replayServer();
    client = new OpenAI({ baseURL: server.url, apiKey: 'gw-test', maxRetries: 0, timeout: 10_000 });
  });
  afterAll(() => server.close());

  it('client.responses.stream(...).finalResponse() rebuilds text, reasoning, parallel calls and usage', async () => {
    server.serve((await encodeStream(RICH_EVENTS)).text);
    const stream = client.responses.stream({ model: 'my-model', input: 'hi' });
    const deltas: string[] = [];
    stream.on('response.output_text.delta', (event) => deltas.push(event.delta));
    const final = await stream.finalResponse();
    expect(deltas.join('')).toBe('Hello wörld 👋');
    expect(final.output_text).toBe('Hello wörld 👋');
    expect(final.status).toBe('completed');
    expect(final.usage).toEqual(expect.objectContaining({ input_tokens: USAGE.inputTokens, output_tokens: USAGE.outputTokens, total_tokens: 29 }));
    const calls = final.output.filter((item) => item.type === 'function_call');
    expect(calls.map((call) => [call.call_id, call.name, call.arguments])).toEqual([
      ['toolu_A', 'get_weather', '{"city":"Paris"}'], ['toolu_B', 'get_time', '{"tz":"Europe/Paris"}'],
    ]);
  });

  it('client.responses.create({ stream: true }) yields typed events ending in response.completed', async () => {
    server.serve((await encodeStream(RICH_EVENTS)).text);
    const types: string[] = [];
    for await (const event of await client.responses.create({ model: 'my-model', input: 'hi', stream: true })) types.push(event.type);
    expect(types[0]).toBe('response.created');
    expect(types[types.length - 1]).toBe('response.completed');
  });

  it('client.responses.create({ stream: false }) parses encodeJson', async () => {
    server.serve('', await responsesEncoder.encodeJson(eventsOf(RICH_EVENTS), context()));
    const response = await client.responses.create({ model: 'my-model', input: 'hi', stream: false });
    expect(response.output_text).toBe('Hello wörld 👋');
    expect(response.id).toBe('resp_0123456789abcdef0123456789abcdef');
    expect(response.usage?.input_tokens_details.cached_tokens).toBe(8);
    expect(response.output.map((item) => item.type)).toEqual(['reasoning', 'message', 'function_call', 'function_call']);
  });

  it('a response.failed stream surfaces the failure to the SDK stream', async () => {
    server.serve((await encodeStream([{ type: 'message_start', id: 'x', model: 'm' }], new RateLimitedError('slow down'))).text);
    const stream = client.responses.stream({ model: 'my-model', input: 'hi' });
    const failed: unknown[] = [];
    stream.on('response.failed', (event) => failed.push(event.response.error));
    const final = await stream.finalResponse();
    expect(final.status).toBe('failed');
    expect(failed).toEqual([{ code: 'rate_limit_exceeded', message: 'slow down' }]);
  });
});
