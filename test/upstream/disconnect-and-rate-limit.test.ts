import type { GatewayConfig } from '../../lambda/config/gateway-config';
import { parseGatewayConfig } from '../../lambda/config/validate-config';
import { startHarness, type MemoryHarness } from '../support/gateway-harness';

/**
 * What a caller notices at the provider seam: leaving mid-stream ends the provider call at once (not when a
 * timeout fires), and a provider's 429 stays a 429 whether or not it says when to retry.
 */
function config(baseUrl: string): GatewayConfig {
  // Timeouts far beyond the test: only the client's disconnect can end the provider call in time.
  const patient = { type: 'openai', baseUrl, apiKey: { env: 'UNUSED' }, firstByteTimeoutMs: 60_000, idleTimeoutMs: 60_000 };
  return parseGatewayConfig({
    providers: { fake: patient },
    models: {
      stalls: { provider: 'fake', model: 'hang-after-first', price: { input: 1, output: 1 } },
      'limited-bare': { provider: 'fake', model: 'error-429-bare', price: { input: 1, output: 1 } },
      limited: { provider: 'fake', model: 'error-429', price: { input: 1, output: 1 } },
    },
  });
}

async function until(condition: () => boolean, timeoutMs: number): Promise<number> {
  const started = performance.now();
  while (!condition()) {
    if (performance.now() - started > timeoutMs) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return performance.now() - started;
}

const messages = [{ role: 'user', content: 'hi' }];

describe('provider calls follow the caller', () => {
  let harness: MemoryHarness;
  beforeAll(async () => {
    harness = await startHarness({ config });
  });
  afterAll(() => harness.close());

  it('closes the provider connection within 300 ms of a client leaving mid-stream', async () => {
    const response = await harness.post('/chat/completions', { model: 'stalls', stream: true, messages });
    expect(response.status).toBe(200);
    // Headers and the first event have arrived; the provider now sends nothing (the gateway waits on it).
    const reader = response.body?.getReader();
    const first = await reader?.read();
    expect(first?.done).toBe(false);
    const abortedBefore = harness.upstream.abortedRequests;
    await reader?.cancel(); // the client hangs up
    const elapsedMs = await until(() => harness.upstream.abortedRequests > abortedBefore, 300);
    expect(elapsedMs).toBeLessThan(300);
  });

  it('answers a provider 429 without retry-after with 429 rate_limited and no invented retry-after', async () => {
    const response = await harness.post('/chat/completions', { model: 'limited-bare', messages });
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBeNull();
    expect(await response.json()).toMatchObject({ error: { code: 'rate_limited', type: 'rate_limit_error' } });
  });

  it("passes a provider 429's retry-after on", async () => {
    const response = await harness.post('/chat/completions', { model: 'limited', stream: true, messages });
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('7');
  });
});
