import fc from 'fast-check';
import type { StreamEvent } from '../../../lambda/canonical/events';
import { decodeResponsesStream } from '../../../lambda/providers/openai/responses';
import { summarise, sourceOf, splitAt } from '../../providers/openai/responses/harness';
import { encodeStream } from './encoder-harness';

const piece = fc.string({ unit: fc.constantFrom('a', ' ', 'é', '世', '👋🏽', '"', '\\', '\n', '{', '}', ':', 'x'), minLength: 1, maxLength: 8 });
const callId = fc.stringMatching(/^[A-Za-z0-9_-]{1,12}$/);

/** A turn: segments of text, thinking, or a group of parallel tool calls whose deltas interleave. */
const segment = fc.oneof(
  fc.record({ kind: fc.constant('text' as const), pieces: fc.array(piece, { minLength: 1, maxLength: 4 }) }),
  fc.record({ kind: fc.constant('thinking' as const), pieces: fc.array(piece, { minLength: 1, maxLength: 4 }) }),
  fc.record({
    kind: fc.constant('calls' as const),
    calls: fc.array(fc.record({ id: callId, name: fc.constantFrom('get_weather', 'shell', 'f'), pieces: fc.array(piece, { maxLength: 4 }) }), { minLength: 1, maxLength: 3 }),
  }),
);
const usage = fc.record({ input: fc.nat(10_000), cached: fc.nat(10_000), output: fc.nat(10_000), reasoning: fc.nat(10_000) }).map((u) => ({
  inputTokens: u.input, cachedTokens: Math.min(u.cached, u.input), outputTokens: u.output, reasoningTokens: Math.min(u.reasoning, u.output), cacheWriteTokens: 0,
}));

type Segment = typeof segment extends fc.Arbitrary<infer T> ? T : never;

function eventsFor(segments: readonly Segment[], finalUsage: StreamEvent & { type: 'usage' } | undefined): StreamEvent[] {
  const events: StreamEvent[] = [{ type: 'message_start', id: 'm', model: 'x' }];
  let nextIndex = 0;
  for (const seg of segments) {
    if (seg.kind === 'text') for (const text of seg.pieces) events.push({ type: 'text_delta', text });
    else if (seg.kind === 'thinking') for (const text of seg.pieces) events.push({ type: 'thinking_delta', text });
    else {
      const indexed = seg.calls.map((call) => ({ ...call, index: nextIndex++ }));
      for (const call of indexed) events.push({ type: 'tool_call_start', index: call.index, id: call.id, name: call.name });
      const rounds = Math.max(0, ...indexed.map((call) => call.pieces.length));
      for (let round = 0; round < rounds; round++) {
        for (const call of indexed) {
          const fragment = call.pieces[round];
          if (fragment !== undefined) events.push({ type: 'tool_call_delta', index: call.index, arguments: fragment });
        }
      }
      for (const call of [...indexed].reverse()) events.push({ type: 'tool_call_end', index: call.index });
    }
  }
  events.push({ type: 'finish', reason: nextIndex > 0 ? 'tool_calls' : 'stop' });
  if (finalUsage !== undefined) events.push(finalUsage);
  return events;
}

describe('decodeResponsesStream(responsesEncoder.encodeStream(events)) (property)', () => {
  it('keeps text, tool calls (ids, names, arguments), finish and usage, at any chunking', async () => {
    await fc.assert(fc.asyncProperty(
      fc.array(segment, { maxLength: 6 }), fc.option(usage, { nil: undefined }), fc.array(fc.nat(20_000), { maxLength: 20 }),
      async (segments, tokens, offsets) => {
        const events = eventsFor(segments, tokens === undefined ? undefined : { type: 'usage', usage: tokens });
        const { text } = await encodeStream(events);
        const decoded: StreamEvent[] = [];
        for await (const event of decodeResponsesStream(sourceOf(splitAt(Buffer.from(text), offsets)), { maxEventBytes: 1 << 20 })) decoded.push(event);
        const before = summarise(events) as { calls: { arguments: string }[]; thinking: string };
        const after = summarise(decoded) as { thinking: string };
        // A call without arguments is sent as "{}" (Codex parses them); thinking segments come back as paragraphs.
        const expected = { ...before, calls: before.calls.map((call) => ({ ...call, arguments: call.arguments === '' ? '{}' : call.arguments })) };
        expect({ ...after, thinking: after.thinking.replaceAll('\n\n', '') }).toEqual({ ...expected, thinking: expected.thinking.replaceAll('\n\n', '') });
      },
    ), { numRuns: 300 });
  });
});
