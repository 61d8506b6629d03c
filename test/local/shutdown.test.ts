import { parseGatewayConfig } from '../../lambda/config/validate-config';
import { silentLogger } from '../../lambda/logging/logger';
import { startLocalGateway } from '../../lambda/local/local-gateway';
import { startFakeOpenAi } from '../support/fake-openai';
import { createMemoryStores, seedKey } from '../support/memory-stores';

/** Closing the local server: streams in progress get a bounded grace period, then are cut and still metered. */
describe('closing the local server', () => {
  it('cuts a stream that outlasts the grace period, records it as client_aborted, and finishes promptly', async () => {
    const upstream = await startFakeOpenAi({ apiKey: 'sk-shutdown' });
    const stores = createMemoryStores();
    const gateway = await startLocalGateway({
      config: parseGatewayConfig({
        providers: { fake: { type: 'openai', baseUrl: upstream.baseUrl } },
        // Five chunks 2 s apart: ten seconds, far beyond the grace period below.
        models: { slow: { provider: 'fake', model: 'paced-2000', price: { input: 1, output: 1 } } },
      }),
      stores, secrets: async () => 'sk-shutdown', logger: silentLogger, adminToken: 'admin', port: 0, shutdownGraceMs: 300,
    });
    try {
      const { key } = await seedKey(stores);
      const response = await fetch(`${gateway.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'slow', stream: true, messages: [{ role: 'user', content: 'hi' }] }),
      });
      expect(response.status).toBe(200);
      const body = response.text().catch(() => 'cut');
      const started = Date.now();
      await gateway.close();
      expect(Date.now() - started).toBeLessThan(3_000);
      expect(await body).not.toContain('[DONE]');
      // close() resolves only once every record is written.
      expect(stores.usageRecords.map((record) => record.status)).toEqual(['client_aborted']);
      // New connections are refused once closing began.
      await expect(fetch(`${gateway.url}/v1/models`)).rejects.toThrow();
    } finally {
      await gateway.close();
      await upstream.close();
    }
  }, 15_000);
});
