import type { GatewayConfig } from '../../lambda/config/gateway-config';
import { parseGatewayConfig } from '../../lambda/config/validate-config';
import { FAKE_STREAM_PIECES, parseSseData } from '../support/fake-openai';
import { startHarness, type MemoryHarness } from '../support/gateway-harness';

/**
 * 1,000 streams held open at once against one provider host all complete. Each lasts ~2.5 s at the
 * provider (5 content chunks, 500 ms apart) and may wait at most 4 s for its first byte, so a per-host
 * socket cap (the agent's old 256) would queue the later ones into 504 upstream_timeout.
 */
const STREAMS = 1000;
const CHUNK_DELAY_MS = 500;

function concurrencyConfig(baseUrl: string): GatewayConfig {
  return parseGatewayConfig({
    providers: { fake: { type: 'openai', baseUrl, apiKey: { env: 'UNUSED' }, firstByteTimeoutMs: 4000, idleTimeoutMs: 4000 } },
    models: { slow: { provider: 'fake', model: `paced-${CHUNK_DELAY_MS}`, price: { input: 1, output: 1 } } },
  });
}

function contentOf(data: string): string {
  if (data === '[DONE]') return '';
  const chunk = JSON.parse(data) as { choices?: Array<{ delta?: { content?: string } }> };
  return chunk.choices?.[0]?.delta?.content ?? '';
}

describe('concurrent streams to one provider host', () => {
  let harness: MemoryHarness;
  beforeAll(async () => {
    harness = await startHarness({ config: concurrencyConfig });
    harness.upstream.setRecording(false);
  });
  afterAll(() => harness.close());

  it(`completes ${STREAMS} concurrent streams`, async () => {
    const started = performance.now();
    const results = await Promise.all(Array.from({ length: STREAMS }, async () => {
      const response = await harness.post('/chat/completions', { model: 'slow', stream: true, messages: [{ role: 'user', content: 'hi' }] });
      const text = await response.text();
      const events = parseSseData(text);
      return { status: response.status, done: events.at(-1) === '[DONE]', content: events.map(contentOf).join('') };
    }));
    const elapsedMs = performance.now() - started;
    const failures = results.filter((result) => result.status !== 200 || !result.done);
    expect(failures).toEqual([]);
    expect(results.every((result) => result.content === FAKE_STREAM_PIECES.join(''))).toBe(true);
    process.stdout.write(`${STREAMS} concurrent streams completed in ${Math.round(elapsedMs)} ms\n`);
  }, 30_000);
});
