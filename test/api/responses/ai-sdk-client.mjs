// Runs the Vercel AI SDK (ESM-only) against a Responses endpoint and prints what it understood as JSON.
// Usage: node ai-sdk-client.mjs <baseURL> [apiKey] [model]. The default `openai(model)` speaks the Responses API.
import { createOpenAI } from '@ai-sdk/openai';
import { generateText, streamText } from 'ai';

const openai = createOpenAI({ baseURL: process.argv[2], apiKey: process.argv[3] ?? 'gw-test' });
const model = process.argv[4] ?? 'my-model';
const generated = await generateText({ model: openai(model), prompt: 'hi', maxRetries: 0 });
const streamed = streamText({ model: openai(model), prompt: 'hi', maxRetries: 0, onError: () => {} });
let streamedText = '';
for await (const delta of streamed.textStream) streamedText += delta;
const summary = (result) => ({
  text: result.text,
  reasoning: result.reasoningText,
  finishReason: result.finishReason,
  toolCalls: result.toolCalls.map((call) => ({ id: call.toolCallId, name: call.toolName, input: call.input })),
  usage: { inputTokens: result.usage.inputTokens, outputTokens: result.usage.outputTokens, cached: result.usage.inputTokenDetails?.cacheReadTokens ?? result.usage.cachedInputTokens },
});
process.stdout.write(JSON.stringify({
  generated: summary(generated),
  streamed: summary({ text: streamedText, reasoningText: await streamed.reasoningText, finishReason: await streamed.finishReason, toolCalls: await streamed.toolCalls, usage: await streamed.usage }),
}));
