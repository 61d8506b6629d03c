import Anthropic from '@anthropic-ai/sdk';
import type { StreamEvent } from '../../../lambda/canonical/events';
import { anthropicMessagesEncoder, createAnthropicMessagesEncoder } from '../../../lambda/api/anthropic/messages-encoder';
import { RateLimitedError } from '../../../lambda/errors/gateway-error';
import { collectBytes, encodeContext, eventSource, replayServer, TRAILER, usage } from './encoder-harness';

const START: StreamEvent = { type: 'message_start', id: 'chatcmpl-1', model: 'gpt-4o' };

async function sdkStream(events: readonly StreamEvent[], options: Parameters<typeof eventSource>[1] = {}, pingIntervalMs = 10_000) {
  const encoder = createAnthropicMessagesEncoder({ pingIntervalMs });
  const { text, error } = await collectBytes(encoder.encodeStream(eventSource(events, options), encodeContext()));
  const server = await replayServer(text, 'text/event-stream');
  const client = new Anthropic({ baseURL: server.baseUrl, apiKey: 'gw-key', maxRetries: 0 });
  try {
    const stream = client.messages.stream({ model: 'my-claude', max_tokens: 100, messages: [{ role: 'user', content: 'hi' }] });
    const seen: string[] = [];
    stream.on('streamEvent', (event) => seen.push(event.type));
    const message = await stream.finalMessage().catch((caught: unknown) => caught);
    return { text, error, message, seen };
  } finally {
    await server.close();
  }
}

describe('anthropicMessagesEncoder.encodeStream, parsed by @anthropic-ai/sdk MessageStream', () => {
  it('text with late usage: content, stop reason and full usage (cache split out) reach finalMessage()', async () => {
    const { text, message } = await sdkStream([
      START, { type: 'text_delta', text: 'Hel' }, { type: 'text_delta', text: 'lo 👋🏽' }, { type: 'finish', reason: 'stop' },
      usage(1000, 7, 600, 100),
    ]);
    expect(message).toMatchObject({
      id: 'msg_0123456789abcdef', model: 'my-claude', role: 'assistant', stop_reason: 'end_turn', stop_sequence: null,
      content: [{ type: 'text', text: 'Hello 👋🏽' }],
      usage: { input_tokens: 300, output_tokens: 7, cache_read_input_tokens: 600, cache_creation_input_tokens: 100 },
    });
    for (const block of text.split('\n\n').filter((b) => b !== '' && !b.startsWith(':'))) expect(block.startsWith('event: ')).toBe(true);
    expect(text).toContain(`: ${TRAILER}\n\nevent: message_stop`);
  });

  it('parallel tool calls interleaved by index become consecutive tool_use blocks with parsed input', async () => {
    const { message, text } = await sdkStream([
      START,
      { type: 'text_delta', text: 'Checking.' },
      { type: 'tool_call_start', index: 0, id: 'call_a', name: 'get_weather' },
      { type: 'tool_call_delta', index: 0, arguments: '{"city":"Pa' },
      { type: 'tool_call_start', index: 1, id: 'call_b', name: 'get_time' },
      { type: 'tool_call_delta', index: 1, arguments: '{"zone":"CET"}' },
      { type: 'tool_call_delta', index: 0, arguments: 'ris \\"FR\\""}' },
      { type: 'tool_call_end', index: 0 },
      { type: 'tool_call_end', index: 1 },
      { type: 'finish', reason: 'tool_calls' },
      usage(10, 20),
    ]);
    expect(message).toMatchObject({
      stop_reason: 'tool_use',
      content: [
        { type: 'text', text: 'Checking.' },
        { type: 'tool_use', id: 'call_a', name: 'get_weather', input: { city: 'Paris "FR"' } },
        { type: 'tool_use', id: 'call_b', name: 'get_time', input: { zone: 'CET' } },
      ],
    });
    // The first call streamed live: its first delta precedes the second call's start.
    expect(text.indexOf('{\\"city\\":\\"Pa')).toBeLessThan(text.indexOf('"name":"get_time"'));
  });

  it('thinking with signature, redacted thinking, then text after a tool call opens a new block', async () => {
    const { message } = await sdkStream([
      START,
      { type: 'thinking_delta', text: 'Hmm.' }, { type: 'thinking_signature', signature: 'sig+/==' },
      { type: 'redacted_thinking', data: 'opaque==' },
      { type: 'tool_call_start', index: 0, id: 'toolu_1', name: 'noop' }, { type: 'tool_call_end', index: 0 },
      { type: 'text_delta', text: 'after' },
      { type: 'finish', reason: 'length' }, usage(5, 6),
    ]);
    expect(message).toMatchObject({
      stop_reason: 'max_tokens',
      content: [
        { type: 'thinking', thinking: 'Hmm.', signature: 'sig+/==' },
        { type: 'redacted_thinking', data: 'opaque==' },
        { type: 'tool_use', id: 'toolu_1', name: 'noop', input: {} },
        { type: 'text', text: 'after' },
      ],
    });
  });

  it('writes event: ping while the source is silent, and the SDK ignores it', async () => {
    const { text, message } = await sdkStream([START, { type: 'text_delta', text: 'late' }, { type: 'finish', reason: 'stop' }], { gapsMs: { 1: 120 } }, 40);
    expect(text).toContain('event: ping\ndata: {"type":"ping"}');
    expect(message).toMatchObject({ content: [{ type: 'text', text: 'late' }] });
  });

  it('a failure mid-stream writes event: error (surfaced by the SDK as an APIError) and is rethrown', async () => {
    const failure = new RateLimitedError('Provider is rate limiting.');
    const { error, message, text } = await sdkStream([START, { type: 'text_delta', text: 'partial' }], { failure });
    expect(error).toBe(failure);
    expect(text).toContain('event: error\ndata: {"type":"error","error":{"type":"rate_limit_error"');
    expect(message).toBeInstanceOf(Anthropic.APIError);
  });

  it('stop_sequence carries the sequence', async () => {
    const { message } = await sdkStream([START, { type: 'text_delta', text: 'x' }, { type: 'finish', reason: 'stop_sequence', stopSequence: '###' }]);
    expect(message).toMatchObject({ stop_reason: 'stop_sequence', stop_sequence: '###' });
  });
});

describe('anthropicMessagesEncoder.encodeJson, parsed by client.messages.create', () => {
  it('gives the Message object with tool input parsed and "{}" for empty arguments', async () => {
    const body = await anthropicMessagesEncoder.encodeJson(eventSource([
      START, { type: 'text_delta', text: 'Hi' },
      { type: 'tool_call_start', index: 0, id: 'call_1', name: 'a' }, { type: 'tool_call_delta', index: 0, arguments: '{"q":1}' }, { type: 'tool_call_end', index: 0 },
      { type: 'tool_call_start', index: 1, id: 'call_2', name: 'b' }, { type: 'tool_call_end', index: 1 },
      { type: 'finish', reason: 'tool_calls' }, usage(50, 5, 40),
    ]), encodeContext({ usageExtras: () => ({ cost_usd: 0.01 }) }));
    const server = await replayServer(body, 'application/json');
    try {
      const client = new Anthropic({ baseURL: server.baseUrl, apiKey: 'gw-key', maxRetries: 0 });
      const message = await client.messages.create({ model: 'my-claude', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] });
      expect(message).toMatchObject({
        id: 'msg_0123456789abcdef', type: 'message', role: 'assistant', model: 'my-claude', stop_reason: 'tool_use', stop_sequence: null,
        content: [{ type: 'text', text: 'Hi' }, { type: 'tool_use', id: 'call_1', name: 'a', input: { q: 1 } }, { type: 'tool_use', id: 'call_2', name: 'b', input: {} }],
        usage: { input_tokens: 10, output_tokens: 5, cache_read_input_tokens: 40, cache_creation_input_tokens: 0, cost_usd: 0.01 },
      });
    } finally {
      await server.close();
    }
  });
});
