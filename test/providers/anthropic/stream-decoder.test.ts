import fc from 'fast-check';
import { GatewayError } from '../../../lambda/errors/gateway-error';
import { decodeMessagesStream } from '../../../lambda/providers/anthropic/stream-decoder';
import { ANTHROPIC_FIXTURES, anthropicFixture, chunksOf, decodeAll, splitAt } from './harness';

const encoder = new TextEncoder();

describe.each(ANTHROPIC_FIXTURES)('decodeMessagesStream: fixture %s', (name) => {
  const input = anthropicFixture(name);

  it('decodes to the same events when split at every byte boundary', async () => {
    const baseline = JSON.stringify(await decodeAll([input]));
    for (let offset = 1; offset < input.length; offset++) {
      const run = JSON.stringify(await decodeAll(splitAt(input, [offset])));
      if (run !== baseline) expect({ offset, run }).toEqual({ offset, run: baseline });
    }
  });

  it('decodes to the same events under random multi-splits', async () => {
    const baseline = await decodeAll([input]);
    await fc.assert(fc.asyncProperty(fc.array(fc.integer({ min: 1, max: input.length - 1 }), { maxLength: 40 }), async (offsets) => {
      expect(await decodeAll(splitAt(input, offsets))).toEqual(baseline);
    }), { numRuns: 100 });
  });
});

describe('decodeMessagesStream: what the events say', () => {
  it('text: message_start, usage, text, finish stop, final usage', async () => {
    const events = await decodeAll([anthropicFixture('text')]);
    expect(events[0]).toEqual({ type: 'message_start', id: 'msg_01XFDUDYJgAACzvnptvVoYEL', model: 'claude-sonnet-4-5-20250929' });
    expect(events.filter((e) => e.type === 'text_delta').map((e) => e.text).join('')).toBe('Hello! Ünïcödé 👋🏽 and "quotes"\n');
    expect(events.find((e) => e.type === 'finish')).toEqual({ type: 'finish', reason: 'stop' });
    expect(events.filter((e) => e.type === 'usage').at(-1)).toEqual({
      type: 'usage', usage: { inputTokens: 25, outputTokens: 15, cachedTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0 },
    });
  });

  it('tool_use: calls indexed 0, 1 with arguments joined exactly; finish tool_calls', async () => {
    const events = await decodeAll([anthropicFixture('tool-use')]);
    expect(events.filter((e) => e.type === 'tool_call_start')).toEqual([
      { type: 'tool_call_start', index: 0, id: 'toolu_01T1x1fJ34qAmk2tNTrN7Up6', name: 'get_weather' },
      { type: 'tool_call_start', index: 1, id: 'toolu_02B', name: 'get_time' },
    ]);
    const args = (index: number): string => events.filter((e) => e.type === 'tool_call_delta' && e.index === index).map((e) => (e.type === 'tool_call_delta' ? e.arguments : '')).join('');
    expect(JSON.parse(args(0))).toEqual({ location: 'San Francisco, "CA"', unit: 'fahrenheit' });
    expect(args(1)).toBe('{}');
    expect(events.filter((e) => e.type === 'tool_call_end').map((e) => e.type === 'tool_call_end' && e.index)).toEqual([0, 1]);
    expect(events.find((e) => e.type === 'finish')).toEqual({ type: 'finish', reason: 'tool_calls' });
  });

  it('thinking: text, byte-exact signature before the block ends, redacted data', async () => {
    const events = await decodeAll([anthropicFixture('thinking')]);
    expect(events.filter((e) => e.type === 'thinking_signature')).toEqual([{ type: 'thinking_signature', signature: 'EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pkiMOYds+/Wm5ddz9ZmGZ0D/===' }]);
    expect(events.filter((e) => e.type === 'redacted_thinking')).toEqual([{ type: 'redacted_thinking', data: 'EmwKAhgBEgy3va3pzix/LafPsn4aDFIT2Xlxh0L5L8rLVyIwxtE3rAFBa8cr3qpP' }]);
    expect(events.filter((e) => e.type === 'thinking_delta').map((e) => e.text).join('')).toContain('GCD(1071, 462) = 21');
  });

  it('cache usage: input includes cache read and write; stop sequence kept', async () => {
    const events = await decodeAll([anthropicFixture('cache-usage')]);
    expect(events.find((e) => e.type === 'finish')).toEqual({ type: 'finish', reason: 'stop_sequence', stopSequence: '###' });
    expect(events.filter((e) => e.type === 'usage').at(-1)).toEqual({
      type: 'usage', usage: { inputTokens: 12 + 1532 + 20480, outputTokens: 42, cachedTokens: 20480, cacheWriteTokens: 1532, reasoningTokens: 0 },
    });
  });

  it('a stream without message_stop fails: "The provider stream ended early."', async () => {
    const text = new TextDecoder().decode(anthropicFixture('text')).replace(/event: message_stop[\s\S]*$/, '');
    await expect(decodeAll([encoder.encode(text)])).rejects.toThrow('The provider stream ended early.');
  });

  it('event: error is thrown as the mapped GatewayError (overloaded → 529), secrets scrubbed', async () => {
    const sse = 'event: message_start\ndata: {"type":"message_start","message":{"id":"m","model":"c","usage":{"input_tokens":1,"output_tokens":1}}}\n\n'
      + 'event: error\ndata: {"type":"error","error":{"type":"overloaded_error","message":"Overloaded sk-ant-secretvalue123"}}\n\n';
    const consume = async (): Promise<void> => {
      for await (const _event of decodeMessagesStream(chunksOf([encoder.encode(sse)]), { maxEventBytes: 1 << 20, secrets: ['sk-ant-secretvalue123'] })) { /* drain */ }
    };
    const error: unknown = await consume().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(GatewayError);
    expect(error).toMatchObject({ status: 529, type: 'overloaded_error' });
    expect(String((error as Error).message)).not.toContain('sk-ant-secretvalue123');
  });

  it('an event over maxEventBytes ends the stream with upstream_response_too_large', async () => {
    const big = `event: content_block_delta\ndata: ${'x'.repeat(5000)}\n\n`;
    const consume = async (): Promise<void> => {
      const bytes = encoder.encode(big);
      const pieces = splitAt(bytes, Array.from({ length: 50 }, (_unused, i) => (i + 1) * 100));
      for await (const _event of decodeMessagesStream(chunksOf(pieces), { maxEventBytes: 1000 })) { /* drain */ }
    };
    await expect(consume()).rejects.toMatchObject({ code: 'upstream_response_too_large' });
  });
});
