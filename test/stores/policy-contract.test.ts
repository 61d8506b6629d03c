import { ensureTable } from '../../lambda/stores/dynamo/table';
import { createDynamoAlertStore } from '../../lambda/stores/dynamo/alert-store';
import { createDynamoPolicyStore } from '../../lambda/stores/dynamo/policy-store';
import type { Budget, BudgetAlert, BudgetAlertStore, PiiPolicy, PolicyStore } from '../../lambda/stores/store';
import { createMemoryAlerts, createMemoryPolicies } from '../support/memory-governance';
import { useDynamo } from './dynamo-fixture';

/** One suite, two implementations: the memory stores tests use must behave like the DynamoDB ones. */
type Implementation = () => Promise<{ policies: PolicyStore; alerts: BudgetAlertStore }>;

const budget = (id: string, overrides: Partial<Budget> = {}): Budget => ({
  id, scope: 'team', scopeId: 'team_a', limitUsd: 200, period: 'monthly', createdAt: '2026-12-01T00:00:00.000Z', ...overrides,
});

const alert = (overrides: Partial<BudgetAlert> = {}): BudgetAlert => ({
  budgetId: 'bud_1', scope: 'team', scopeId: 'team_a', period: 'monthly', periodKey: '2026-12', threshold: 0.5,
  limitUsd: 10, spentUsd: 5.25, time: '2026-12-02T10:00:00.000Z', ...overrides,
});

const piiPolicy = (scope: PiiPolicy['scope'], scopeId: string, rules: PiiPolicy['rules'], updatedAt = '2026-12-02T00:00:00.000Z'): PiiPolicy => ({ scope, scopeId, rules, updatedAt });

function contract(name: string, implementation: Implementation): void {
  describe(`policy and alert store contract: ${name}`, () => {
    it('keeps every budget field, finds it by id and in its scope\'s policy, and deletes it', async () => {
      const { policies } = await implementation();
      const full = budget('bud_full', { models: ['gpt-4o*', 'claude-*'], alertThresholds: [0.25, 0.9, 1], shards: 8, period: 'weekly' });
      const plain = budget('bud_plain', { scope: 'user', scopeId: 'user_a', limitUsd: 0.5, period: 'lifetime' });
      await Promise.all([policies.putBudget(full), policies.putBudget(plain)]);
      expect(await policies.getBudget('bud_full')).toEqual(full);
      expect(await policies.getBudget('bud_plain')).toEqual(plain);
      expect(await policies.getBudget('bud_none')).toBeUndefined();
      expect(await policies.policyOf('team', 'team_a')).toEqual({ budgets: [full] });
      expect(await policies.policyOf('user', 'user_a')).toEqual({ budgets: [plain] });
      expect(await policies.deleteBudget('bud_full')).toEqual(full);
      expect(await policies.deleteBudget('bud_full')).toBeUndefined();
      expect(await policies.getBudget('bud_full')).toBeUndefined();
      expect(await policies.policyOf('team', 'team_a')).toEqual({ budgets: [] });
    });

    it('lists budgets by id, filtered by scope and scope id', async () => {
      const { policies } = await implementation();
      for (const [id, scope, scopeId] of [['b3', 'team', 't1'], ['b1', 'key', 'k1'], ['b2', 'team', 't2']] as const) {
        await policies.putBudget(budget(id, { scope, scopeId }));
      }
      expect((await policies.listBudgets()).map((found) => found.id)).toEqual(['b1', 'b2', 'b3']);
      expect((await policies.listBudgets({ scope: 'team' })).map((found) => found.id)).toEqual(['b2', 'b3']);
      expect((await policies.listBudgets({ scope: 'team', scopeId: 't1' })).map((found) => found.id)).toEqual(['b3']);
      expect(await policies.listBudgets({ scope: 'user' })).toEqual([]);
    });

    it('replaces, lists and deletes rate limits, and serves them with the budgets in one policy', async () => {
      const { policies } = await implementation();
      const limits = { scope: 'key' as const, scopeId: 'k1', requestsPerMinute: 60, tokensPerMinute: 100_000, concurrentRequests: 4, shards: 2, updatedAt: '2026-12-02T00:00:00.000Z' };
      await policies.putRateLimits(limits);
      await policies.putRateLimits({ scope: 'team', scopeId: 't1', requestsPerMinute: 10, updatedAt: '2026-12-02T00:00:00.000Z' });
      const replaced = { scope: 'key' as const, scopeId: 'k1', tokensPerMinute: 5, updatedAt: '2026-12-03T00:00:00.000Z' };
      await policies.putRateLimits(replaced);
      await policies.putBudget(budget('bk', { scope: 'key', scopeId: 'k1' }));
      expect(await policies.policyOf('key', 'k1')).toEqual({ budgets: [budget('bk', { scope: 'key', scopeId: 'k1' })], rateLimits: replaced });
      expect((await policies.listRateLimits()).map((found) => `${found.scope}:${found.scopeId}`)).toEqual(['key:k1', 'team:t1']);
      expect(await policies.deleteRateLimits('key', 'k1')).toEqual(replaced);
      expect(await policies.deleteRateLimits('key', 'k1')).toBeUndefined();
      expect(await policies.policyOf('key', 'k1')).toEqual({ budgets: [budget('bk', { scope: 'key', scopeId: 'k1' })] });
    });

    it('replaces, lists and deletes data-protection rules, and serves them with the budgets and limits in one policy', async () => {
      const { policies } = await implementation();
      const first = piiPolicy('team', 't1', { email: { action: 'redact' }, api_key: { action: 'block' } });
      await policies.putPiiPolicy(first);
      await policies.putPiiPolicy(piiPolicy('key', 'k1', { '*': { action: 'log' } }));
      expect(await policies.policyOf('team', 't1')).toEqual({ budgets: [], pii: first });
      // A put replaces every rule: types left out are gone, not merged.
      const replaced = piiPolicy('team', 't1', { email: { action: 'redact', restore: true }, employee_id: { action: 'off' }, '*': { action: 'log' } }, '2026-12-03T00:00:00.000Z');
      await policies.putPiiPolicy(replaced);
      await policies.putBudget(budget('bt', { scope: 'team', scopeId: 't1' }));
      const limits = { scope: 'team' as const, scopeId: 't1', requestsPerMinute: 5, updatedAt: '2026-12-02T00:00:00.000Z' };
      await policies.putRateLimits(limits);
      expect(await policies.policyOf('team', 't1')).toEqual({ budgets: [budget('bt', { scope: 'team', scopeId: 't1' })], rateLimits: limits, pii: replaced });
      expect(await policies.listPiiPolicies()).toEqual([piiPolicy('key', 'k1', { '*': { action: 'log' } }), replaced]);
      // The rules are not the limits: deleting one leaves the other.
      expect(await policies.deleteRateLimits('team', 't1')).toEqual(limits);
      expect((await policies.policyOf('team', 't1')).pii).toEqual(replaced);
      expect(await policies.deletePiiPolicy('team', 't1')).toEqual(replaced);
      expect(await policies.deletePiiPolicy('team', 't1')).toBeUndefined();
      expect(await policies.deletePiiPolicy('user', 'nobody')).toBeUndefined();
      expect(await policies.policyOf('team', 't1')).toEqual({ budgets: [budget('bt', { scope: 'team', scopeId: 't1' })] });
      expect((await policies.listPiiPolicies()).map((found) => `${found.scope}:${found.scopeId}`)).toEqual(['key:k1']);
      expect((await policies.listRateLimits())).toEqual([]);
    });

    it('keeps every action, restore only where it is true, and a scope\'s rules apart from its namesakes in other scopes', async () => {
      const { policies } = await implementation();
      const rules = { email: { action: 'redact', restore: true }, phone: { action: 'redact' }, jwt: { action: 'block' }, ip_address: { action: 'off' }, '*': { action: 'log' } } as const;
      await policies.putPiiPolicy(piiPolicy('user', 'same', rules));
      await policies.putPiiPolicy(piiPolicy('key', 'same', { phone: { action: 'redact', restore: false } }));
      expect((await policies.policyOf('user', 'same')).pii?.rules).toEqual(rules);
      expect((await policies.policyOf('key', 'same')).pii?.rules).toEqual({ phone: { action: 'redact' } });
      expect((await policies.policyOf('team', 'same')).pii).toBeUndefined();
    });

    it('records an alert once per budget, period and threshold, even when 20 writers race', async () => {
      const { alerts } = await implementation();
      const results = await Promise.all(Array.from({ length: 20 }, () => alerts.recordAlert(alert())));
      expect(results.filter(Boolean)).toHaveLength(1);
      expect(await alerts.recordAlert(alert({ threshold: 0.8, time: '2026-12-02T11:00:00.000Z' }))).toBe(true);
      expect(await alerts.recordAlert(alert({ periodKey: '2027-01', time: '2027-01-05T00:00:00.000Z' }))).toBe(true);
      expect(await alerts.listAlerts()).toEqual([
        alert({ periodKey: '2027-01', time: '2027-01-05T00:00:00.000Z' }),
        alert({ threshold: 0.8, time: '2026-12-02T11:00:00.000Z' }),
        alert(),
      ]);
    });

    it('lists alerts newest first, by budget, in [from, to), up to a limit', async () => {
      const { alerts } = await implementation();
      for (let hour = 0; hour < 6; hour += 1) {
        const time = new Date(Date.UTC(2026, 11, 2, hour)).toISOString();
        await alerts.recordAlert(alert({ budgetId: hour % 2 === 0 ? 'even' : 'odd', threshold: hour / 10, time }));
      }
      const hours = (found: BudgetAlert[]): number[] => found.map((entry) => new Date(entry.time).getUTCHours());
      expect(hours(await alerts.listAlerts({ budgetId: 'even' }))).toEqual([4, 2, 0]);
      expect(hours(await alerts.listAlerts({ from: '2026-12-02T01:00:00.000Z', to: '2026-12-02T04:00:00.000Z' }))).toEqual([3, 2, 1]);
      expect(hours(await alerts.listAlerts({ from: '2026-12-02T03:00:00.000Z' }))).toEqual([5, 4, 3]);
      expect(hours(await alerts.listAlerts({ to: '2026-12-02T02:00:00.000Z' }))).toEqual([1, 0]);
      expect(hours(await alerts.listAlerts({ budgetId: 'odd', limit: 2 }))).toEqual([5, 3]);
    });
  });
}

contract('memory', async () => ({ policies: createMemoryPolicies(), alerts: createMemoryAlerts() }));

describe('embedded DynamoDB', () => {
  const dynamo = useDynamo();
  let tables = 0;
  // A table per test, so listings see only what the test wrote.
  contract('dynamo', async () => {
    const { client } = dynamo();
    tables += 1;
    const tableName = `policy-contract-${tables}`;
    await ensureTable(client, tableName);
    return { policies: createDynamoPolicyStore(client, tableName), alerts: createDynamoAlertStore(client, tableName) };
  });
});
