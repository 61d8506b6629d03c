import { parseCountTokensRequest, parseMessagesRequest } from '../../../lambda/api/anthropic/messages-request';
import { InvalidRequestError } from '../../../lambda/errors/gateway-error';

const base = { model: 'claude-x', max_tokens: 100, messages: [{ role: 'user', content: 'hi' }] };

function paramOf(body: Record<string, unknown>): string | undefined {
  try {
    parseMessagesRequest(body);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidRequestError);
    return (error as InvalidRequestError).param;
  }
  return undefined;
}

describe('parseMessagesRequest: validation (400 naming the field)', () => {
  it.each<[string, Record<string, unknown>, string]>([
    ['model missing', { max_tokens: 1, messages: base.messages }, 'model'],
    ['model not a string', { ...base, model: 3 }, 'model'],
    ['max_tokens missing', { model: 'm', messages: base.messages }, 'max_tokens'],
    ['max_tokens zero', { ...base, max_tokens: 0 }, 'max_tokens'],
    ['max_tokens fractional', { ...base, max_tokens: 1.5 }, 'max_tokens'],
    ['messages empty', { ...base, messages: [] }, 'messages'],
    ['messages missing', { model: 'm', max_tokens: 1 }, 'messages'],
    ['bad role', { ...base, messages: [{ role: 'tool', content: 'x' }] }, 'messages[0].role'],
    ['content not string/array', { ...base, messages: [{ role: 'user', content: 5 }] }, 'messages[0].content'],
    ['text block without text', { ...base, messages: [{ role: 'user', content: [{ type: 'text' }] }] }, 'messages[0].content[0].text'],
    ['image without source', { ...base, messages: [{ role: 'user', content: [{ type: 'image' }] }] }, 'messages[0].content[0].source'],
    ['tool_result without id', { ...base, messages: [{ role: 'user', content: [{ type: 'tool_result', content: 'x' }] }] }, 'messages[0].content[0].tool_use_id'],
    ['tool_use input not object', { ...base, messages: [{ role: 'assistant', content: [{ type: 'tool_use', id: 'a', name: 'b', input: 3 }] }] }, 'messages[0].content[0].input'],
    ['system block not text', { ...base, system: [{ type: 'image' }] }, 'system[0].type'],
    ['tool without schema', { ...base, tools: [{ name: 'x' }] }, 'tools[0].input_schema'],
    ['tool_choice bad type', { ...base, tool_choice: { type: 'required' } }, 'tool_choice.type'],
    ['tool_choice tool without name', { ...base, tool_choice: { type: 'tool' } }, 'tool_choice.name'],
    ['thinking budget missing', { ...base, thinking: { type: 'enabled' } }, 'thinking.budget_tokens'],
    ['temperature above 1', { ...base, temperature: 1.5 }, 'temperature'],
    ['top_p not a number', { ...base, top_p: 'x' }, 'top_p'],
    ['stop_sequences item', { ...base, stop_sequences: ['a', 1] }, 'stop_sequences[1]'],
    ['stream not boolean', { ...base, stream: 'yes' }, 'stream'],
    ['metadata.user_id', { ...base, metadata: { user_id: 5 } }, 'metadata.user_id'],
    ['effort unknown', { ...base, output_config: { effort: 'huge' } }, 'output_config.effort'],
  ])('%s → param %s', (_label, body, param) => {
    expect(paramOf(body)).toBe(param);
  });
});

describe('parseMessagesRequest: mapping', () => {
  it('maps blocks, tools, choice, thinking, sampling, stop and user', () => {
    const request = parseMessagesRequest({
      ...base,
      system: 'be brief',
      messages: [
        { role: 'user', content: [{ type: 'text', text: 'look' }, { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'AAA=' } }, { type: 'image', source: { type: 'url', url: 'https://x/y.png' } }] },
        { role: 'assistant', content: [{ type: 'thinking', thinking: 't', signature: 's' }, { type: 'redacted_thinking', data: 'r' }, { type: 'tool_use', id: 'toolu_1', name: 'f', input: { a: 1 } }] },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: [{ type: 'text', text: 'ok' }], is_error: true }] },
      ],
      tools: [{ name: 'f', description: 'd', input_schema: { type: 'object' } }],
      tool_choice: { type: 'any', disable_parallel_tool_use: true },
      thinking: { type: 'enabled', budget_tokens: 2048 },
      temperature: 0.5, top_p: 0.9, stop_sequences: ['###'], stream: true, metadata: { user_id: 'u1' },
    });
    expect(request).toMatchObject({
      model: 'claude-x', maxTokens: 100, system: [{ type: 'text', text: 'be brief' }],
      tools: [{ name: 'f', description: 'd', inputSchema: { type: 'object' } }],
      toolChoice: { type: 'required' }, parallelToolCalls: false,
      reasoning: { budgetTokens: 2048, summary: true }, temperature: 0.5, topP: 0.9, stop: ['###'], stream: true,
      streamIncludeUsage: false, user: 'u1', sameFormatOnly: [],
    });
    expect(request.messages[0]?.content).toEqual([
      { type: 'text', text: 'look' },
      { type: 'image', source: { kind: 'base64', mediaType: 'image/png', data: 'AAA=' } },
      { type: 'image', source: { kind: 'url', url: 'https://x/y.png' } },
    ]);
    expect(request.messages[1]?.content).toEqual([
      { type: 'thinking', text: 't', signature: 's' }, { type: 'redacted_thinking', data: 'r' },
      { type: 'tool_call', id: 'toolu_1', name: 'f', arguments: '{"a":1}' },
    ]);
    expect(request.messages[2]?.content).toEqual([{ type: 'tool_result', toolCallId: 'toolu_1', content: [{ type: 'text', text: 'ok' }], isError: true }]);
  });

  it('lists Anthropic-only features in sameFormatOnly: server tools, documents, top_k, unknown fields', () => {
    const request = parseMessagesRequest({
      ...base,
      messages: [{ role: 'user', content: [{ type: 'document', source: { type: 'text', data: 'x' } }, { type: 'text', text: 'y' }] }],
      tools: [{ name: 'f', input_schema: {} }, { type: 'web_search_20250305', name: 'web_search' }],
      top_k: 5,
      mcp_servers: [],
    });
    expect(request.sameFormatOnly).toEqual(['messages[0].content[0]', 'tools[1]', 'top_k', 'mcp_servers']);
    expect(request.tools).toHaveLength(1);
  });

  it('maps output_config.effort and adaptive thinking', () => {
    expect(parseMessagesRequest({ ...base, thinking: { type: 'adaptive' }, output_config: { effort: 'max' } }).reasoning).toEqual({ effort: 'high', summary: true });
    expect(parseMessagesRequest({ ...base, thinking: { type: 'adaptive' } }).reasoning).toEqual({ effort: 'medium', summary: true });
    expect(parseMessagesRequest({ ...base, thinking: { type: 'disabled' } }).reasoning).toBeUndefined();
  });

  it('parses a Claude-Code-shaped body with sameFormatOnly empty', () => {
    const tools = Array.from({ length: 12 }, (_unused, i) => ({
      name: i === 11 ? `mcp__server_with_a_long_name__tool_with_an_even_longer_name_${'x'.repeat(10)}` : `Tool${i}`,
      description: `Tool number ${i}`,
      input_schema: { type: 'object', properties: { path: { type: 'string', pattern: String.raw`^\p{L}+$` } }, required: ['path'], additionalProperties: false, $schema: 'http://json-schema.org/draft-07/schema#' },
      ...(i === 11 ? { cache_control: { type: 'ephemeral' } } : {}),
    }));
    const request = parseMessagesRequest({
      model: 'claude-sonnet-4-5',
      max_tokens: 128000,
      stream: true,
      system: [
        { type: 'text', text: "You are Claude Code, Anthropic's official CLI for Claude.", cache_control: { type: 'ephemeral' } },
        { type: 'text', text: 'Long instructions…', cache_control: { type: 'ephemeral', ttl: '1h' } },
      ],
      messages: [
        { role: 'user', content: [{ type: 'text', text: '<system-reminder>ctx</system-reminder>' }, { type: 'text', text: 'fix the bug', cache_control: { type: 'ephemeral' } }] },
      ],
      tools,
      thinking: { type: 'adaptive' },
      context_management: { edits: [{ type: 'clear_thinking_20251015', keep: 'all' }] },
      output_config: { effort: 'high' },
      metadata: { user_id: 'user_abc_account_def_session_123' },
    });
    expect(request.sameFormatOnly).toEqual([]);
    expect(request).toMatchObject({ maxTokens: 128000, user: 'user_abc_account_def_session_123', reasoning: { effort: 'high' }, stream: true });
    expect(request.tools).toHaveLength(12);
    expect(request.system).toHaveLength(2);
  });

  it('count_tokens bodies need no max_tokens', () => {
    const request = parseCountTokensRequest({ model: 'm', messages: base.messages });
    expect(request.maxTokens).toBeUndefined();
    expect(request.messages).toHaveLength(1);
  });
});

describe('system messages inside messages (Claude Code 2.1.3xx sends its environment that way)', () => {
  it('are accepted and join the system prompt, after the top-level one, for other APIs', () => {
    const request = parseMessagesRequest({
      model: 'claude-x', max_tokens: 100, system: [{ type: 'text', text: 'You are Claude Code.', cache_control: { type: 'ephemeral' } }],
      messages: [
        { role: 'user', content: 'hi' },
        { role: 'system', content: [{ type: 'text', text: '<env>cwd: /repo</env>', cache_control: { type: 'ephemeral' } }] },
        { role: 'assistant', content: 'hello' },
        { role: 'system', content: 'A note on the tool result.' },
      ],
    });
    expect(request.system.map((part) => part.text)).toEqual(['You are Claude Code.', '<env>cwd: /repo</env>', 'A note on the tool result.']);
    expect(request.messages.map((message) => message.role)).toEqual(['user', 'assistant']);
    expect(request.sameFormatOnly).toEqual([]);
  });
});
