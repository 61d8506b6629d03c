import { randomUUID } from 'node:crypto';
import { parseJsonBody } from '../../api/request-body';
import type { Route, RouteHandler } from '../../api/route-table';
import { InvalidRequestError, NotFoundError } from '../../errors/gateway-error';
import { DEFAULT_ALERT_THRESHOLDS } from '../../governance/budget-alerts';
import { budgetPeriodState } from '../../governance/budget-view';
import type { Budget, BudgetFilter, BudgetPeriod, CounterStore, GatewayStores, LimitScope } from '../../stores/store';
import { json, type AdminContext } from '../admin-context';
import { optionalStringList, requiredString } from '../admin-input';
import { BUDGET_PERIODS, LIMIT_SCOPES, MAX_BUDGET_USD, MAX_COUNTER_SHARDS, type BudgetList, type BudgetView } from '../api-types/governance';
import { createTeamLookup } from '../team-lookup';

// ---- Input validation shared with limits.ts: every message names the field -------------------------

const invalid = (field: string, message: string): InvalidRequestError => new InvalidRequestError(message, 'invalid_value', { param: field });

export function parseScope(value: unknown, field = 'scope'): LimitScope {
  if (typeof value !== 'string' || !LIMIT_SCOPES.includes(value as LimitScope)) throw invalid(field, `'${field}' must be one of: ${LIMIT_SCOPES.join(', ')}.`);
  return value as LimitScope;
}

export function parsePeriod(value: unknown): BudgetPeriod {
  if (typeof value !== 'string' || !BUDGET_PERIODS.includes(value as BudgetPeriod)) throw invalid('period', `'period' must be one of: ${BUDGET_PERIODS.join(', ')}.`);
  return value as BudgetPeriod;
}

export function parseLimitUsd(value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0 || value > MAX_BUDGET_USD) {
    throw invalid('limitUsd', `'limitUsd' must be a number above 0 and at most ${MAX_BUDGET_USD}.`);
  }
  return value;
}

/** A positive integer up to `max`, or undefined when absent. */
export function optionalPositiveInt(body: Readonly<Record<string, unknown>>, field: string, max = Number.MAX_SAFE_INTEGER): number | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > max) throw invalid(field, `'${field}' must be an integer from 1 to ${max}.`);
  return value;
}

export function optionalShards(body: Readonly<Record<string, unknown>>): number | undefined {
  return optionalPositiveInt(body, 'shards', MAX_COUNTER_SHARDS);
}

/** Fractions in (0, 1], returned sorted; duplicates are refused rather than silently merged. */
export function optionalThresholds(body: Readonly<Record<string, unknown>>): number[] | undefined {
  const value = body.alertThresholds;
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || value.length > 10 || !value.every((item) => typeof item === 'number' && item > 0 && item <= 1)) {
    throw invalid('alertThresholds', "'alertThresholds' must be at most 10 numbers above 0 and at most 1.");
  }
  const sorted = [...(value as number[])].sort((a, b) => a - b);
  if (new Set(sorted).size !== sorted.length) throw invalid('alertThresholds', "'alertThresholds' must not repeat a value.");
  return sorted;
}

/** The id a reference names: a team by id or name, a user by id or email, a key by id. 404 when none. */
export async function resolveScopeId(stores: GatewayStores, scope: LimitScope, reference: string, param: string): Promise<string> {
  const trimmed = reference.trim();
  const shown = trimmed.slice(0, 128);
  switch (scope) {
    case 'team':
      return (await createTeamLookup(stores.teams).resolve(trimmed, param)).id;
    case 'user': {
      const user = (await stores.users.getUser(trimmed)) ?? (trimmed.includes('@') ? await stores.users.getUserByEmail(trimmed) : undefined);
      if (user === undefined) throw new NotFoundError(`No user with id or email '${shown}'.`, 'user_not_found', { param });
      return user.id;
    }
    case 'key': {
      const key = await stores.keys.getKey(trimmed);
      if (key === undefined) throw new NotFoundError(`No key '${shown}'.`, 'key_not_found', { param });
      return key.id;
    }
  }
}

// ---- Routes -------------------------------------------------------------------------------------------

async function budgetView(budget: Budget, counters: CounterStore, nowMs: number): Promise<BudgetView> {
  return {
    object: 'budget', id: budget.id, scope: budget.scope, scopeId: budget.scopeId, limitUsd: budget.limitUsd, period: budget.period,
    ...(budget.models === undefined ? {} : { models: budget.models }),
    alertThresholds: budget.alertThresholds ?? DEFAULT_ALERT_THRESHOLDS, shards: budget.shards ?? 1, createdAt: budget.createdAt,
    current: await budgetPeriodState(budget, counters, nowMs),
  };
}

/** /admin/v1/budgets: USD limits on a team, user or key per period, with their current spend. */
export function budgetRoutes(context: AdminContext): Route[] {
  const { stores } = context;

  const createBudget: RouteHandler = async (request) => {
    const body = parseJsonBody(request.headers, request.body);
    const scope = parseScope(body.scope);
    const reference = requiredString(body, 'id');
    const limitUsd = parseLimitUsd(body.limitUsd);
    const period = parsePeriod(body.period);
    const models = optionalStringList(body, 'models');
    const alertThresholds = optionalThresholds(body);
    const shards = optionalShards(body);
    // Validated fields first: a malformed request costs no store read.
    const scopeId = await resolveScopeId(stores, scope, reference, 'id');
    const budget: Budget = {
      id: `bud_${randomUUID().replaceAll('-', '').slice(0, 16)}`, scope, scopeId, limitUsd, period,
      ...(models === undefined || models.length === 0 ? {} : { models }),
      ...(alertThresholds === undefined ? {} : { alertThresholds }),
      ...(shards === undefined ? {} : { shards }),
      createdAt: new Date(context.now()).toISOString(),
    };
    await stores.policies.putBudget(budget);
    await context.audit(request, { action: 'budget.create', target: `budget:${budget.id}`, after: { ...budget } });
    context.policyChanged?.(scope, scopeId);
    context.logger.info('admin: budget created', { budgetId: budget.id, scope, scopeId, limitUsd, period });
    return json(201, await budgetView(budget, stores.counters, context.now()));
  };

  const listBudgets: RouteHandler = async (request) => {
    const scopeText = request.query.get('scope');
    const reference = request.query.get('id');
    if (scopeText === null && reference !== null) throw new InvalidRequestError("'id' needs 'scope' (team, user or key).", 'invalid_value', { param: 'id' });
    const scope = scopeText === null ? undefined : parseScope(scopeText);
    const filter: BudgetFilter = {
      ...(scope === undefined ? {} : { scope }),
      ...(scope === undefined || reference === null ? {} : { scopeId: await resolveScopeId(stores, scope, reference, 'id') }),
    };
    const budgets = await stores.policies.listBudgets(filter);
    const now = context.now();
    const list: BudgetList = { object: 'list', data: await Promise.all(budgets.map((budget) => budgetView(budget, stores.counters, now))) };
    return json(200, list);
  };

  const getBudget: RouteHandler = async (_request, _requestId, [id]) => {
    const budget = await stores.policies.getBudget(id ?? '');
    if (budget === undefined) throw new NotFoundError(`No budget '${(id ?? '').slice(0, 128)}'.`, 'budget_not_found');
    return json(200, await budgetView(budget, stores.counters, context.now()));
  };

  const deleteBudget: RouteHandler = async (request, _requestId, [id]) => {
    const budget = await stores.policies.deleteBudget(id ?? '');
    if (budget === undefined) throw new NotFoundError(`No budget '${(id ?? '').slice(0, 128)}'.`, 'budget_not_found');
    await context.audit(request, { action: 'budget.delete', target: `budget:${budget.id}`, before: { ...budget } });
    context.policyChanged?.(budget.scope, budget.scopeId);
    context.logger.info('admin: budget deleted', { budgetId: budget.id, scope: budget.scope, scopeId: budget.scopeId });
    return json(200, { id: budget.id, object: 'budget', deleted: true });
  };

  return [
    { pattern: /^\/admin\/v1\/budgets\/?$/, methods: { POST: createBudget, GET: listBudgets } },
    { pattern: /^\/admin\/v1\/budgets\/([^/]+)$/, methods: { GET: getBudget, DELETE: deleteBudget } },
  ];
}
