import { buildChatBody, TOOL_ERROR_PREFIX, TOOL_IMAGE_PLACEHOLDER } from '../../../lambda/providers/openai/chat-body';
import { canonical, deployment } from './chat-events';

describe('buildChatBody', () => {
  it('puts tool results right after the calling turn, before that turn\'s user text, with errors prefixed and images moved to a user message', () => {
    const body = buildChatBody(canonical({
      system: [{ type: 'text', text: 'Rule one.' }, { type: 'text', text: 'Rule two.' }],
      messages: [
        { role: 'user', content: [{ type: 'text', text: 'Screenshot and weather?' }] },
        { role: 'assistant', content: [
          { type: 'thinking', text: 'plan', signature: 'sig' },
          { type: 'text', text: 'On it.' },
          { type: 'tool_call', id: 'toolu_1', name: 'screenshot', arguments: '' },
          { type: 'tool_call', id: 'toolu_2', name: 'weather', arguments: '{"city":"Oslo"}' },
        ] },
        { role: 'user', content: [
          { type: 'tool_result', toolCallId: 'toolu_1', isError: false, content: [
            { type: 'text', text: 'captured' }, { type: 'image', source: { kind: 'base64', mediaType: 'image/png', data: 'AAAA' } },
          ] },
          { type: 'tool_result', toolCallId: 'toolu_2', isError: true, content: [{ type: 'text', text: 'service down' }] },
          { type: 'text', text: 'Go on.' },
        ] },
      ],
    }), deployment());
    expect(body.messages).toEqual([
      { role: 'system', content: 'Rule one.\n\nRule two.' },
      { role: 'user', content: 'Screenshot and weather?' },
      { role: 'assistant', content: 'On it.', tool_calls: [
        { id: 'toolu_1', type: 'function', function: { name: 'screenshot', arguments: '{}' } },
        { id: 'toolu_2', type: 'function', function: { name: 'weather', arguments: '{"city":"Oslo"}' } },
      ] },
      { role: 'tool', tool_call_id: 'toolu_1', content: `captured\n${TOOL_IMAGE_PLACEHOLDER}` },
      { role: 'tool', tool_call_id: 'toolu_2', content: `${TOOL_ERROR_PREFIX}service down` },
      { role: 'user', content: [
        { type: 'text', text: 'Image returned by tool call toolu_1:' },
        { type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA' } },
        { type: 'text', text: 'Go on.' },
      ] },
    ]);
  });

  it('sends a tool-calls-only assistant turn with null content, and a results-only turn as tool messages alone', () => {
    const body = buildChatBody(canonical({
      messages: [
        { role: 'assistant', content: [{ type: 'tool_call', id: 'c', name: 'f', arguments: '{}' }] },
        { role: 'user', content: [{ type: 'tool_result', toolCallId: 'c', isError: false, content: [] }] },
        { role: 'user', content: [{ type: 'image', source: { kind: 'url', url: 'https://x/y.png' } }] },
      ],
    }), deployment());
    expect(body.messages).toEqual([
      { role: 'assistant', content: null, tool_calls: [{ id: 'c', type: 'function', function: { name: 'f', arguments: '{}' } }] },
      { role: 'tool', tool_call_id: 'c', content: '' },
      { role: 'user', content: [{ type: 'image_url', image_url: { url: 'https://x/y.png' } }] },
    ]);
  });

  it('uses max_completion_tokens and reasoning_effort for OpenAI, max_tokens and no effort for compatible servers', () => {
    const request = canonical({ maxTokens: 512, reasoning: { effort: 'high', budgetTokens: 8000 } });
    const openAi = buildChatBody(request, deployment());
    expect(openAi).toMatchObject({ model: 'upstream-model', max_completion_tokens: 512, reasoning_effort: 'high' });
    expect(openAi).not.toHaveProperty('max_tokens');
    const compatible = buildChatBody(request, deployment({ type: 'openai-compatible' }));
    expect(compatible).toMatchObject({ max_tokens: 512 });
    expect(compatible).not.toHaveProperty('max_completion_tokens');
    expect(compatible).not.toHaveProperty('reasoning_effort');
  });

  it('asks for stream usage unless the provider cannot give it', () => {
    expect(buildChatBody(canonical({ stream: true }), deployment())).toMatchObject({ stream: true, stream_options: { include_usage: true } });
    const without = buildChatBody(canonical({ stream: true }), deployment({ type: 'openai-compatible', supportsStreamUsage: false }));
    expect(without.stream).toBe(true);
    expect(without).not.toHaveProperty('stream_options');
    expect(buildChatBody(canonical(), deployment())).not.toHaveProperty('stream');
  });

  it('maps tools, tool_choice, parallel calls, sampling, stop, response format and user; tool fields only with tools', () => {
    const body = buildChatBody(canonical({
      tools: [{ name: 'f', description: 'F', inputSchema: { type: 'object', properties: { a: { type: 'string' } } } }],
      toolChoice: { type: 'tool', name: 'f' }, parallelToolCalls: false, temperature: 0.3, topP: 0.8, stop: ['a', 'b'],
      responseFormat: { type: 'json_schema', name: 'o', schema: { type: 'object' } }, user: 'user-7',
    }), deployment());
    expect(body).toMatchObject({
      tools: [{ type: 'function', function: { name: 'f', description: 'F', parameters: { type: 'object', properties: { a: { type: 'string' } } } } }],
      tool_choice: { type: 'function', function: { name: 'f' } }, parallel_tool_calls: false, temperature: 0.3, top_p: 0.8,
      stop: ['a', 'b'], response_format: { type: 'json_schema', json_schema: { name: 'o', schema: { type: 'object' } } }, user: 'user-7',
    });
    expect(buildChatBody(canonical({ toolChoice: { type: 'required' }, tools: [{ name: 'f', inputSchema: {} }] }), deployment())).toMatchObject({ tool_choice: 'required' });
    const noTools = buildChatBody(canonical({ toolChoice: { type: 'none' }, parallelToolCalls: true }), deployment());
    expect(noTools).not.toHaveProperty('tool_choice');
    expect(noTools).not.toHaveProperty('parallel_tool_calls');
  });

  it('rejects more than 4 stop sequences toward OpenAI with a 400 naming the field; compatible servers get them all', () => {
    const request = canonical({ stop: ['1', '2', '3', '4', '5'] });
    let thrown: unknown;
    try {
      buildChatBody(request, deployment());
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toMatchObject({ status: 400, param: 'stop_sequences' });
    expect(buildChatBody(request, deployment({ type: 'openai-compatible' })).stop).toHaveLength(5);
  });
});
