import type { CanonicalRequest } from '../../../../lambda/canonical/request';
import type { Deployment } from '../../../../lambda/providers/provider';
import { buildResponsesBody, decodeResponsesJson, parseResponsesUsage, TOOL_ERROR_PREFIX } from '../../../../lambda/providers/openai/responses';

/** The error `run` throws (undefined if none), for matching its fields. */
function thrown(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  return undefined;
}

const DEPLOYMENT = {
  modelName: 'codex', model: { provider: 'openai', model: 'gpt-5-codex', price: { input: 1, output: 2 }, api: 'responses' },
  providerName: 'openai', provider: { type: 'openai' },
} as unknown as Deployment;

const BASE: CanonicalRequest = {
  model: 'codex', system: [], messages: [], tools: [], stop: [], stream: true, streamIncludeUsage: false, sameFormatOnly: [],
};

describe('buildResponsesBody', () => {
  it('maps a multi-turn tool conversation to stateless Responses input, paired by call_id', () => {
    const body = buildResponsesBody({
      ...BASE,
      system: [{ type: 'text', text: 'Be brief.' }, { type: 'text', text: 'Use tools.' }],
      messages: [
        { role: 'user', content: [{ type: 'text', text: 'Weather?' }, { type: 'image', source: { kind: 'base64', mediaType: 'image/png', data: 'iVBOR' } }] },
        { role: 'assistant', content: [
          { type: 'thinking', text: 'Need a tool.', signature: 'sig' },
          { type: 'text', text: 'Checking.' },
          { type: 'tool_call', id: 'toolu_1', name: 'get_weather', arguments: '{"city":"Paris"}' },
          { type: 'tool_call', id: 'toolu_2', name: 'get_time', arguments: '' },
        ] },
        { role: 'user', content: [
          { type: 'tool_result', toolCallId: 'toolu_1', content: [{ type: 'text', text: 'sunny' }], isError: false },
          { type: 'tool_result', toolCallId: 'toolu_2', content: [{ type: 'text', text: 'no clock' }], isError: true },
          { type: 'text', text: 'Thanks' },
        ] },
      ],
      tools: [{ name: 'get_weather', description: 'Weather', inputSchema: { type: 'object', properties: { city: { type: 'string' } } } }],
      toolChoice: { type: 'tool', name: 'get_weather' },
      parallelToolCalls: false, maxTokens: 512, temperature: 0.2, topP: 0.9,
      reasoning: { budgetTokens: 8000, summary: true },
      responseFormat: { type: 'json_schema', name: 'answer', schema: { type: 'object' }, strict: true },
      user: 'u-1',
    }, DEPLOYMENT);
    expect(body).toEqual({
      model: 'gpt-5-codex',
      instructions: 'Be brief.\n\nUse tools.',
      input: [
        { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'Weather?' }, { type: 'input_image', image_url: 'data:image/png;base64,iVBOR', detail: 'auto' }] },
        { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'Checking.', annotations: [] }] },
        { type: 'function_call', call_id: 'toolu_1', name: 'get_weather', arguments: '{"city":"Paris"}' },
        { type: 'function_call', call_id: 'toolu_2', name: 'get_time', arguments: '{}' },
        { type: 'function_call_output', call_id: 'toolu_1', output: 'sunny' },
        { type: 'function_call_output', call_id: 'toolu_2', output: `${TOOL_ERROR_PREFIX}no clock` },
        { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'Thanks' }] },
      ],
      tools: [{ type: 'function', name: 'get_weather', description: 'Weather', parameters: { type: 'object', properties: { city: { type: 'string' } } }, strict: false }],
      tool_choice: { type: 'function', name: 'get_weather' },
      parallel_tool_calls: false, max_output_tokens: 512, temperature: 0.2, top_p: 0.9,
      reasoning: { effort: 'medium', summary: 'auto' },
      text: { format: { type: 'json_schema', name: 'answer', schema: { type: 'object' }, strict: true } },
      user: 'u-1', store: false, stream: true,
    });
  });

  it('keeps images in a tool result as input_image parts', () => {
    const body = buildResponsesBody({ ...BASE, messages: [{ role: 'user', content: [
      { type: 'tool_result', toolCallId: 'c1', content: [{ type: 'text', text: 'shot' }, { type: 'image', source: { kind: 'url', url: 'https://x/y.png' } }], isError: false },
    ] }] }, DEPLOYMENT);
    expect(body.input).toEqual([{ type: 'function_call_output', call_id: 'c1', output: [{ type: 'input_text', text: 'shot' }, { type: 'input_image', image_url: 'https://x/y.png', detail: 'auto' }] }]);
  });

  it('refuses stop sequences with a 400 naming stop', () => {
    expect(thrown(() => buildResponsesBody({ ...BASE, stop: ['END'] }, DEPLOYMENT))).toMatchObject({ status: 400, param: 'stop' });
  });
});

describe('decodeResponsesJson', () => {
  it('turns a Response object into the events a stream would give', () => {
    const events = decodeResponsesJson({
      id: 'resp_1', object: 'response', status: 'completed', model: 'gpt-5',
      output: [
        { type: 'reasoning', id: 'rs_1', summary: [{ type: 'summary_text', text: 'hmm' }], encrypted_content: 'enc' },
        { type: 'message', id: 'msg_1', role: 'assistant', content: [{ type: 'output_text', text: 'Hi', annotations: [] }] },
        { type: 'function_call', id: 'fc_1', call_id: 'call_1', name: 'f', arguments: '' },
      ],
      usage: { input_tokens: 10, input_tokens_details: { cached_tokens: 3 }, output_tokens: 7, output_tokens_details: { reasoning_tokens: 4 }, total_tokens: 17 },
    });
    expect(events).toEqual([
      { type: 'message_start', id: 'resp_1', model: 'gpt-5' },
      { type: 'thinking_delta', text: 'hmm' },
      { type: 'text_delta', text: 'Hi' },
      { type: 'tool_call_start', index: 0, id: 'call_1', name: 'f' },
      { type: 'tool_call_delta', index: 0, arguments: '{}' },
      { type: 'tool_call_end', index: 0 },
      { type: 'finish', reason: 'tool_calls' },
      { type: 'usage', usage: { inputTokens: 10, outputTokens: 7, cachedTokens: 3, cacheWriteTokens: 0, reasoningTokens: 4 } },
    ]);
  });

  it('reads incomplete answers as length or content_filter, and failed ones as errors', () => {
    expect(decodeResponsesJson({ id: 'r', status: 'incomplete', incomplete_details: { reason: 'max_output_tokens' }, output: [] })).toContainEqual({ type: 'finish', reason: 'length' });
    expect(decodeResponsesJson({ id: 'r', status: 'incomplete', incomplete_details: { reason: 'content_filter' }, output: [] })).toContainEqual({ type: 'finish', reason: 'content_filter' });
    expect(thrown(() => decodeResponsesJson({ id: 'r', status: 'failed', error: { code: 'rate_limit_exceeded', message: 'slow down' } }))).toMatchObject({ status: 429 });
    expect(thrown(() => decodeResponsesJson('nope'))).toMatchObject({ status: 502 });
  });
});

describe('parseResponsesUsage', () => {
  it('keeps cached tokens inside input and reasoning inside output, capped', () => {
    expect(parseResponsesUsage({ input_tokens: 5, input_tokens_details: { cached_tokens: 9 }, output_tokens: 2, output_tokens_details: null })).toEqual({
      inputTokens: 5, outputTokens: 2, cachedTokens: 5, cacheWriteTokens: 0, reasoningTokens: 0,
    });
    expect(parseResponsesUsage({ output_tokens: 2 })).toBeUndefined();
    expect(parseResponsesUsage(null)).toBeUndefined();
  });
});
