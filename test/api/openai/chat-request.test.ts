import { parseChatRequest } from '../../../lambda/api/openai/chat-request';

const base = { model: 'gpt-x', messages: [{ role: 'user', content: 'hi' }] };

describe('parseChatRequest', () => {
  it('maps a full conversation: system/developer, images, assistant tool calls and reasoning, grouped tool results', () => {
    const request = parseChatRequest({
      model: 'alias',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'developer', content: [{ type: 'text', text: 'Use tools.' }] },
        { role: 'user', content: [
          { type: 'text', text: 'What is this?' },
          { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=', detail: 'high' } },
          { type: 'image_url', image_url: { url: 'https://example.com/cat.jpg' } },
        ] },
        { role: 'assistant', content: null, reasoning_content: 'Look it up.', tool_calls: [
          { id: 'call_1', type: 'function', function: { name: 'lookup', arguments: '{"q":"cat"}' } },
          { id: 'call_2', type: 'function', function: { name: 'time', arguments: '' } },
        ] },
        { role: 'tool', tool_call_id: 'call_1', content: 'a cat' },
        { role: 'tool', tool_call_id: 'call_2', content: [{ type: 'text', text: 'noon' }] },
        { role: 'user', content: 'thanks' },
        { role: 'system', content: 'Late rule.' },
      ],
    });
    expect(request.system).toEqual([
      { type: 'text', text: 'Be brief.' }, { type: 'text', text: 'Use tools.' }, { type: 'text', text: 'Late rule.' },
    ]);
    expect(request.messages).toEqual([
      { role: 'user', content: [
        { type: 'text', text: 'What is this?' },
        { type: 'image', source: { kind: 'base64', mediaType: 'image/png', data: 'iVBORw0KGgo=' } },
        { type: 'image', source: { kind: 'url', url: 'https://example.com/cat.jpg' } },
      ] },
      { role: 'assistant', content: [
        { type: 'thinking', text: 'Look it up.' },
        { type: 'tool_call', id: 'call_1', name: 'lookup', arguments: '{"q":"cat"}' },
        { type: 'tool_call', id: 'call_2', name: 'time', arguments: '{}' },
      ] },
      { role: 'user', content: [
        { type: 'tool_result', toolCallId: 'call_1', content: [{ type: 'text', text: 'a cat' }], isError: false },
        { type: 'tool_result', toolCallId: 'call_2', content: [{ type: 'text', text: 'noon' }], isError: false },
      ] },
      { role: 'user', content: [{ type: 'text', text: 'thanks' }] },
    ]);
    expect(request.sameFormatOnly).toEqual([]);
  });

  it('maps limits, sampling, tools, tool_choice, stop, stream usage, reasoning, format and user', () => {
    const request = parseChatRequest({
      ...base,
      max_tokens: 100, max_completion_tokens: 200, temperature: 0.2, top_p: 0.9, stop: 'END', stream: true,
      stream_options: { include_usage: true, include_obfuscation: false }, reasoning_effort: 'low',
      tools: [{ type: 'function', function: { name: 'f', description: 'does f', parameters: { type: 'object' }, strict: true } }, { type: 'function', function: { name: 'g' } }],
      tool_choice: { type: 'function', function: { name: 'f' } }, parallel_tool_calls: false,
      response_format: { type: 'json_schema', json_schema: { name: 'out', schema: { type: 'object' }, strict: true } },
      user: 'u-1', safety_identifier: 'safe-1', store: true, metadata: { a: 'b' }, service_tier: 'flex', prompt_cache_key: 'k',
      n: 1, logprobs: false, presence_penalty: 0, frequency_penalty: 0, modalities: ['text'],
    });
    expect(request).toEqual({
      model: 'gpt-x', system: [], messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }],
      tools: [{ name: 'f', description: 'does f', inputSchema: { type: 'object' } }, { name: 'g', inputSchema: { type: 'object', properties: {} } }],
      toolChoice: { type: 'tool', name: 'f' }, parallelToolCalls: false, maxTokens: 200, temperature: 0.2, topP: 0.9,
      stop: ['END'], stream: true, streamIncludeUsage: true, reasoning: { effort: 'low' },
      responseFormat: { type: 'json_schema', name: 'out', schema: { type: 'object' }, strict: true },
      user: 'safe-1', sameFormatOnly: [],
    });
  });

  it('names answer-changing fields with no canonical home as same-format only', () => {
    const request = parseChatRequest({
      ...base, n: 2, logprobs: true, top_logprobs: 3, logit_bias: { 42: -100 }, seed: 7, presence_penalty: 0.5,
      frequency_penalty: -1, audio: { voice: 'alloy', format: 'mp3' }, modalities: ['text', 'audio'], prediction: { type: 'content', content: 'x' },
      web_search_options: {}, functions: [{ name: 'legacy' }], verbosity: 'low', temperature: null,
    });
    expect(request.sameFormatOnly).toEqual([
      'n', 'logprobs', 'top_logprobs', 'logit_bias', 'seed', 'presence_penalty', 'frequency_penalty', 'audio', 'modalities',
      'prediction', 'web_search_options', 'functions', 'verbosity',
    ]);
  });

  it('names Chat-only message parts and tools by path instead of rejecting them', () => {
    const request = parseChatRequest({
      model: 'm',
      messages: [
        { role: 'user', content: [{ type: 'text', text: 'listen' }, { type: 'input_audio', input_audio: { data: 'AAA', format: 'wav' } }, { type: 'file', file: { file_id: 'f' } }] },
        { role: 'assistant', content: null, function_call: { name: 'old', arguments: '{}' } },
        { role: 'function', name: 'old', content: 'r' },
      ],
      tools: [{ type: 'custom', custom: { name: 'apply_patch' } }],
      tool_choice: { type: 'allowed_tools', allowed_tools: {} },
    });
    expect(request.sameFormatOnly).toEqual([
      'messages[0].content[1]', 'messages[0].content[2]', 'messages[1].function_call', 'messages[2]', 'tool_choice', 'tools[0]',
    ]);
    expect(request.messages[0]?.content).toEqual([{ type: 'text', text: 'listen' }]);
  });

  it('keeps a refusal as assistant text, and leaves stream usage off when not streaming', () => {
    const request = parseChatRequest({
      model: 'm', stream_options: { include_usage: true },
      messages: [{ role: 'assistant', content: [{ type: 'refusal', refusal: 'I cannot.' }] }, { role: 'assistant', content: null, refusal: 'No.' }],
    });
    expect(request.messages.map((message) => message.content)).toEqual([[{ type: 'text', text: 'I cannot.' }], [{ type: 'text', text: 'No.' }]]);
    expect(request.streamIncludeUsage).toBe(false);
    expect(request.stream).toBe(false);
  });
});
