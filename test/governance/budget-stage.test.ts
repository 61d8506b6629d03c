import type { Admission, Stage } from '../../lambda/core/stage';
import { BudgetExceededError } from '../../lambda/errors/gateway-error';
import { createBudgetStage } from '../../lambda/governance/budget-stage';
import { createPolicyCache } from '../../lambda/governance/policy-cache';
import { budgetCounter, periodOf } from '../../lambda/governance/periods';
import { silentLogger } from '../../lambda/logging/logger';
import type { Budget, BudgetAlertStore, CounterStore, PolicyStore } from '../../lambda/stores/store';
import { createMemoryCounters } from '../support/memory-counters';
import { createMemoryAlerts, createMemoryPolicies } from '../support/memory-governance';
import { config, NOW, settleAll, settlement, stageInput } from './governance-fixture';

/** cheap, 100 body bytes, max 50 tokens: 100 × 1,000 + 50 × 2,000 nano-USD = $0.0002 reserved per call. */
const PER_CALL_USD = 0.0002;
const capped = { canonical: { maxTokens: 50 } };

interface Setup {
  readonly stage: Stage;
  readonly policies: PolicyStore;
  readonly counters: CounterStore;
  readonly alerts: BudgetAlertStore;
  readonly warnings: string[];
}

function setup(budgets: Budget[], counters: CounterStore = createMemoryCounters()): Setup {
  const policies = createMemoryPolicies();
  for (const budget of budgets) void policies.putBudget(budget);
  const alerts = createMemoryAlerts();
  const warnings: string[] = [];
  const logger = { ...silentLogger, warn: (message: string) => warnings.push(message) };
  const stage = createBudgetStage({ policies: createPolicyCache(policies, { ttlMs: 5_000 }), counters, alerts, config, logger, now: () => NOW });
  return { stage, policies, counters, alerts, warnings };
}

function budget(overrides: Partial<Budget> = {}): Budget {
  return { id: 'bud_team', scope: 'team', scopeId: 'team_1', limitUsd: 10 * PER_CALL_USD, period: 'monthly', createdAt: '2026-01-01T00:00:00.000Z', ...overrides };
}

async function admitMany(stage: Stage, count: number, options: Parameters<typeof stageInput>[0] = capped): Promise<{ admitted: Admission[]; refused: unknown[] }> {
  const results = await Promise.allSettled(Array.from({ length: count }, () => stage.admit(stageInput(options))));
  return {
    admitted: results.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : [])),
    refused: results.flatMap((result) => (result.status === 'rejected' ? [result.reason as unknown] : [])),
  };
}

describe('budget stage', () => {
  it('admits exactly as many concurrent calls as the budget fits, and names the budget when it refuses', async () => {
    const { stage } = setup([budget()]);
    const { admitted, refused } = await admitMany(stage, 200);
    expect(admitted).toHaveLength(10);
    expect(refused).toHaveLength(190);
    const error = refused[0];
    expect(error).toBeInstanceOf(BudgetExceededError);
    expect(error).toMatchObject({
      status: 429, code: 'budget_exceeded',
      message: "Budget exceeded: team 'team_1' budget bud_team allows $0.002 per month (resets 2027-01-01T00:00:00.000Z).",
      headers: { 'x-gatellm-budget-reset': '2027-01-01T00:00:00.000Z' },
    });
  });

  it('shows the limit, the period and "does not reset" for a lifetime budget', async () => {
    const { stage } = setup([budget({ limitUsd: 12.5, period: 'lifetime', scope: 'key', scopeId: 'key_1', id: 'bud_k' })]);
    await expect(stage.admit(stageInput({ canonical: { maxTokens: 10_000_000 } }))).rejects.toThrow(
      "Budget exceeded: key 'key_1' budget bud_k allows $12.50 in total (it does not reset).");
  });

  it('settles to the recorded cost and releases the rest of the reservation', async () => {
    const { stage, counters } = setup([budget()]);
    const first = await admitMany(stage, 10);
    await settleAll(first.admitted, settlement(PER_CALL_USD / 2, 'cheap'));
    const counter = budgetCounter('bud_team', periodOf('monthly', NOW));
    expect(await counters.read(counter)).toEqual({ committed: 1_000_000, settled: 1_000_000 });
    // Half the budget is spent: exactly five more full reservations fit.
    expect((await admitMany(stage, 20)).admitted).toHaveLength(5);
  });

  it('starts a new period at the month boundary (injected clock)', async () => {
    const { stage } = setup([budget()]);
    const lastMs = Date.UTC(2026, 11, 31, 23, 59, 59, 999);
    expect((await admitMany(stage, 15, { ...capped, nowMs: lastMs })).admitted).toHaveLength(10);
    expect((await admitMany(stage, 15, { ...capped, nowMs: lastMs + 1 })).admitted).toHaveLength(10);
  });

  it('starts a new weekly period on Monday 00:00 UTC', async () => {
    const { stage } = setup([budget({ period: 'weekly' })]);
    const sundayNight = Date.UTC(2026, 11, 6, 23, 59, 59, 999);
    expect((await admitMany(stage, 12, { ...capped, nowMs: sundayNight })).admitted).toHaveLength(10);
    await expect(stage.admit(stageInput({ ...capped, nowMs: sundayNight }))).rejects.toThrow('resets 2026-12-07T00:00:00.000Z');
    expect((await admitMany(stage, 12, { ...capped, nowMs: sundayNight + 1 })).admitted).toHaveLength(10);
  });

  it('applies a model-scoped budget only to matching models', async () => {
    const { stage } = setup([budget({ models: ['gpt-4o*'] })]);
    expect((await admitMany(stage, 20, { ...capped, model: 'cheap' })).admitted).toHaveLength(20);
    expect((await admitMany(stage, 20, { ...capped, model: 'gpt-4o' })).admitted).toHaveLength(10);
  });

  it('reserves at the dearest deployment of a fallback chain and charges the serving model\'s recorded cost', async () => {
    const dearOnly = budget({ id: 'bud_dear', models: ['dear'], limitUsd: 100 });
    const all = budget({ id: 'bud_all', limitUsd: 100 });
    const { stage, counters } = setup([dearOnly, all]);
    const admission = await stage.admit(stageInput({ model: 'smart', deployments: ['dear', 'cheap'], ...capped }));
    const month = periodOf('monthly', NOW);
    // dear: input at its cache-write price 12.5 $/M, output 20 $/M.
    const bound = 100 * 12_500 + 50 * 20_000;
    expect(await counters.read(budgetCounter('bud_all', month))).toEqual({ committed: bound, settled: 0 });
    expect(await counters.read(budgetCounter('bud_dear', month))).toEqual({ committed: bound, settled: 0 });
    await admission.settle?.(settlement(0.00003, 'cheap'));
    expect(await counters.read(budgetCounter('bud_all', month))).toEqual({ committed: 30_000, settled: 30_000 });
    // Fallback served `cheap`: the `dear` budget is released and charged nothing.
    expect(await counters.read(budgetCounter('bud_dear', month))).toEqual({ committed: 0, settled: 0 });
  });

  it('releases the other budgets\' reservations when one refuses', async () => {
    const { stage, counters } = setup([budget({ id: 'bud_big', limitUsd: 100 }), budget({ id: 'bud_key', scope: 'key', scopeId: 'key_1', limitUsd: PER_CALL_USD / 2 })]);
    await expect(stage.admit(stageInput(capped))).rejects.toThrow("key 'key_1' budget bud_key");
    await new Promise((resolve) => setImmediate(resolve));
    expect(await counters.read(budgetCounter('bud_big', periodOf('monthly', NOW)))).toEqual({ committed: 0, settled: 0 });
  });

  it('records each alert threshold once per period, however many settles cross it together', async () => {
    const shared = setup([budget({ limitUsd: 1 })]);
    // A second instance over the same stores: the store, not the process, makes an alert unique.
    const other = createBudgetStage({
      policies: createPolicyCache(shared.policies, { ttlMs: 5_000 }), counters: shared.counters, alerts: shared.alerts, config,
      logger: silentLogger, now: () => NOW,
    });
    const admissions = await Promise.all(Array.from({ length: 100 }, (_, index) => (index % 2 === 0 ? shared.stage : other).admit(stageInput({ canonical: { maxTokens: 1 } }))));
    await settleAll(admissions, settlement(0.0095, 'cheap'));
    const alerts = await shared.alerts.listAlerts();
    expect(alerts.map((alert) => alert.threshold).sort()).toEqual([0.5, 0.8]);
    expect(alerts[0]).toMatchObject({ budgetId: 'bud_team', periodKey: '2026-12', limitUsd: 1, scope: 'team', scopeId: 'team_1' });
    expect(shared.warnings.filter((message) => message === 'budget alert').length).toBeLessThanOrEqual(2);
  });

  it('retries an alert whose write failed on a later settle, and never fails the settlement for it', async () => {
    const { policies, counters, alerts } = setup([budget({ limitUsd: 1, alertThresholds: [0.5] })]);
    let failures = 1;
    const flaky: BudgetAlertStore = { ...alerts, async recordAlert(alert) {
      if (failures-- > 0) throw new Error('store down');
      return alerts.recordAlert(alert);
    } };
    const stage = createBudgetStage({ policies: createPolicyCache(policies, { ttlMs: 5_000 }), counters, alerts: flaky, config, logger: silentLogger, now: () => NOW });
    const first = await stage.admit(stageInput({ canonical: { maxTokens: 1 } }));
    await settleAll([first], settlement(0.6, 'cheap'));
    expect(await alerts.listAlerts()).toEqual([]);
    const second = await stage.admit(stageInput({ canonical: { maxTokens: 1 } }));
    await settleAll([second], settlement(0.01, 'cheap'));
    expect(await alerts.listAlerts()).toEqual([expect.objectContaining({ threshold: 0.5, spentUsd: 0.61 })]);
  });

  it('admits without any counter call when no budget applies', async () => {
    const counters = createMemoryCounters();
    const { stage } = setup([], counters);
    expect(await stage.admit(stageInput())).toEqual({});
    expect(counters.calls.count).toBe(0);
  });
});
