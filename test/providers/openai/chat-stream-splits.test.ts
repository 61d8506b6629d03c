import fc from 'fast-check';
import { FIXTURES, bytes, dataPayloads, fixtureBytes, runTap, splitAt, type HarnessOptions, type TapRun } from './tap-harness';

const TRAILER = ': gatellm {"cost_usd":0.0042}\n\n';

/** The option sets every fixture is replayed with: pass-through with cost merged, and usage stripped. */
const VARIANTS: readonly (readonly [string, HarnessOptions])[] = [
  ['usage kept, cost merged', { stripUsageChunk: false, onUsage: () => ({ cost_usd: 0.0042 }), beforeDone: () => TRAILER }],
  ['usage stripped', { stripUsageChunk: true, onUsage: () => ({ cost_usd: 0.0042 }) }],
];

function comparable(run: TapRun): Omit<TapRun, 'writes'> {
  return { text: run.text, stats: run.stats, usages: run.usages };
}

describe.each(FIXTURES)('fixture %s re-fed at other chunkings', (name) => {
  const input = fixtureBytes(name);

  describe.each(VARIANTS)('%s', (_label, options) => {
    let baseline: Omit<TapRun, 'writes'>;

    beforeAll(async () => {
      baseline = comparable(await runTap([input], options));
    });

    it('gives identical output, stats and usage when split at every single byte boundary', async () => {
      for (let offset = 1; offset < input.length; offset++) {
        const run = comparable(await runTap(splitAt(input, [offset]), options));
        // toEqual on every offset would be slow to report; compare cheaply, then explain a mismatch.
        if (run.text !== baseline.text || JSON.stringify(run.stats) !== JSON.stringify(baseline.stats)
          || JSON.stringify(run.usages) !== JSON.stringify(baseline.usages)) {
          expect({ offset, ...run }).toEqual({ offset, ...baseline });
        }
      }
    });

    it('gives identical output, stats and usage under random multi-splits', async () => {
      await fc.assert(fc.asyncProperty(
        fc.array(fc.integer({ min: 1, max: input.length - 1 }), { minLength: 1, maxLength: 64 }),
        async (offsets) => {
          expect(comparable(await runTap(splitAt(input, offsets), options))).toEqual(baseline);
        },
      ), { numRuns: 200 });
    });
  });
});

describe('random content streams (property)', () => {
  const content = fc.string({ unit: fc.constantFrom('a', ' ', 'é', '世', '👋🏽', '"', '\\', '\n', '\t', '\u0001', 'x'), maxLength: 12 });

  it('decode to the same JSON payloads in the same order, at any chunking', async () => {
    await fc.assert(fc.asyncProperty(
      fc.array(content, { maxLength: 30 }),
      fc.boolean(),
      fc.array(fc.nat(8000), { maxLength: 30 }),
      async (pieces, withDone, offsets) => {
        const payloads = pieces.map((piece, i) => JSON.stringify({
          id: 'chatcmpl-prop', object: 'chat.completion.chunk', created: 1764230400, model: 'gpt-4o',
          choices: [{ index: 0, delta: { content: piece }, logprobs: null, finish_reason: i === pieces.length - 1 ? 'stop' : null }],
        }));
        const sse = payloads.map((p) => `data: ${p}\n\n`).join('') + (withDone ? 'data: [DONE]\n\n' : '');
        const run = await runTap(splitAt(bytes(sse), offsets));
        expect(dataPayloads(run.text)).toEqual(withDone ? [...payloads, '[DONE]'] : payloads);
        expect(run.stats.outputChars).toBe(pieces.reduce((sum, piece) => sum + piece.length, 0));
        expect(run.stats.events).toBe(payloads.length + (withDone ? 1 : 0));
        expect(run.stats.finishReason).toBe(pieces.length > 0 ? 'stop' : undefined);
      },
    ), { numRuns: 300 });
  });
});
