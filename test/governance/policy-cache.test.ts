import { createGovernanceStages } from '../../lambda/governance';
import { createPolicyCache } from '../../lambda/governance/policy-cache';
import { silentLogger } from '../../lambda/logging/logger';
import type { GatewayStores } from '../../lambda/stores/store';
import { createMemoryCounters } from '../support/memory-counters';
import { createMemoryAlerts, createMemoryPolicies } from '../support/memory-governance';
import { config, principal, stageInput } from './governance-fixture';

const budget = { id: 'bud_1', scope: 'team' as const, scopeId: 'team_1', limitUsd: 5, period: 'daily' as const, createdAt: '2026-01-01T00:00:00.000Z' };

describe('policy cache', () => {
  it('looks up key, user and team once each, shares concurrent lookups, and serves from memory within the TTL', async () => {
    const store = createMemoryPolicies();
    let clock = 0;
    const cache = createPolicyCache(store, { ttlMs: 5_000, now: () => clock });
    const answers = await Promise.all([1, 2, 3, 4].map(() => cache.policiesOf(principal)));
    expect(store.lookups.count).toBe(3);
    expect(answers[0]?.map(({ scope, scopeId }) => `${scope}:${scopeId}`)).toEqual(['key:key_1', 'user:user_1', 'team:team_1']);
    clock = 4_999;
    await cache.policiesOf(principal);
    expect(store.lookups.count).toBe(3);
    clock = 5_000;
    await cache.policiesOf(principal);
    expect(store.lookups.count).toBe(6);
  });

  it('skips the user scope for a team-owned key', async () => {
    const store = createMemoryPolicies();
    const cache = createPolicyCache(store, { ttlMs: 5_000 });
    const { user: _user, ...teamKey } = principal;
    expect((await cache.policiesOf(teamKey)).map(({ scope }) => scope)).toEqual(['key', 'team']);
  });

  it('sees a change after the TTL, or at once after invalidate', async () => {
    const store = createMemoryPolicies();
    let clock = 0;
    const cache = createPolicyCache(store, { ttlMs: 5_000, now: () => clock });
    const teamPolicy = async (): Promise<unknown> => (await cache.policiesOf(principal)).find(({ scope }) => scope === 'team')?.policy.budgets;
    expect(await teamPolicy()).toEqual([]);
    await store.putBudget(budget);
    expect(await teamPolicy()).toEqual([]);
    cache.invalidate('team', 'team_1');
    expect(await teamPolicy()).toEqual([budget]);
    await store.deleteBudget('bud_1');
    clock = 5_001;
    expect(await teamPolicy()).toEqual([]);
  });

  it('hands every stage of a request the same answer, trusted no longer than its oldest part', async () => {
    const store = createMemoryPolicies();
    let clock = 0;
    const cache = createPolicyCache(store, { ttlMs: 5_000, now: () => clock });
    const { user: _user, ...teamKey } = principal;
    await cache.policiesOf(teamKey); // caches key_1 and team_1 at t=0
    clock = 3_000;
    const first = await cache.policiesOf(principal); // user_1 read now; key and team still from t=0
    expect(await cache.policiesOf(principal)).toBe(first);
    await store.putBudget(budget);
    clock = 5_000; // the team's entry from t=0 has expired, although the user's has not
    const later = await cache.policiesOf(principal);
    expect(later).not.toBe(first);
    expect(later.find(({ scope }) => scope === 'team')?.policy.budgets).toEqual([budget]);
  });

  it('does not keep a failed lookup', async () => {
    const store = createMemoryPolicies();
    let failures = 1;
    const flaky = { ...store, async policyOf(...args: Parameters<typeof store.policyOf>) {
      if (failures-- > 0) throw new Error('store down');
      return store.policyOf(...args);
    } };
    const cache = createPolicyCache(flaky, { ttlMs: 5_000 });
    await expect(cache.policiesOf(principal)).rejects.toThrow('store down');
    await expect(cache.policiesOf(principal)).resolves.toHaveLength(3);
  });
});

describe('createGovernanceStages', () => {
  it('composes data protection, rate limits and budgets over one policy cache, so a request looks its policies up once', async () => {
    const policies = createMemoryPolicies();
    const counters = createMemoryCounters();
    const stores = { policies, counters, alerts: createMemoryAlerts() } as unknown as GatewayStores;
    const { stages, policies: cache } = createGovernanceStages({ stores, config, logger: silentLogger });
    expect(stages.map((stage) => stage.name)).toEqual(['pii', 'rate-limits', 'budgets']);
    await Promise.all(stages.map((stage) => stage.admit(stageInput())));
    expect(policies.lookups.count).toBe(3);
    await policies.putBudget({ ...budget, limitUsd: 1e-9 });
    cache.invalidate('team', 'team_1');
    await expect(Promise.all(stages.map((stage) => stage.admit(stageInput())))).rejects.toThrow('Budget exceeded');
  });
});
