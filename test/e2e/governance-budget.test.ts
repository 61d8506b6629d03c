import type { Budget, GatewayStores } from '../../lambda/stores/store';
import type { FakeOpenAi } from '../support/fake-openai';
import { seedKey } from '../support/memory-stores';
import { useDynamo } from '../stores/dynamo-fixture';
import { CALL_COST_USD, errorCode, governanceConfig, startInstance, startUpstream, type GatewayInstance } from './governance-support';

/** Budgets through the real HTTP path on the embedded DynamoDB-compatible store (issue 7, item 4). */
// The store starts first and stops last: the gateways' hooks live in the describe block below.
const dynamo = useDynamo();
let upstream: FakeOpenAi;
let clock = Date.parse('2026-12-31T23:59:59.000Z');
let instance: GatewayInstance;
// The stores read with the test's clock too: records are dated by it, and reads look around "now".
const stores = (): GatewayStores => dynamo().storesWith({ now: () => clock });

let teamSeq = 0;
async function teamWithBudget(budget: Partial<Budget> & Pick<Budget, 'limitUsd'>): Promise<{ key: string; budgetId: string }> {
  teamSeq += 1;
  const teamId = `team_budget_${teamSeq}`;
  const budgetId = `bud_e2e_${teamSeq}`;
  await stores().policies.putBudget({
    id: budgetId, scope: 'team', scopeId: teamId, period: 'monthly', createdAt: new Date(clock).toISOString(), ...budget,
  });
  const { key } = await seedKey(stores(), { teamId, user: undefined });
  return { key, budgetId };
}

async function drained<T>(work: Promise<T>): Promise<T> {
  const result = await work;
  await instance.gateway.app.drain();
  return result;
}

async function recordedSpend(teamId: string): Promise<number> {
  await instance.gateway.app.drain();
  const page = await stores().usage.queryUsage({ from: '2026-01-01T00:00:00Z', to: '2028-01-01T00:00:00Z', teamId, limit: 10_000 });
  return page.records.reduce((sum, record) => sum + record.costUsd, 0);
}

describe('budgets on the real HTTP path', () => {
  beforeAll(async () => {
    upstream = await startUpstream();
    instance = await startInstance(stores(), governanceConfig(upstream.baseUrl), () => clock);
  });
  afterAll(async () => {
    await instance.gateway.close();
    await upstream.close();
  });

  it('lets exactly the requests that fit through 50 concurrent streams, and refuses the rest with budget_exceeded', async () => {
    clock = Date.parse('2026-12-15T12:00:00.000Z');
    const { key } = await teamWithBudget({ limitUsd: 10 * CALL_COST_USD });
    const responses = await Promise.all(Array.from({ length: 50 }, async () => {
      const response = await instance.chat(key, 'gpt-cheap', { stream: true });
      const text = await response.text();
      return { status: response.status, text };
    }));
    const ok = responses.filter((response) => response.status === 200);
    const refused = responses.filter((response) => response.status === 429);
    expect(ok).toHaveLength(10);
    expect(refused).toHaveLength(40);
    for (const response of ok) expect(response.text).toContain('data: [DONE]');
    for (const response of refused) expect((JSON.parse(response.text) as { error: { code: string } }).error.code).toBe('budget_exceeded');
    const spend = await recordedSpend(`team_budget_${teamSeq}`);
    expect(spend).toBeCloseTo(10 * CALL_COST_USD, 12);
    expect(spend).toBeLessThanOrEqual(10 * CALL_COST_USD + 1e-12);
  }, 60_000);

  it('names the budget, its limit, its period and its reset, and admits again once the period rolls over', async () => {
    clock = Date.parse('2026-12-31T23:59:58.000Z');
    const { key, budgetId } = await teamWithBudget({ limitUsd: CALL_COST_USD });
    expect((await drained(instance.chat(key, 'gpt-cheap'))).status).toBe(200);
    const refused = await drained(instance.chat(key, 'gpt-cheap'));
    expect(refused.status).toBe(429);
    const body = await refused.json() as { error: { code: string; message: string } };
    expect(body.error.code).toBe('budget_exceeded');
    expect(body.error.message).toContain(budgetId);
    expect(body.error.message).toContain('team');
    expect(body.error.message).toContain('month');
    expect(body.error.message).toContain('2027-01-01T00:00:00.000Z');
    clock = Date.parse('2027-01-01T00:00:00.001Z');
    expect((await drained(instance.chat(key, 'gpt-cheap'))).status).toBe(200);
  }, 30_000);

  it('holds a model-scoped budget only for the models it names', async () => {
    clock = Date.parse('2026-12-10T08:00:00.000Z');
    const { key } = await teamWithBudget({ limitUsd: CALL_COST_USD, models: ['gpt-cheap*'] });
    expect((await drained(instance.chat(key, 'gpt-cheap'))).status).toBe(200);
    const refused = await drained(instance.chat(key, 'gpt-cheap'));
    expect(await errorCode(refused)).toBe('budget_exceeded');
    for (let i = 0; i < 3; i += 1) expect((await drained(instance.chat(key, 'other-model'))).status).toBe(200);
  }, 30_000);

  it('charges the serving model when an alias falls back, after reserving for the dearest', async () => {
    clock = Date.parse('2026-12-11T08:00:00.000Z');
    // Room for one call at the cheap model's price, but not for the broken one's reservation (100×): refused up front.
    const tight = await teamWithBudget({ limitUsd: 2 * CALL_COST_USD });
    expect(await errorCode(await drained(instance.chat(tight.key, 'fallback-to-cheap')))).toBe('budget_exceeded');
    const roomy = await teamWithBudget({ limitUsd: 1 });
    const response = await drained(instance.chat(roomy.key, 'fallback-to-cheap'));
    expect(response.status).toBe(200);
    expect(Number(response.headers.get('x-gatellm-cost-usd'))).toBeCloseTo(CALL_COST_USD, 12);
    expect(await recordedSpend(`team_budget_${teamSeq}`)).toBeCloseTo(CALL_COST_USD, 12);
    const view = await instance.admin('GET', `/budgets/${roomy.budgetId}`);
    expect(view.status).toBe(200);
    const budget = await view.json() as { current: { spentUsd: number } };
    expect(budget.current.spentUsd).toBeCloseTo(CALL_COST_USD, 9);
  }, 30_000);
});
