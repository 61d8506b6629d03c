import fc from 'fast-check';
import { FAKE_STREAM_PIECES, FAKE_TOOL_ARGUMENTS } from '../../../support/fake-openai';
import { FAKE_REASONING_SUMMARY, FAKE_SECOND_TOOL_ARGUMENTS } from '../../../support/fake-openai/responses';
import { FIXTURES, decodeAll, fixtureBytes, splitAt, summarise, type FixtureName } from './harness';

const USAGE = { inputTokens: 12, outputTokens: 5, cachedTokens: 4, cacheWriteTokens: 0, reasoningTokens: 2 };
const TEXT = FAKE_STREAM_PIECES.join('');

const EXPECTED: Readonly<Record<FixtureName, Record<string, unknown>>> = {
  text: { finish: 'stop', usage: USAGE, text: TEXT, thinking: '', calls: [] },
  'text-crlf-keepalive': { finish: 'stop', usage: USAGE, text: TEXT, thinking: '', calls: [] },
  'function-call': { finish: 'tool_calls', usage: USAGE, text: '', thinking: '', calls: [expect.objectContaining({ name: 'get_weather', arguments: FAKE_TOOL_ARGUMENTS, ended: true })] },
  'parallel-calls': {
    finish: 'tool_calls', usage: USAGE, text: '', thinking: '',
    calls: [
      expect.objectContaining({ name: 'get_weather', arguments: FAKE_TOOL_ARGUMENTS, ended: true }),
      expect.objectContaining({ name: 'get_time', arguments: FAKE_SECOND_TOOL_ARGUMENTS, ended: true }),
    ],
  },
  'args-in-done': { finish: 'tool_calls', usage: USAGE, text: '', thinking: '', calls: [expect.objectContaining({ arguments: FAKE_TOOL_ARGUMENTS, ended: true })] },
  reasoning: { finish: 'stop', usage: USAGE, text: TEXT, thinking: FAKE_REASONING_SUMMARY.join('\n\n'), calls: [] },
  incomplete: { finish: 'length', usage: USAGE, text: FAKE_STREAM_PIECES.slice(0, 2).join(''), thinking: '', calls: [] },
  failed: { text: '', thinking: '', calls: [] },
};

describe.each(FIXTURES)('decodeResponsesStream: fixture %s', (name) => {
  const input = fixtureBytes(name);

  it('decodes to what a caller expects', async () => {
    const run = await decodeAll([input]);
    expect(run.events[0]).toEqual(expect.objectContaining({ type: 'message_start' }));
    expect(summarise(run.events)).toEqual(EXPECTED[name]);
    expect(run.error).toBe(name === 'failed' ? 'rate_limited' : undefined);
    // Tool call ids are the call_id, never the item id (fc_…).
    for (const event of run.events) if (event.type === 'tool_call_start') expect(event.id).toMatch(/^call_/);
  });

  it('gives identical events when split at every byte boundary, and under random multi-splits', async () => {
    const baseline = JSON.stringify(await decodeAll([input]));
    for (let offset = 1; offset < input.length; offset++) {
      const run = JSON.stringify(await decodeAll(splitAt(input, [offset])));
      if (run !== baseline) expect({ offset, run }).toEqual({ offset, run: baseline });
    }
    await fc.assert(fc.asyncProperty(fc.array(fc.integer({ min: 1, max: input.length - 1 }), { minLength: 1, maxLength: 40 }), async (offsets) => {
      expect(JSON.stringify(await decodeAll(splitAt(input, offsets)))).toBe(baseline);
    }), { numRuns: 50 });
  });
});

describe('decodeResponsesStream: failures', () => {
  const encode = (text: string): Uint8Array => new TextEncoder().encode(text);

  it('a stream cut before its terminal event is an UpstreamError', async () => {
    const input = fixtureBytes('text');
    const cut = Buffer.from(input).indexOf('event: response.completed');
    const run = await decodeAll([input.subarray(0, cut)]);
    expect(run.error).toBe('upstream_error');
    expect(summarise(run.events).text).toBe(TEXT);
  });

  it('an `error` event becomes a GatewayError; context_length_exceeded is the caller’s 400', async () => {
    const run = await decodeAll([encode('event: response.created\ndata: {"type":"response.created","response":{"id":"resp_1","model":"m"}}\n\nevent: error\ndata: {"type":"error","code":"context_length_exceeded","message":"Your input exceeds the context window.","param":"input"}\n\n')]);
    expect(run.error).toBe('context_length_exceeded');
  });

  it('response.failed with a server error is a 502', async () => {
    const run = await decodeAll([encode('data: {"type":"response.failed","response":{"id":"r","status":"failed","error":{"code":"server_error","message":"boom"}}}\n\n')]);
    expect(run.error).toBe('upstream_error');
  });

  it('an event over maxEventBytes ends the stream with upstream_response_too_large', async () => {
    const input = fixtureBytes('text');
    // The first event (response.created) is longer than 200 bytes; fed in small pieces it never completes within the limit.
    const run = await decodeAll(splitAt(input, Array.from({ length: 20 }, (_, i) => (i + 1) * 50)), 200);
    expect(run.error).toBe('upstream_response_too_large');
  });
});
