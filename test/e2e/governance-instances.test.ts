import type { FakeOpenAi } from '../support/fake-openai';
import { seedKey } from '../support/memory-stores';
import { useDynamo } from '../stores/dynamo-fixture';
import { errorCode, governanceConfig, startInstance, startUpstream, type GatewayInstance } from './governance-support';

/**
 * Two gateway instances sharing one store, as two Lambda sandboxes or two laptops' servers would:
 * revocation reaches the other instance within the key cache TTL, and limits count across both.
 */
const KEY_CACHE_SECONDS = 1;
// The store starts first and stops last: the gateways' hooks live in the describe block below.
const dynamo = useDynamo();
let upstream: FakeOpenAi;
let a: GatewayInstance;
let b: GatewayInstance;
let clock = Date.parse('2026-12-02T10:00:10.000Z');

async function drainBoth(): Promise<void> {
  await Promise.all([a.gateway.app.drain(), b.gateway.app.drain()]);
}

describe('two gateway instances on one store', () => {
  beforeAll(async () => {
    upstream = await startUpstream();
    const config = governanceConfig(upstream.baseUrl, KEY_CACHE_SECONDS);
    a = await startInstance(dynamo().stores, config, () => clock);
    b = await startInstance(dynamo().stores, config, () => clock);
  });
  afterAll(async () => {
    await a.gateway.close();
    await b.gateway.close();
    await upstream.close();
  });

  it('stops a revoked key at once on the revoking instance and within the key cache TTL on the other', async () => {
    const { key, id } = await seedKey(dynamo().stores, { teamId: 'team_two' });
    expect((await a.chat(key, 'gpt-cheap')).status).toBe(200);
    expect((await b.chat(key, 'gpt-cheap')).status).toBe(200); // b has the key cached now
    const revokedAt = performance.now();
    expect((await a.admin('DELETE', `/keys/${id}`)).status).toBe(200);
    expect((await a.chat(key, 'gpt-cheap')).status).toBe(401);
    let stoppedAfterMs: number | undefined;
    while (performance.now() - revokedAt < 10_000) {
      if ((await b.chat(key, 'gpt-cheap')).status === 401) {
        stoppedAfterMs = performance.now() - revokedAt;
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    expect(stoppedAfterMs).toBeDefined();
    // The documented bound is the cache TTL; the margin covers one poll and a loaded CI machine.
    expect(stoppedAfterMs).toBeLessThan(KEY_CACHE_SECONDS * 1000 + 1000);
    await drainBoth();
  }, 30_000);

  it('counts requests per minute across both instances', async () => {
    clock = Date.parse('2026-12-02T10:01:10.000Z');
    const { key, id } = await seedKey(dynamo().stores, { teamId: 'team_rpm' });
    await dynamo().stores.policies.putRateLimits({ scope: 'key', scopeId: id, requestsPerMinute: 6, updatedAt: new Date(clock).toISOString() });
    const statuses: number[] = [];
    let refusal: Response | undefined;
    for (let i = 0; i < 10; i += 1) {
      const response = await (i % 2 === 0 ? a : b).chat(key, 'gpt-cheap');
      statuses.push(response.status);
      if (response.status === 429) refusal ??= response;
      else await response.text();
    }
    expect(statuses.filter((status) => status === 200)).toHaveLength(6);
    expect(statuses.filter((status) => status === 429)).toHaveLength(4);
    expect(refusal?.headers.get('retry-after')).toBe('50');
    expect(refusal?.headers.get('x-ratelimit-limit-requests')).toBe('6');
    expect(refusal?.headers.get('x-ratelimit-remaining-requests')).toBe('0');
    expect(refusal === undefined ? undefined : await errorCode(refusal)).toBe('rate_limited');
    // The next minute is a new window.
    clock = Date.parse('2026-12-02T10:02:00.000Z');
    expect((await a.chat(key, 'gpt-cheap')).status).toBe(200);
    await drainBoth();
  }, 30_000);

  it('holds concurrent requests per key across both instances, and frees a slot when a request ends', async () => {
    const { key, id } = await seedKey(dynamo().stores, { teamId: 'team_conc' });
    await dynamo().stores.policies.putRateLimits({ scope: 'key', scopeId: id, concurrentRequests: 2, updatedAt: new Date(clock).toISOString() });
    const results = await Promise.all(Array.from({ length: 6 }, async (_, i) => {
      const response = await (i % 2 === 0 ? a : b).chat(key, 'gpt-slow', { stream: true });
      await response.text();
      return response.status;
    }));
    expect(results.filter((status) => status === 200)).toHaveLength(2);
    expect(results.filter((status) => status === 429)).toHaveLength(4);
    await drainBoth();
    expect((await b.chat(key, 'gpt-cheap')).status).toBe(200);
    await drainBoth();
  }, 30_000);
});
