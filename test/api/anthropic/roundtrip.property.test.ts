import fc from 'fast-check';
import type { StreamEvent } from '../../../lambda/canonical/events';
import { createAnthropicMessagesEncoder } from '../../../lambda/api/anthropic/messages-encoder';
import { decodeMessagesStream } from '../../../lambda/providers/anthropic/stream-decoder';
import { chunksOf, splitAt } from '../../providers/anthropic/harness';
import { collectBytes, encodeContext, eventSource } from './encoder-harness';

const piece = fc.string({ unit: fc.constantFrom('a', ' ', 'é', '世', '👋🏽', '"', '\\', '\n', '{', '}'), maxLength: 8 });
const toolCall = fc.record({
  id: fc.stringMatching(/^[A-Za-z0-9_-]{1,12}$/),
  name: fc.stringMatching(/^[a-z_]{1,10}$/),
  pieces: fc.array(piece, { maxLength: 4 }),
});
const segment = fc.oneof(
  fc.record({ kind: fc.constant('text' as const), pieces: fc.array(piece, { minLength: 1, maxLength: 4 }) }),
  fc.record({ kind: fc.constant('thinking' as const), pieces: fc.array(piece, { minLength: 1, maxLength: 3 }), signature: fc.base64String({ minLength: 4, maxLength: 40 }) }),
  fc.record({ kind: fc.constant('tools' as const), calls: fc.array(toolCall, { minLength: 1, maxLength: 3 }), seed: fc.nat() }),
);
type Segment = typeof segment extends fc.Arbitrary<infer T> ? T : never;
const usageArb = fc.record({ fresh: fc.nat(5000), cached: fc.nat(5000), write: fc.nat(5000), output: fc.nat(5000) });

interface Generated {
  readonly events: StreamEvent[];
  readonly text: string;
  readonly thinking: string;
  readonly signatures: string[];
  readonly calls: { id: string; name: string; arguments: string }[];
}

/** A valid canonical sequence; the calls of one `tools` segment interleave their deltas (parallel calls). */
function build(segments: readonly Segment[]): Generated {
  const events: StreamEvent[] = [{ type: 'message_start', id: 'x', model: 'm' }];
  const generated: Generated = { events, text: '', thinking: '', signatures: [], calls: [] };
  let next = 0;
  let text = '';
  let thinking = '';
  for (const seg of segments) {
    if (seg.kind === 'text') {
      for (const p of seg.pieces) events.push({ type: 'text_delta', text: p });
      text += seg.pieces.join('');
    } else if (seg.kind === 'thinking') {
      for (const p of seg.pieces) events.push({ type: 'thinking_delta', text: p });
      events.push({ type: 'thinking_signature', signature: seg.signature });
      thinking += seg.pieces.join('');
      generated.signatures.push(seg.signature);
    } else {
      const indexes = seg.calls.map(() => next++);
      seg.calls.forEach((call, i) => {
        events.push({ type: 'tool_call_start', index: indexes[i] ?? 0, id: call.id, name: call.name });
        generated.calls.push({ id: call.id, name: call.name, arguments: call.pieces.join('') });
      });
      // Round-robin the deltas, rotated by the seed, so calls interleave.
      const queues = seg.calls.map((call) => [...call.pieces]);
      let turn = seg.seed;
      while (queues.some((queue) => queue.length > 0)) {
        const i = turn++ % queues.length;
        const p = queues[i]?.shift();
        if (p !== undefined && p !== '') events.push({ type: 'tool_call_delta', index: indexes[i] ?? 0, arguments: p });
      }
      for (const index of indexes) events.push({ type: 'tool_call_end', index });
    }
  }
  return { ...generated, text, thinking };
}

describe('decode(encode(events)) keeps what the caller sees (property)', () => {
  it('text, thinking, signatures, tool calls and usage survive, at any split of the encoded bytes', async () => {
    await fc.assert(fc.asyncProperty(fc.array(segment, { maxLength: 6 }), usageArb, fc.array(fc.nat(4000), { maxLength: 10 }), async (segments, u, offsets) => {
      const generated = build(segments);
      const usage = { inputTokens: u.fresh + u.cached + u.write, outputTokens: u.output, cachedTokens: u.cached, cacheWriteTokens: u.write, reasoningTokens: 0 };
      const events: StreamEvent[] = [...generated.events, { type: 'finish', reason: generated.calls.length > 0 ? 'tool_calls' : 'stop' }, { type: 'usage', usage }];
      const encoded = await collectBytes(createAnthropicMessagesEncoder().encodeStream(eventSource(events), encodeContext({ trailer: () => undefined })));
      expect(encoded.error).toBeUndefined();
      const bytes = new TextEncoder().encode(encoded.text);
      const decoded: StreamEvent[] = [];
      for await (const event of decodeMessagesStream(chunksOf(splitAt(bytes, offsets)), { maxEventBytes: 1 << 20 })) decoded.push(event);

      expect(decoded.filter((e) => e.type === 'text_delta').map((e) => e.text).join('')).toBe(generated.text);
      expect(decoded.filter((e) => e.type === 'thinking_delta').map((e) => e.text).join('')).toBe(generated.thinking);
      expect(decoded.filter((e) => e.type === 'thinking_signature').map((e) => e.signature)).toEqual(generated.signatures);
      const calls = decoded.filter((e) => e.type === 'tool_call_start').map((start) => ({
        id: start.id,
        name: start.name,
        arguments: decoded.filter((e) => e.type === 'tool_call_delta' && e.index === start.index).map((e) => (e.type === 'tool_call_delta' ? e.arguments : '')).join(''),
      }));
      expect(calls).toEqual(generated.calls);
      expect(decoded.filter((e) => e.type === 'usage').at(-1)).toEqual({ type: 'usage', usage });
      expect(decoded.find((e) => e.type === 'finish')).toEqual({ type: 'finish', reason: generated.calls.length > 0 ? 'tool_calls' : 'stop' });
    }), { numRuns: 300 });
  });
});
