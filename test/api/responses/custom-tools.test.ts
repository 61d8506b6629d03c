import OpenAI from 'openai';
import type { StreamEvent } from '../../../lambda/canonical/events';
import { responsesEncoder } from '../../../lambda/api/responses/responses-encoder';
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
