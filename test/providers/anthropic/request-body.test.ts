import { InvalidRequestError } from '../../../lambda/errors/gateway-error';
import { buildMessagesBody, DEFAULT_MAX_TOKENS } from '../../../lambda/providers/anthropic/request-body';
import { sanitizeToolId } from '../../../lambda/providers/anthropic/tool-ids';
import { anthropicDeployment, canonical } from './deployment';

const deployment = anthropicDeployment();

describe('buildMessagesBody', () => {
  it('uses the deployment model, the default max_tokens, system as text blocks, stream flag', () => {
    const body = buildMessagesBody(canonical({ system: [{ type: 'text', text: 'sys' }], stream: true }), deployment);
    expect(body).toEqual({
      model: 'claude-sonnet-4-5', max_tokens: DEFAULT_MAX_TOKENS, system: [{ type: 'text', text: 'sys' }],
      messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }], stream: true,
    });
  });

  it('puts all tool results of one assistant turn in ONE user message, first, with sanitised ids', () => {
    const body = buildMessagesBody(canonical({
      messages: [
        { role: 'user', content: [{ type: 'text', text: 'weather?' }] },
        { role: 'assistant', content: [
          { type: 'tool_call', id: 'functions.get_weather:0', name: 'get_weather', arguments: '{"city":"Paris"}' },
          { type: 'tool_call', id: 'call_2', name: 'get_time', arguments: '' },
        ] },
        { role: 'user', content: [{ type: 'tool_result', toolCallId: 'functions.get_weather:0', content: [{ type: 'text', text: 'sunny' }], isError: false }] },
        { role: 'user', content: [{ type: 'text', text: 'and then?' }, { type: 'tool_result', toolCallId: 'call_2', content: [{ type: 'text', text: 'noon' }], isError: true }] },
      ],
    }), deployment);
    const messages = body.messages as { role: string; content: Record<string, unknown>[] }[];
    expect(messages.map((m) => m.role)).toEqual(['user', 'assistant', 'user']);
    const sanitised = sanitizeToolId('functions.get_weather:0');
    expect(sanitised).toMatch(/^[a-zA-Z0-9_-]+$/);
    expect(messages[1]?.content).toEqual([
      { type: 'tool_use', id: sanitised, name: 'get_weather', input: { city: 'Paris' } },
      { type: 'tool_use', id: 'call_2', name: 'get_time', input: {} },
    ]);
    expect(messages[2]?.content).toEqual([
      { type: 'tool_result', tool_use_id: sanitised, content: [{ type: 'text', text: 'sunny' }] },
      { type: 'tool_result', tool_use_id: 'call_2', content: [{ type: 'text', text: 'noon' }], is_error: true },
      { type: 'text', text: 'and then?' },
    ]);
  });

  it('sanitises deterministically and keeps distinct ids distinct', () => {
    expect(sanitizeToolId('a.b')).toBe(sanitizeToolId('a.b'));
    expect(sanitizeToolId('a.b')).not.toBe(sanitizeToolId('a:b'));
    expect(sanitizeToolId('toolu_01-ok')).toBe('toolu_01-ok');
  });

  it('maps images: base64, data URL → base64, https URL → url', () => {
    const body = buildMessagesBody(canonical({
      messages: [{ role: 'user', content: [
        { type: 'image', source: { kind: 'base64', mediaType: 'image/png', data: 'AAA=' } },
        { type: 'image', source: { kind: 'url', url: 'data:image/jpeg;base64,/9j/' } },
        { type: 'image', source: { kind: 'url', url: 'https://example.com/cat.webp' } },
      ] }],
    }), deployment);
    expect((body.messages as { content: unknown[] }[])[0]?.content).toEqual([
      { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'AAA=' } },
      { type: 'image', source: { type: 'base64', media_type: 'image/jpeg', data: '/9j/' } },
      { type: 'image', source: { type: 'url', url: 'https://example.com/cat.webp' } },
    ]);
  });

  it('maps tool definitions and tool_choice (required → any, tool, none) with disable_parallel_tool_use', () => {
    const tools = [{ name: 'f', description: 'd', inputSchema: { type: 'object' } }];
    expect(buildMessagesBody(canonical({ tools, toolChoice: { type: 'required' }, parallelToolCalls: false }), deployment)).toMatchObject({
      tools: [{ name: 'f', description: 'd', input_schema: { type: 'object' } }],
      tool_choice: { type: 'any', disable_parallel_tool_use: true },
    });
    expect(buildMessagesBody(canonical({ tools, toolChoice: { type: 'tool', name: 'f' } }), deployment).tool_choice).toEqual({ type: 'tool', name: 'f' });
    expect(buildMessagesBody(canonical({ tools, toolChoice: { type: 'none' } }), deployment).tool_choice).toEqual({ type: 'none' });
    expect(buildMessagesBody(canonical({ tools, parallelToolCalls: false }), deployment).tool_choice).toEqual({ type: 'auto', disable_parallel_tool_use: true });
  });

  it('turns an effort into a thinking budget, raises max_tokens above it and drops temperature', () => {
    const body = buildMessagesBody(canonical({ reasoning: { effort: 'high' }, maxTokens: 1000, temperature: 0.3 }), deployment);
    expect(body).toMatchObject({ thinking: { type: 'enabled', budget_tokens: 24576 }, max_tokens: 24576 + 4096 });
    expect(body).not.toHaveProperty('temperature');
    expect(buildMessagesBody(canonical({ reasoning: { effort: 'minimal' }, maxTokens: 32000 }), deployment)).toMatchObject({ thinking: { budget_tokens: 1024 }, max_tokens: 32000 });
    expect(buildMessagesBody(canonical({ temperature: 0.3 }), deployment)).toMatchObject({ temperature: 0.3 });
  });

  it('drops unsigned thinking, keeps signed and redacted thinking byte-exact; omits thinking when a tool loop lost it', () => {
    const body = buildMessagesBody(canonical({
      reasoning: { effort: 'low' },
      messages: [
        { role: 'user', content: [{ type: 'text', text: 'q' }] },
        { role: 'assistant', content: [{ type: 'thinking', text: 'foreign' }, { type: 'text', text: 'a' }] },
        { role: 'user', content: [{ type: 'text', text: 'q2' }] },
        { role: 'assistant', content: [{ type: 'thinking', text: 'mine', signature: 'sig+/=' }, { type: 'redacted_thinking', data: 'R==' }, { type: 'tool_call', id: 't1', name: 'f', arguments: '{}' }] },
        { role: 'user', content: [{ type: 'tool_result', toolCallId: 't1', content: [], isError: false }] },
      ],
    }), deployment);
    const messages = body.messages as { content: unknown[] }[];
    expect(messages[1]?.content).toEqual([{ type: 'text', text: 'a' }]);
    expect(messages[3]?.content.slice(0, 2)).toEqual([{ type: 'thinking', thinking: 'mine', signature: 'sig+/=' }, { type: 'redacted_thinking', data: 'R==' }]);
    expect(body.thinking).toEqual({ type: 'enabled', budget_tokens: 2048 });

    const lost = buildMessagesBody(canonical({
      reasoning: { effort: 'low' },
      messages: [
        { role: 'user', content: [{ type: 'text', text: 'q' }] },
        { role: 'assistant', content: [{ type: 'thinking', text: 'from openai' }, { type: 'tool_call', id: 't1', name: 'f', arguments: '{}' }] },
        { role: 'user', content: [{ type: 'tool_result', toolCallId: 't1', content: [], isError: false }] },
      ],
    }), deployment);
    expect(lost).not.toHaveProperty('thinking');
  });

  it('maps stop and user; refuses response_format json with a 400 naming it', () => {
    expect(buildMessagesBody(canonical({ stop: ['###'], user: 'u1' }), deployment)).toMatchObject({ stop_sequences: ['###'], metadata: { user_id: 'u1' } });
    const refuse = (): unknown => buildMessagesBody(canonical({ responseFormat: { type: 'json_object' } }), deployment);
    expect(refuse).toThrow(InvalidRequestError);
    expect(() => refuse()).toThrow(expect.objectContaining({ param: 'response_format', code: 'unsupported_parameter' }) as Error);
  });
});
