import OpenAI from 'openai';
import type { StreamEvent } from '../../../lambda/canonical/events';
import { responsesEncoder } from '../../../lambda/api/responses/responses-encoder';
import { parseResponsesRequest } from '../../../lambda/api/responses/responses-request';
import { context, eventsOf, replayServer } from './encoder-harness';

/**
 * Codex's apply_patch is a Responses custom tool (free-text input). Toward providers without custom
 * tools it is a function taking `{"input": "…"}`; the model's call must come back to Codex as a
 * `custom_tool_call` with the raw input, or its edits silently fail.
 */
const APPLY_PATCH = {
  name: 'apply_patch', kind: 'custom' as const, description: 'Apply a patch',
  inputSchema: { type: 'object', properties: { input: { type: 'string' } }, required: ['input'] },
};
const PATCH = '*** Begin Patch\n*** Update File: README.md\n+"quoted" \\ line\n*** End Patch';
const ARGUMENTS = JSON.stringify({ input: PATCH });

/** A call of the custom tool, its JSON arguments split mid-escape, then a finish. */
const EVENTS: readonly StreamEvent[] = [
  { type: 'message_start', id: 'm', model: 'claude-x' },
  { type: 'tool_call_start', index: 0, id: 'toolu_1', name: 'apply_patch' },
  { type: 'tool_call_delta', index: 0, arguments: ARGUMENTS.slice(0, 25) },
  { type: 'tool_call_delta', index: 0, arguments: ARGUMENTS.slice(25, 60) },
  { type: 'tool_call_delta', index: 0, arguments: ARGUMENTS.slice(60) },
  { type: 'tool_call_end', index: 0 },
  { type: 'finish', reason: 'tool_calls' },
];

async function encoded(): Promise<{ sse: string; json: string }> {
  const chunks: Uint8Array[] = [];
  const withTools = context({ tools: [APPLY_PATCH] });
  for await (const chunk of responsesEncoder.encodeStream(eventsOf(EVENTS), withTools)) chunks.push(chunk);
  return { sse: Buffer.concat(chunks).toString('utf8'), json: await responsesEncoder.encodeJson(eventsOf(EVENTS), withTools) };
}

describe('a custom tool call translated back for a Responses caller', () => {
  it('reaches the openai SDK as a custom_tool_call with the raw input, streamed and not', async () => {
    const server = await replayServer();
    try {
      const { sse, json } = await encoded();
      server.serve(sse, json);
      const client = new OpenAI({ baseURL: server.url, apiKey: 'k', maxRetries: 0 });
      const streamed = await client.responses.stream({ model: 'm', input: 'patch it' }).finalResponse();
      const whole = await client.responses.create({ model: 'm', input: 'patch it' });
      for (const response of [streamed, whole]) {
        expect(response.output).toEqual([expect.objectContaining({ type: 'custom_tool_call', call_id: 'toolu_1', name: 'apply_patch', input: PATCH })]);
      }
      expect(sse).toContain('event: response.custom_tool_call_input.done');
      expect(sse).not.toContain('function_call_arguments');
    } finally {
      await server.close();
    }
  });

  it('a function tool of the same request stays a function_call', async () => {
    const chunks: Uint8Array[] = [];
    const functionOnly = context({ tools: [{ ...APPLY_PATCH, kind: 'function' }] });
    for await (const chunk of responsesEncoder.encodeStream(eventsOf(EVENTS), functionOnly)) chunks.push(chunk);
    expect(Buffer.concat(chunks).toString('utf8')).toContain('event: response.function_call_arguments.done');
  });
});

describe('namespaced tools (Codex sends one MCP server\'s tools as a namespace)', () => {
  const body = {
    model: 'm',
    tools: [{ type: 'namespace', name: 'multi_agent_v1', description: 'Agents', tools: [{ type: 'function', name: 'spawn', parameters: { type: 'object' } }] }],
    input: [
      { type: 'function_call', call_id: 'c1', name: 'spawn', namespace: 'multi_agent_v1', arguments: '{}' },
      { type: 'function_call_output', call_id: 'c1', output: 'ok' },
    ],
  };

  it('are flattened to <namespace>__<tool> for providers without namespaces, replayed calls included', () => {
    const request = parseResponsesRequest(body);
    expect(request.tools).toEqual([{ name: 'multi_agent_v1__spawn', namespace: 'multi_agent_v1', inputSchema: { type: 'object' } }]);
    expect(request.messages[0]?.content).toEqual([{ type: 'tool_call', id: 'c1', name: 'multi_agent_v1__spawn', arguments: '{}' }]);
    expect(request.sameFormatOnly).toEqual([]);
  });

  it('come back to the caller with their own name and namespace', async () => {
    const events: StreamEvent[] = [
      { type: 'message_start', id: 'm', model: 'x' },
      { type: 'tool_call_start', index: 0, id: 'call_9', name: 'multi_agent_v1__spawn' },
      { type: 'tool_call_delta', index: 0, arguments: '{}' },
      { type: 'tool_call_end', index: 0 },
      { type: 'finish', reason: 'tool_calls' },
    ];
    const json = JSON.parse(await responsesEncoder.encodeJson(eventsOf(events), context({ tools: parseResponsesRequest(body).tools }))) as { output: unknown[] };
    expect(json.output).toEqual([expect.objectContaining({ type: 'function_call', name: 'spawn', namespace: 'multi_agent_v1', call_id: 'call_9' })]);
  });
});
