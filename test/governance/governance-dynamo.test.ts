import { createBudgetStage } from '../../lambda/governance/budget-stage';
import { createPolicyCache } from '../../lambda/governance/policy-cache';
import { createRateLimitStage } from '../../lambda/governance/rate-limit-stage';
import { silentLogger } from '../../lambda/logging/logger';
import { createDynamoAlertStore } from '../../lambda/stores/dynamo/alert-store';
import { createDynamoCounterStore } from '../../lambda/stores/dynamo/counter-store';
import { createDynamoPolicyStore } from '../../lambda/stores/dynamo/policy-store';
import { ensureTable } from '../../lambda/stores/dynamo/table';
import { useDynamo } from '../stores/dynamo-fixture';
import { config, NOW, pick, settleAll, settlement, stageInput } from './governance-fixture';

/**
 * The stages over the embedded DynamoDB stores, as two gateway instances (each its own policy cache
 * and stage objects) sharing one table: limits hold across instances, not per process.
 */
describe('governance on the embedded DynamoDB store, two instances', () => {
  const dynamo = useDynamo();
  let tables = 0;

  async function twoInstances(): Promise<{
    budgets: ReturnType<typeof createBudgetStage>[]; limits: ReturnType<typeof createRateLimitStage>[];
    policies: ReturnType<typeof createDynamoPolicyStore>; alerts: ReturnType<typeof createDynamoAlertStore>;
  }> {
    const { client } = dynamo();
    tables += 1;
    const tableName = `governance-${tables}`;
    await ensureTable(client, tableName);
    const policies = createDynamoPolicyStore(client, tableName);
    const alerts = createDynamoAlertStore(client, tableName);
    const instance = (): { budget: ReturnType<typeof createBudgetStage>; limit: ReturnType<typeof createRateLimitStage> } => {
      const deps = { policies: createPolicyCache(policies, { ttlMs: 5_000 }), counters: createDynamoCounterStore(client, tableName), config, logger: silentLogger, now: () => NOW };
      return { budget: createBudgetStage({ ...deps, alerts }), limit: createRateLimitStage(deps) };
    };
    const [a, b] = [instance(), instance()];
    return { budgets: [a.budget, b.budget], limits: [a.limit, b.limit], policies, alerts };
  }

  it('admits exactly the 10 of 200 concurrent calls a budget fits, and records each alert threshold once', async () => {
    const { budgets, policies, alerts } = await twoInstances();
    // $0.0002 reserved per call (see budget-stage.test.ts): the limit fits exactly ten.
    await policies.putBudget({ id: 'bud_t', scope: 'team', scopeId: 'team_1', limitUsd: 0.002, period: 'monthly', createdAt: '2026-12-01T00:00:00.000Z' });
    const results = await Promise.allSettled(Array.from({ length: 200 }, (_, index) => pick(budgets, index).admit(stageInput({ canonical: { maxTokens: 50 } }))));
    const admitted = results.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
    expect(admitted).toHaveLength(10);
    expect(results.filter((result) => result.status === 'rejected').every((result) => (result.reason as { code?: string }).code === 'budget_exceeded')).toBe(true);
    await settleAll(admitted, settlement(0.0002, 'cheap'));
    expect((await alerts.listAlerts({ budgetId: 'bud_t' })).map((alert) => alert.threshold).sort()).toEqual([0.5, 0.8, 1]);
  }, 20_000);

  it('counts requests per minute across instances', async () => {
    const { limits, policies } = await twoInstances();
    await policies.putRateLimits({ scope: 'team', scopeId: 'team_1', requestsPerMinute: 25, updatedAt: '2026-12-01T00:00:00.000Z' });
    const results = await Promise.allSettled(Array.from({ length: 60 }, (_, index) => pick(limits, index).admit(stageInput())));
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(25);
  }, 20_000);
});
