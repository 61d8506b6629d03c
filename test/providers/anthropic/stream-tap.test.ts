import fc from 'fast-check';
import { tapMessagesStream } from '../../../lambda/providers/anthropic/stream-tap';
import type { TokenUsage } from '../../../lambda/canonical/usage';
import { ANTHROPIC_FIXTURES, anthropicFixture, chunksOf, splitAt, sseEvents } from './harness';

const TRAILER = ': gatellm {"cost_usd":0.0042}\n\n';
const fromUtf8 = new TextDecoder();

interface TapRun {
  readonly text: string;
  readonly usages: TokenUsage[];
  readonly outputChars: number;
}

async function runTap(chunks: readonly Uint8Array[], secrets: readonly string[] = []): Promise<TapRun> {
  const usages: TokenUsage[] = [];
  const tap = tapMessagesStream(chunksOf(chunks), { onUsage: (usage) => { usages.push(usage); return undefined; }, trailer: () => TRAILER, maxEventBytes: 1 << 20, secrets });
  let text = '';
  for await (const bytes of tap.stream) text += fromUtf8.decode(bytes, { stream: true });
  return { text, usages, outputChars: tap.outputChars() };
}

describe.each(ANTHROPIC_FIXTURES)('tapMessagesStream: fixture %s', (name) => {
  const input = anthropicFixture(name);
  const inputEvents = sseEvents(fromUtf8.decode(input));

  it('forwards every event unchanged, with the trailer just before message_stop', async () => {
    const run = await runTap([input]);
    expect(sseEvents(run.text)).toEqual(inputEvents);
    expect(run.text.endsWith(`${TRAILER}event: message_stop\ndata: ${inputEvents.at(-1)?.data ?? ''}\n\n`)).toBe(true);
    expect(run.usages.length).toBeGreaterThan(0);
    expect(run.outputChars).toBeGreaterThan(0);
  });

  it('gives identical output and usage when split at every byte boundary', async () => {
    const baseline = await runTap([input]);
    for (let offset = 1; offset < input.length; offset++) {
      const run = await runTap(splitAt(input, [offset]));
      if (run.text !== baseline.text || JSON.stringify(run.usages) !== JSON.stringify(baseline.usages) || run.outputChars !== baseline.outputChars) {
        expect({ offset, ...run }).toEqual({ offset, ...baseline });
      }
    }
  });

  it('gives identical output under random multi-splits', async () => {
    const baseline = await runTap([input]);
    await fc.assert(fc.asyncProperty(fc.array(fc.integer({ min: 1, max: input.length - 1 }), { maxLength: 40 }), async (offsets) => {
      expect(await runTap(splitAt(input, offsets))).toEqual(baseline);
    }), { numRuns: 100 });
  });
});

describe('tapMessagesStream: metering and safety', () => {
  it('reports input at message_start and the cumulative total at message_delta (cache counted)', async () => {
    const run = await runTap([anthropicFixture('cache-usage')]);
    expect(run.usages.at(0)).toMatchObject({ inputTokens: 12 + 1532 + 20480, outputTokens: 1, cachedTokens: 20480, cacheWriteTokens: 1532 });
    expect(run.usages.at(-1)).toMatchObject({ inputTokens: 12 + 1532 + 20480, outputTokens: 42 });
  });

  it('counts the generated characters of text deltas', async () => {
    const run = await runTap([anthropicFixture('text')]);
    // "Hello" (5) + the second delta as written, escapes counted as written.
    expect(run.outputChars).toBe(5 + '! Ünïcödé 👋🏽 and \\"quotes\\"\\n'.length);
  });

  it('scrubs the call\'s credentials from error events', async () => {
    const sse = 'event: error\ndata: {"type":"error","error":{"type":"api_error","message":"bad key sk-ant-api03-SECRET"}}\n\n';
    const run = await runTap([new TextEncoder().encode(sse)], ['sk-ant-api03-SECRET']);
    expect(run.text).toContain('event: error');
    expect(run.text).not.toContain('SECRET');
  });
});
