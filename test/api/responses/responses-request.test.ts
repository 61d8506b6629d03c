import { parseResponsesRequest } from '../../../lambda/api/responses/responses-request';

/** The error `run` throws (undefined if none), for matching its fields. */
function thrown(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  return undefined;
}

/** What Codex CLI sends on its second turn (codex-rs common.rs / models.rs shapes), trimmed. */
const CODEX_BODY = {
  model: 'gpt-5-codex',
  instructions: 'You are Codex, a coding agent.',
  input: [
    { type: 'message', role: 'developer', content: [{ type: 'input_text', text: '<permissions>workspace-write</permissions>' }] },
    { type: 'message', role: 'user', content: [{ type: 'input_text', text: '<environment_context>cwd=/repo</environment_context>' }] },
    { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'List the files.' }] },
    { type: 'reasoning', id: 'rs_01', summary: [{ type: 'summary_text', text: 'I should run ls.' }], content: null, encrypted_content: 'gAAAAB-opaque' },
    { type: 'function_call', id: 'fc_01', name: 'shell', arguments: '{"command":["ls"]}', call_id: 'call_abc' },
    { type: 'function_call_output', call_id: 'call_abc', output: 'README.md\nsrc' },
    { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'Two entries.' }] },
    { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'Now patch README.' }] },
  ],
  tools: [
    { type: 'function', name: 'shell', description: 'Runs a command', strict: false, parameters: { type: 'object', properties: { command: { type: 'array', items: { type: 'string' } } }, required: ['command'] } },
    { type: 'custom', name: 'apply_patch', description: 'Apply a patch', format: { type: 'grammar', syntax: 'lark', definition: 'start: patch' } },
  ],
  tool_choice: 'auto',
  parallel_tool_calls: false,
  reasoning: { effort: 'medium', summary: 'auto' },
  store: false,
  stream: true,
  include: ['reasoning.encrypted_content'],
  prompt_cache_key: '0199-session',
  text: { verbosity: 'low' },
};

describe('parseResponsesRequest', () => {
  it('parses a Codex body: history, tools, reasoning; the custom tool becomes a one-string function', () => {
    const request = parseResponsesRequest(CODEX_BODY);
    expect(request).toEqual({
      model: 'gpt-5-codex',
      system: [{ type: 'text', text: 'You are Codex, a coding agent.' }, { type: 'text', text: '<permissions>workspace-write</permissions>' }],
      messages: [
        { role: 'user', content: [{ type: 'text', text: '<environment_context>cwd=/repo</environment_context>' }, { type: 'text', text: 'List the files.' }] },
        { role: 'assistant', content: [
          { type: 'thinking', text: 'I should run ls.' },
          { type: 'tool_call', id: 'call_abc', name: 'shell', arguments: '{"command":["ls"]}' },
        ] },
        { role: 'user', content: [{ type: 'tool_result', toolCallId: 'call_abc', content: [{ type: 'text', text: 'README.md\nsrc' }], isError: false }] },
        { role: 'assistant', content: [{ type: 'text', text: 'Two entries.' }] },
        { role: 'user', content: [{ type: 'text', text: 'Now patch README.' }] },
      ],
      tools: [
        { name: 'shell', description: 'Runs a command', inputSchema: CODEX_BODY.tools[0]?.parameters },
        // The custom tool becomes a one-string function; its grammar travels in the description.
        {
          name: 'apply_patch', kind: 'custom', description: 'Apply a patch\n\nThe input must follow this lark grammar:\nstart: patch',
          inputSchema: { type: 'object', properties: { input: { type: 'string', description: 'The raw input of the tool, as free text.' } }, required: ['input'] },
        },
      ],
      toolChoice: { type: 'auto' },
      parallelToolCalls: false,
      stop: [],
      stream: true,
      streamIncludeUsage: false,
      reasoning: { effort: 'medium', summary: true },
      sameFormatOnly: [],
    });
    // The encrypted reasoning never reaches the canonical request (it is OpenAI's alone).
    expect(JSON.stringify(request)).not.toContain('gAAAAB');
  });

  it('takes a plain string input, images, function outputs with parts, and bare role items', () => {
    const request = parseResponsesRequest({
      model: 'm', stream: false, max_output_tokens: 100, temperature: 0.5, top_p: 1, safety_identifier: 'user-9',
      text: { format: { type: 'json_schema', name: 'out', schema: { type: 'object' }, strict: true } },
      tool_choice: { type: 'function', name: 'f' },
      input: [
        { role: 'user', content: [{ type: 'input_image', image_url: 'data:image/jpeg;base64,/9j/4A' }, { type: 'input_image', image_url: 'https://e.x/a.png', detail: 'low' }, { type: 'input_image', file_id: 'file_1' }] },
        { type: 'function_call_output', call_id: 'c', output: [{ type: 'input_text', text: 'ok' }] },
      ],
    });
    expect(request.messages[0]?.content).toEqual([
      { type: 'image', source: { kind: 'base64', mediaType: 'image/jpeg', data: '/9j/4A' } },
      { type: 'image', source: { kind: 'url', url: 'https://e.x/a.png' } },
      { type: 'tool_result', toolCallId: 'c', content: [{ type: 'text', text: 'ok' }], isError: false },
    ]);
    expect(request).toEqual(expect.objectContaining({
      maxTokens: 100, temperature: 0.5, topP: 1, user: 'user-9', stream: false, toolChoice: { type: 'tool', name: 'f' },
      responseFormat: { type: 'json_schema', name: 'out', schema: { type: 'object' }, strict: true },
      sameFormatOnly: ['input[0].content[2].file_id'],
    }));
    expect(parseResponsesRequest({ model: 'm', input: 'hi' }).messages).toEqual([{ role: 'user', content: [{ type: 'text', text: 'hi' }] }]);
  });

  it('lists OpenAI-only items and unknown fields, never the droppable hints', () => {
    const request = parseResponsesRequest({
      model: 'm', store: true, metadata: { a: 'b' }, service_tier: 'flex', truncation: 'auto', background: true,
      input: [{ type: 'item_reference', id: 'msg_1' }, { type: 'custom_tool_call', call_id: 'c', name: 'apply_patch', input: '*** Begin Patch' }, { type: 'web_search_call', id: 'ws' }],
      tools: [{ type: 'web_search' }],
      tool_choice: { type: 'allowed_tools', mode: 'auto', tools: [] },
    });
    expect(request.sameFormatOnly).toEqual(['background', 'input[0].type', 'input[2].type', 'tools[0]', 'tool_choice']);
    // A replayed custom tool call is a one-string function call toward other providers.
    expect(request.messages[0]?.content).toEqual([{ type: 'tool_call', id: 'c', name: 'apply_patch', arguments: '{"input":"*** Begin Patch"}' }]);
  });

  it('refuses previous_response_id: the gateway keeps no conversation state', () => {
    expect(thrown(() => parseResponsesRequest({ model: 'm', input: 'hi', previous_response_id: 'resp_1' }))).toMatchObject({
      status: 400, code: 'unsupported_parameter', param: 'previous_response_id',
      message: expect.stringMatching(/keeps no conversation state.*whole conversation.*store: false/s) as unknown,
    });
  });

  it.each([
    [{ input: 'x' }, 'model'],
    [{ model: 'm' }, 'input'],
    [{ model: 'm', input: 5 }, 'input'],
    [{ model: 'm', input: [{ role: 'robot', content: 'x' }] }, 'input[0].role'],
    [{ model: 'm', input: [{ role: 'user', content: 5 }] }, 'input[0].content'],
    [{ model: 'm', input: [{ role: 'user', content: [{ type: 'input_text' }] }] }, 'input[0].content[0].text'],
    [{ model: 'm', input: [{ role: 'user', content: [{ type: 'input_image' }] }] }, 'input[0].content[0].image_url'],
    [{ model: 'm', input: ['x'] }, 'input[0]'],
    [{ model: 'm', input: [{ type: 'function_call', name: 'f', arguments: '{}' }] }, 'input[0].call_id'],
    [{ model: 'm', input: [{ type: 'function_call_output', call_id: 'c' }] }, 'input[0].output'],
    [{ model: 'm', input: [{ type: 'reasoning', summary: 'x' }] }, 'input[0].summary'],
    [{ model: 'm', input: 'x', tools: {} }, 'tools'],
    [{ model: 'm', input: 'x', tools: [{ type: 'function' }] }, 'tools[0].name'],
    [{ model: 'm', input: 'x', tools: [{ type: 'function', name: 'f', parameters: 'x' }] }, 'tools[0].parameters'],
    [{ model: 'm', input: 'x', tool_choice: 'sometimes' }, 'tool_choice'],
    [{ model: 'm', input: 'x', max_output_tokens: 1.5 }, 'max_output_tokens'],
    [{ model: 'm', input: 'x', temperature: 3 }, 'temperature'],
    [{ model: 'm', input: 'x', top_p: '1' }, 'top_p'],
    [{ model: 'm', input: 'x', stream: 'yes' }, 'stream'],
    [{ model: 'm', input: 'x', parallel_tool_calls: 1 }, 'parallel_tool_calls'],
    [{ model: 'm', input: 'x', reasoning: { effort: 'max' } }, 'reasoning.effort'],
    [{ model: 'm', input: 'x', reasoning: { summary: 'long' } }, 'reasoning.summary'],
    [{ model: 'm', input: 'x', text: { format: { type: 'yaml' } } }, 'text.format.type'],
    [{ model: 'm', input: 'x', text: { format: { type: 'json_schema', name: 'n' } } }, 'text.format.schema'],
    [{ model: 'm', input: 'x', user: 7 }, 'user'],
  ])('rejects %j with a 400 naming %s', (body, param) => {
    expect(thrown(() => parseResponsesRequest(body))).toMatchObject({ status: 400, param });
  });
});
