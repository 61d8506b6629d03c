import { createAdminContext } from '../../lambda/admin/admin-context';
import { alertRoutes } from '../../lambda/admin/routes/alerts';
import { budgetRoutes } from '../../lambda/admin/routes/budgets';
import { limitRoutes } from '../../lambda/admin/routes/limits';
import { createRoutedApp } from '../../lambda/api/route-table';
import { budgetCounter, periodOf } from '../../lambda/governance/periods';
import type { HttpApp } from '../../lambda/http/types';
import { silentLogger } from '../../lambda/logging/logger';
import type { GatewayStores } from '../../lambda/stores/store';
import { createMemoryCounters } from '../support/memory-counters';
import { createMemoryAudit, createMemoryKeys, createMemoryTeams, createMemoryUsers } from '../support/memory-entities';
import { createMemoryAlerts, createMemoryPolicies } from '../support/memory-governance';
import { createMemoryUsage } from '../support/memory-usage';
import { config, NOW } from './governance-fixture';

interface Harness {
  readonly app: HttpApp;
  readonly stores: GatewayStores;
  readonly changed: string[];
}

async function harness(): Promise<Harness> {
  const stores: GatewayStores = {
    keys: createMemoryKeys({ keyLookups: 0 }), teams: createMemoryTeams(), users: createMemoryUsers(), usage: createMemoryUsage([]),
    policies: createMemoryPolicies(), counters: createMemoryCounters(), alerts: createMemoryAlerts(), audit: createMemoryAudit(),
  };
  await stores.teams.createTeam({ id: 'team_1', name: 'Research', createdAt: '2026-01-01T00:00:00.000Z' });
  await stores.users.createUser({ id: 'user_1', teamId: 'team_1', email: 'Dana@example.com', createdAt: '2026-01-01T00:00:00.000Z' });
  await stores.keys.putKey({ id: 'key_1', secretHash: 'h', teamId: 'team_1', createdAt: '2026-01-01T00:00:00.000Z' });
  const changed: string[] = [];
  const context = createAdminContext({ config, stores, logger: silentLogger, now: () => NOW, policyChanged: (scope, id) => changed.push(`${scope}:${id}`) });
  // The lead adds these modules to ROUTE_MODULES; composed here the same way meanwhile.
  const app = createRoutedApp([...budgetRoutes(context), ...limitRoutes(context), ...alertRoutes(context)], { logger: silentLogger });
  return { app, stores, changed };
}

async function call(app: HttpApp, method: string, pathAndQuery: string, body?: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const url = new URL(`http://admin${pathAndQuery}`);
  const response = await app.handle({
    method, path: url.pathname, query: url.searchParams, headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: new TextEncoder().encode(body === undefined ? '' : JSON.stringify(body)), signal: new AbortController().signal, receivedAt: 0, identity: 'admin-token',
  });
  return { status: response.status, json: JSON.parse(String(response.body)) as Record<string, unknown> };
}

const errorOf = (json: Record<string, unknown>): { code?: string; param?: string; message?: string } => json.error as { code?: string; param?: string };

describe('admin API: budgets', () => {
  it('creates a budget on a team given by name, shows its period, audits it and tells the caches', async () => {
    const { app, stores, changed } = await harness();
    const created = await call(app, 'POST', '/admin/v1/budgets', { scope: 'team', id: 'research', limitUsd: 200, period: 'monthly', models: ['gpt-4o*'], alertThresholds: [0.9, 0.5] });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({
      object: 'budget', scope: 'team', scopeId: 'team_1', limitUsd: 200, period: 'monthly', models: ['gpt-4o*'], alertThresholds: [0.5, 0.9], shards: 1,
      current: { periodKey: '2026-12', spentUsd: 0, reservedUsd: 0, resetsAt: '2027-01-01T00:00:00.000Z' },
    });
    const id = String(created.json.id);
    expect(changed).toEqual(['team:team_1']);
    const audit = await stores.audit.listAudit({ from: '2026-01-01T00:00:00.000Z', to: '2027-01-01T00:00:00.000Z' });
    expect(audit.entries[0]).toMatchObject({ actor: 'admin-token', action: 'budget.create', target: `budget:${id}`, after: { limitUsd: 200 } });

    // Spend and open reservations show in the current period.
    const counter = budgetCounter(id, periodOf('monthly', NOW));
    const outcome = await stores.counters.reserve({ counter, amount: 3_000_000_000, limit: 200e9, nowMs: NOW, expiresAtMs: NOW + 1e9 });
    if (outcome.admitted) await stores.counters.settle(outcome.reservation, 1_250_000_000, NOW);
    await stores.counters.reserve({ counter, amount: 500_000_000, limit: 200e9, nowMs: NOW, expiresAtMs: NOW + 1e9 });
    expect((await call(app, 'GET', `/admin/v1/budgets/${id}`)).json).toMatchObject({ current: { spentUsd: 1.25, reservedUsd: 0.5 } });

    const deleted = await call(app, 'DELETE', `/admin/v1/budgets/${id}`);
    expect(deleted).toEqual({ status: 200, json: { id, object: 'budget', deleted: true } });
    expect((await call(app, 'GET', `/admin/v1/budgets/${id}`)).status).toBe(404);
    expect(changed).toEqual(['team:team_1', 'team:team_1']);
  });

  it('lists budgets by scope, with users by email and keys by id', async () => {
    const { app } = await harness();
    await call(app, 'POST', '/admin/v1/budgets', { scope: 'user', id: 'dana@EXAMPLE.com', limitUsd: 5, period: 'daily' });
    await call(app, 'POST', '/admin/v1/budgets', { scope: 'key', id: 'key_1', limitUsd: 1, period: 'lifetime', shards: 4 });
    const all = await call(app, 'GET', '/admin/v1/budgets');
    expect((all.json.data as unknown[]).length).toBe(2);
    const users = await call(app, 'GET', '/admin/v1/budgets?scope=user&id=dana@example.com');
    expect(users.json.data).toEqual([expect.objectContaining({ scopeId: 'user_1', current: expect.objectContaining({ periodKey: '2026-12-02', resetsAt: '2026-12-03T00:00:00.000Z' }) as unknown })]);
    const keys = await call(app, 'GET', '/admin/v1/budgets?scope=key');
    expect(keys.json.data).toEqual([expect.objectContaining({ scopeId: 'key_1', shards: 4, current: { periodKey: 'lifetime', spentUsd: 0, reservedUsd: 0 } })]);
  });

  it.each([
    [{ scope: 'org', id: 'x', limitUsd: 1, period: 'monthly' }, 'scope'],
    [{ scope: 'team', id: 'research', limitUsd: 0, period: 'monthly' }, 'limitUsd'],
    [{ scope: 'team', id: 'research', limitUsd: 1, period: 'yearly' }, 'period'],
    [{ scope: 'team', id: 'research', limitUsd: 1, period: 'monthly', alertThresholds: [0.5, 1.2] }, 'alertThresholds'],
    [{ scope: 'team', id: 'research', limitUsd: 1, period: 'monthly', alertThresholds: [0.5, 0.5] }, 'alertThresholds'],
    [{ scope: 'team', id: 'research', limitUsd: 1, period: 'monthly', shards: 65 }, 'shards'],
  ])('refuses %j naming %s', async (body, param) => {
    const { app } = await harness();
    const response = await call(app, 'POST', '/admin/v1/budgets', body);
    expect(response.status).toBe(400);
    expect(errorOf(response.json)).toMatchObject({ code: 'invalid_value', param });
  });

  it('answers 404 for an unknown team, user or key', async () => {
    const { app } = await harness();
    for (const [scope, code] of [['team', 'team_not_found'], ['user', 'user_not_found'], ['key', 'key_not_found']] as const) {
      const response = await call(app, 'POST', '/admin/v1/budgets', { scope, id: 'nobody@example.com', limitUsd: 1, period: 'monthly' });
      expect({ status: response.status, code: errorOf(response.json).code }).toEqual({ status: 404, code });
    }
  });
});

describe('admin API: rate limits and budget alerts', () => {
  it('sets, replaces, lists and deletes a scope\'s limits, audited before → after', async () => {
    const { app, stores, changed } = await harness();
    expect((await call(app, 'PUT', '/admin/v1/limits/team/Research', { requestsPerMinute: 60 })).json)
      .toEqual({ object: 'rate_limits', scope: 'team', scopeId: 'team_1', requestsPerMinute: 60, updatedAt: new Date(NOW).toISOString() });
    await call(app, 'PUT', '/admin/v1/limits/team/team_1', { tokensPerMinute: 100_000, concurrentRequests: 5 });
    await call(app, 'PUT', '/admin/v1/limits/key/key_1', { requestsPerMinute: 10 });
    expect((await call(app, 'GET', '/admin/v1/limits')).json.data).toEqual([
      expect.objectContaining({ scope: 'key', scopeId: 'key_1', requestsPerMinute: 10 }),
      { object: 'rate_limits', scope: 'team', scopeId: 'team_1', tokensPerMinute: 100_000, concurrentRequests: 5, updatedAt: new Date(NOW).toISOString() },
    ]);
    expect((await call(app, 'GET', '/admin/v1/limits/team/team_1')).json).toMatchObject({ tokensPerMinute: 100_000 });
    const audit = await stores.audit.listAudit({ from: '2026-01-01T00:00:00.000Z', to: '2027-01-01T00:00:00.000Z', target: 'limits:team:team_1' });
    expect(audit.entries.map((entry) => [entry.before?.requestsPerMinute, entry.after?.tokensPerMinute])).toContainEqual([60, 100_000]);
    expect((await call(app, 'DELETE', '/admin/v1/limits/team/team_1')).status).toBe(200);
    expect((await call(app, 'DELETE', '/admin/v1/limits/team/team_1')).status).toBe(404);
    expect(changed).toEqual(['team:team_1', 'team:team_1', 'key:key_1', 'team:team_1']);
  });

  it('refuses limits that are not positive integers, or none at all', async () => {
    const { app } = await harness();
    expect(errorOf((await call(app, 'PUT', '/admin/v1/limits/key/key_1', { requestsPerMinute: 1.5 })).json)).toMatchObject({ param: 'requestsPerMinute' });
    expect(errorOf((await call(app, 'PUT', '/admin/v1/limits/key/key_1', { tokensPerMinute: 0 })).json)).toMatchObject({ param: 'tokensPerMinute' });
    expect((await call(app, 'PUT', '/admin/v1/limits/key/key_1', {})).status).toBe(400);
    expect((await call(app, 'PUT', '/admin/v1/limits/org/x', { requestsPerMinute: 1 })).status).toBe(400);
  });

  it('lists budget alerts newest first, filtered by budget and time', async () => {
    const { app, stores } = await harness();
    const alert = { budgetId: 'bud_1', scope: 'team' as const, scopeId: 'team_1', period: 'monthly' as const, periodKey: '2026-12', limitUsd: 10, spentUsd: 5 };
    await stores.alerts.recordAlert({ ...alert, threshold: 0.5, time: '2026-12-02T01:00:00.000Z' });
    await stores.alerts.recordAlert({ ...alert, threshold: 0.8, time: '2026-12-02T02:00:00.000Z' });
    await stores.alerts.recordAlert({ ...alert, budgetId: 'bud_2', threshold: 0.5, time: '2026-12-02T03:00:00.000Z' });
    const thresholds = async (query: string): Promise<unknown> => ((await call(app, 'GET', `/admin/v1/budget-alerts${query}`)).json.data as { threshold: number; budgetId: string }[]).map((entry) => `${entry.budgetId}@${entry.threshold}`);
    expect(await thresholds('')).toEqual(['bud_2@0.5', 'bud_1@0.8', 'bud_1@0.5']);
    expect(await thresholds('?budget=bud_1&limit=1')).toEqual(['bud_1@0.8']);
    expect(await thresholds('?from=2026-12-02T01:30:00Z&to=2026-12-02T03:00:00Z')).toEqual(['bud_1@0.8']);
    expect((await call(app, 'GET', '/admin/v1/budget-alerts?limit=0')).status).toBe(400);
  });
});
