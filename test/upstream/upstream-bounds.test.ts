import type { GatewayConfig } from '../../lambda/config/gateway-config';
import { parseGatewayConfig } from '../../lambda/config/validate-config';
import { parseSseData } from '../support/fake-openai';
import { startHarness, type MemoryHarness } from '../support/gateway-harness';

/**
 * What the gateway reads from a provider is bounded: one 100 MB SSE event or a 200 MB JSON answer ends the
 * call with 502 `upstream_response_too_large` and the process's memory stays flat. The fake writes the
 * huge bodies in 64 KiB pieces with backpressure, so the only place they could pile up is the gateway.
 */
const MIB = 1024 * 1024;
/** Growth allowed over the baseline: the 8 MiB event cap plus buffers and parser copies, far below 100 MB. */
const MAX_GROWTH_BYTES = 60 * MIB;

function boundsConfig(baseUrl: string): GatewayConfig {
  return parseGatewayConfig({
    providers: {
      // Event cap left at its default (8 MiB); the answer cap set here to show it is configurable.
      fake: { type: 'openai', baseUrl, apiKey: { env: 'UNUSED' }, maxResponseBytes: 16 * MIB },
    },
    models: {
      'huge-event': { provider: 'fake', model: 'huge-event-100', price: { input: 1, output: 1 } },
      'huge-json': { provider: 'fake', model: 'huge-json-200', price: { input: 1, output: 1 } },
      ok: { provider: 'fake', model: 'fake-model', price: { input: 1, output: 1 } },
    },
  });
}

/** Runs `action` and reports how far RSS rose above the level before it, sampled every 10 ms. */
async function peakRssGrowth(action: () => Promise<void>): Promise<number> {
  global.gc?.();
  const baseline = process.memoryUsage().rss;
  let peak = baseline;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 10);
  try {
    await action();
  } finally {
    clearInterval(sampler);
  }
  peak = Math.max(peak, process.memoryUsage().rss);
  return peak - baseline;
}

describe('bounded reads from a provider', () => {
  let harness: MemoryHarness;
  beforeAll(async () => {
    harness = await startHarness({ config: boundsConfig });
    // Warm up sockets, JIT and the stores so the baseline is representative.
    for (let i = 0; i < 3; i += 1) await (await harness.post('/chat/completions', { model: 'ok', stream: true, messages: [{ role: 'user', content: 'hi' }] })).text();
  });
  afterAll(() => harness.close());

  it('ends a stream whose single event exceeds maxEventBytes, without holding it', async () => {
    let status = 0;
    let text = '';
    const growth = await peakRssGrowth(async () => {
      const response = await harness.post('/chat/completions', { model: 'huge-event', stream: true, messages: [{ role: 'user', content: 'hi' }] });
      status = response.status;
      text = await response.text();
    });
    // The role chunk went out first, so the failure arrives as an error event on the started stream.
    expect(status).toBe(200);
    const events = parseSseData(text);
    expect(events[0]).toContain('"role":"assistant"');
    const error = JSON.parse(events.at(-1) ?? '{}') as { error?: { code?: string } };
    expect(error.error?.code).toBe('upstream_response_too_large');
    expect(text.length).toBeLessThan(MIB);
    process.stdout.write(`huge SSE event: peak RSS growth ${(growth / MIB).toFixed(1)} MiB\n`);
    expect(growth).toBeLessThan(MAX_GROWTH_BYTES);
  }, 20_000);

  it('answers 502 upstream_response_too_large to a JSON answer over maxResponseBytes, without holding it', async () => {
    let status = 0;
    let body: unknown;
    const growth = await peakRssGrowth(async () => {
      const response = await harness.post('/chat/completions', { model: 'huge-json', messages: [{ role: 'user', content: 'hi' }] });
      status = response.status;
      body = await response.json();
    });
    expect(status).toBe(502);
    expect(body).toMatchObject({ error: { code: 'upstream_response_too_large', type: 'api_error' } });
    process.stdout.write(`huge JSON answer: peak RSS growth ${(growth / MIB).toFixed(1)} MiB\n`);
    expect(growth).toBeLessThan(MAX_GROWTH_BYTES);
  }, 20_000);
});
