import fc from 'fast-check';
import { tapResponsesStream } from '../../../../lambda/providers/openai/responses';
import type { TokenUsage } from '../../../../lambda/canonical/usage';
import { FIXTURES, fixtureBytes, sourceOf, splitAt } from './harness';

const TRAILER = 'gatellm {"cost_usd":0.0042}';
const decoder = new TextDecoder();

interface TapRun { readonly text: string; readonly usages: TokenUsage[]; readonly outputChars: number; readonly error?: string }

async function runTap(chunks: readonly Uint8Array[], secrets: readonly string[] = []): Promise<TapRun> {
  const usages: TokenUsage[] = [];
  const tap = tapResponsesStream(sourceOf(chunks), {
    onUsage: (usage) => { usages.push(usage); return { cost_usd: 0.0042 }; },
    trailer: () => TRAILER,
    maxEventBytes: 1 << 20,
    secrets,
  });
  const received: Uint8Array[] = [];
  try {
    for await (const chunk of tap.stream) received.push(chunk);
  } catch (error) {
    return { text: decoder.decode(Buffer.concat(received)), usages, outputChars: tap.outputChars(), error: (error as { code?: string }).code };
  }
  return { text: decoder.decode(Buffer.concat(received)), usages, outputChars: tap.outputChars() };
}

/** `[event name, data]` of every event in an SSE text (comments skipped). */
function events(sse: string): [string | undefined, string][] {
  return sse.replace(/\r\n?/g, '\n').split('\n\n').filter((block) => block.trim() !== '' && !block.startsWith(':')).map((block) => {
    const lines = block.split('\n');
    const name = lines.find((line) => line.startsWith('event: '))?.slice(7);
    return [name, lines.filter((line) => line.startsWith('data: ')).map((line) => line.slice(6)).join('\n')];
  });
}

/** Reference count of generated characters: every `delta` string, parsed. */
function referenceChars(sse: string): number {
  return events(sse).reduce((sum, [, data]) => {
    const parsed = JSON.parse(data) as { delta?: unknown };
    return sum + (typeof parsed.delta === 'string' ? parsed.delta.length : 0);
  }, 0);
}

describe.each(FIXTURES)('tapResponsesStream: fixture %s', (name) => {
  const input = fixtureBytes(name);
  const source = decoder.decode(input);

  it('forwards every event as sent, the trailer just before the terminal event, and usage once with cost', async () => {
    const run = await runTap([input]);
    const sent = events(source);
    const got = events(run.text);
    expect(got.map(([event]) => event)).toEqual(sent.map(([event]) => event));
    const terminal = sent.length - 1;
    // Everything but the terminal event is byte-for-byte the provider's data.
    expect(got.slice(0, terminal)).toEqual(sent.slice(0, terminal));
    expect(run.text.replace(/\r\n?/g, '\n')).toContain(`: ${TRAILER}\n\nevent: ${sent[terminal]?.[0] ?? ''}`);
    expect(run.outputChars).toBe(referenceChars(source));
    if (name === 'failed') {
      expect(run.usages).toEqual([]);
    } else {
      expect(run.usages).toEqual([{ inputTokens: 12, outputTokens: 5, cachedTokens: 4, cacheWriteTokens: 0, reasoningTokens: 2 }]);
      const completed = JSON.parse(got[terminal]?.[1] ?? '{}') as { response: { usage: Record<string, unknown> } };
      expect(completed.response.usage).toEqual(expect.objectContaining({ input_tokens: 12, total_tokens: 17, cost_usd: 0.0042 }));
    }
    if (name === 'text-crlf-keepalive') expect(run.text).toContain(': keepalive\n\n');
  });

  it('gives identical output when split at every byte boundary and under random multi-splits', async () => {
    const baseline = JSON.stringify(await runTap([input]));
    for (let offset = 1; offset < input.length; offset++) {
      const run = JSON.stringify(await runTap(splitAt(input, [offset])));
      if (run !== baseline) expect({ offset, run }).toEqual({ offset, run: baseline });
    }
    await fc.assert(fc.asyncProperty(fc.array(fc.integer({ min: 1, max: input.length - 1 }), { minLength: 1, maxLength: 40 }), async (offsets) => {
      expect(JSON.stringify(await runTap(splitAt(input, offsets)))).toBe(baseline);
    }), { numRuns: 50 });
  });
});

describe('tapResponsesStream: safety', () => {
  const encode = (text: string): Uint8Array => new TextEncoder().encode(text);

  it('scrubs a credential a provider echoes in an error event', async () => {
    const secret = 'sk-live-provider-key-123456';
    const run = await runTap([encode(`event: error\ndata: {"type":"error","code":"invalid_api_key","message":"Bad key ${secret}"}\n\n`)], [secret]);
    expect(run.text).not.toContain(secret);
    expect(run.text).toContain('[redacted]');
  });

  it('writes the trailer even when the provider stream is cut before its terminal event', async () => {
    const input = fixtureBytes('text');
    const cut = Buffer.from(input).indexOf('event: response.completed');
    const run = await runTap([input.subarray(0, cut)]);
    expect(run.text.endsWith(`: ${TRAILER}\n\n`)).toBe(true);
    expect(run.usages).toEqual([]);
  });

  it('ends with upstream_response_too_large on an oversized event', async () => {
    const tap = tapResponsesStream(sourceOf([encode(`data: {"type":"response.output_text.delta","delta":"${'x'.repeat(5000)}`)]), {
      onUsage: () => undefined, trailer: () => undefined, maxEventBytes: 1000, secrets: [],
    });
    await expect((async () => { for await (const chunk of tap.stream) void chunk; })()).rejects.toMatchObject({ code: 'upstream_response_too_large' });
  });
});
