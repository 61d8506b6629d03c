import type { Stage } from '../../lambda/core/stage';
import { GatewayRateLimitError } from '../../lambda/errors/gateway-error';
import { createPolicyCache } from '../../lambda/governance/policy-cache';
import { createRateLimitStage } from '../../lambda/governance/rate-limit-stage';
import { silentLogger } from '../../lambda/logging/logger';
import type { CounterStore, RateLimits } from '../../lambda/stores/store';
import { createMemoryCounters } from '../support/memory-counters';
import { createMemoryPolicies } from '../support/memory-governance';
import { config, NOW, settleAll, settlement, stageInput } from './governance-fixture';

function setup(limits: Omit<RateLimits, 'updatedAt'>[]): { stage: Stage; counters: CounterStore } {
  const policies = createMemoryPolicies();
  for (const scopeLimits of limits) void policies.putRateLimits({ ...scopeLimits, updatedAt: '2026-01-01T00:00:00.000Z' });
  const counters = createMemoryCounters();
  return { stage: createRateLimitStage({ policies: createPolicyCache(policies, { ttlMs: 5_000 }), counters, config, logger: silentLogger, now: () => NOW }), counters };
}

async function settledCount(stage: Stage, count: number, nowMs = NOW + 12_000): Promise<{ admitted: number; refused: GatewayRateLimitError[] }> {
  const results = await Promise.allSettled(Array.from({ length: count }, () => stage.admit(stageInput({ nowMs, canonical: { maxTokens: 50 } }))));
  return {
    admitted: results.filter((result) => result.status === 'fulfilled').length,
    refused: results.flatMap((result) => (result.status === 'rejected' ? [result.reason as GatewayRateLimitError] : [])),
  };
}

describe('rate-limit stage', () => {
  it('holds requests per minute under concurrency, with OpenAI headers and retry-after to the next minute', async () => {
    const { stage } = setup([{ scope: 'key', scopeId: 'key_1', requestsPerMinute: 60 }]);
    const { admitted, refused } = await settledCount(stage, 100);
    expect(admitted).toBe(60);
    expect(refused).toHaveLength(40);
    expect(refused[0]).toBeInstanceOf(GatewayRateLimitError);
    expect(refused[0]).toMatchObject({
      status: 429, code: 'rate_limited', message: 'Rate limit exceeded: key requests per minute: 60. Retry in 48s.',
      headers: { 'retry-after': '48', 'x-ratelimit-limit-requests': '60', 'x-ratelimit-remaining-requests': '0', 'x-ratelimit-reset-requests': '48s' },
    });
    // The next minute is a new window.
    expect((await settledCount(stage, 70, NOW + 60_000)).admitted).toBe(60);
  });

  it('tells an admitted caller the tightest scope\'s remaining requests and tokens', async () => {
    const { stage } = setup([
      { scope: 'key', scopeId: 'key_1', requestsPerMinute: 100, tokensPerMinute: 100_000 },
      { scope: 'team', scopeId: 'team_1', requestsPerMinute: 5 },
    ]);
    const admission = await stage.admit(stageInput({ nowMs: NOW, canonical: { maxTokens: 50 } }));
    expect(admission.headers).toEqual({
      'x-ratelimit-limit-requests': '5', 'x-ratelimit-remaining-requests': '4', 'x-ratelimit-reset-requests': '60s',
      // 100 body bytes + 50 output tokens reserved.
      'x-ratelimit-limit-tokens': '100000', 'x-ratelimit-remaining-tokens': '99850', 'x-ratelimit-reset-tokens': '60s',
    });
  });

  it('reserves tokens at the upper bound and settles them to the tokens used', async () => {
    const { stage } = setup([{ scope: 'team', scopeId: 'team_1', tokensPerMinute: 1_500 }]);
    const first = await settledCount(stage, 20);
    // 150 tokens reserved each.
    expect(first.admitted).toBe(10);
    expect(first.refused[0]?.message).toBe('Rate limit exceeded: team tokens per minute: 1500 (this request may use up to 150 tokens). Retry in 48s.');
    expect(first.refused[0]?.headers).toMatchObject({ 'x-ratelimit-remaining-tokens': '0', 'x-ratelimit-limit-tokens': '1500' });
  });

  it('frees token room when admitted calls settle below their bound', async () => {
    const { stage } = setup([{ scope: 'team', scopeId: 'team_1', tokensPerMinute: 300 }]);
    const admissions = await Promise.all([1, 2].map(() => stage.admit(stageInput({ nowMs: NOW, canonical: { maxTokens: 50 } }))));
    await expect(stage.admit(stageInput({ nowMs: NOW, canonical: { maxTokens: 50 } }))).rejects.toThrow(GatewayRateLimitError);
    await settleAll(admissions, settlement(0, 'cheap', { input: 20, output: 10 }));
    // 300 - 2 × 30 used = 240: one more 150-token call fits, not two.
    expect((await settledCount(stage, 5, NOW)).admitted).toBe(1);
  });

  it('limits concurrent requests and releases a slot when a call settles', async () => {
    const { stage } = setup([{ scope: 'key', scopeId: 'key_1', concurrentRequests: 3 }]);
    const admissions = await Promise.all([1, 2, 3].map(() => stage.admit(stageInput())));
    const refusal = await stage.admit(stageInput()).catch((error: unknown) => error);
    expect(refusal).toMatchObject({ message: 'Rate limit exceeded: key concurrent requests: 3. Retry in 1s.', headers: { 'retry-after': '1' } });
    await admissions[0]?.settle?.(settlement(0, 'cheap'));
    await expect(stage.admit(stageInput())).resolves.toBeDefined();
  });

  it('counts user and team limits across all their keys', async () => {
    const { stage } = setup([{ scope: 'user', scopeId: 'user_1', requestsPerMinute: 2 }]);
    const otherKey = { keyId: 'key_2', teamId: 'team_1', user: 'user_1', models: [], teamModels: [] };
    await stage.admit(stageInput());
    await stage.admit(stageInput({ principal: otherKey }));
    await expect(stage.admit(stageInput({ principal: otherKey }))).rejects.toThrow('user requests per minute: 2');
  });
});
