import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { responsesEncoder } from '../../../lambda/api/responses/responses-encoder';
import { RICH_EVENTS, context, encodeStream, eventsOf, replayServer } from './encoder-harness';

const run = promisify(execFile);

/**
 * The Vercel AI SDK is ESM-only and jest here runs CommonJS, so a child node process drives it
 * (ai-sdk-client.mjs) against a loopback server replaying the encoder's output.
 */
describe('the Vercel AI SDK default openai(model) reads what the encoder writes', () => {
  it('generateText (JSON) and streamText (SSE) see text, reasoning, tool calls, finish and usage', async () => {
    const server = await replayServer();
    try {
      server.serve((await encodeStream(RICH_EVENTS)).text, await responsesEncoder.encodeJson(eventsOf(RICH_EVENTS), context()));
      const { stdout } = await run(process.execPath, [path.join(__dirname, 'ai-sdk-client.mjs'), server.url], { cwd: path.join(__dirname, '..', '..', '..'), timeout: 20_000 });
      const result = JSON.parse(stdout) as { generated: Record<string, unknown>; streamed: Record<string, unknown> };
      const expected = {
        text: 'Hello wörld 👋',
        reasoning: 'Let me think.',
        finishReason: 'tool-calls',
        toolCalls: [
          { id: 'toolu_A', name: 'get_weather', input: { city: 'Paris' } },
          { id: 'toolu_B', name: 'get_time', input: { tz: 'Europe/Paris' } },
        ],
        usage: { inputTokens: 20, outputTokens: 9, cached: 8 },
      };
      // A stream reports each call when its item is done; the second call here finishes first.
      const byId = (summary: Record<string, unknown>): Record<string, unknown> => ({
        ...summary, toolCalls: [...(summary.toolCalls as { id: string }[])].sort((a, b) => a.id.localeCompare(b.id)),
      });
      expect(byId(result.generated)).toEqual(expected);
      expect(byId(result.streamed)).toEqual(expected);
    } finally {
      await server.close();
    }
  });
});
