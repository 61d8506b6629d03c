import type { Budget, BudgetAlert, BudgetAlertStore, LimitScope, PiiPolicy, PolicyStore, RateLimits } from '../../lambda/stores/store';

/** Budgets, rate limits and data-protection rules in memory. */
export function createMemoryPolicies(): PolicyStore & { readonly lookups: { count: number } } {
  const budgets = new Map<string, Budget>();
  const limits = new Map<string, RateLimits>();
  const piiPolicies = new Map<string, PiiPolicy>();
  const lookups = { count: 0 };
  const scopeKey = (scope: LimitScope, scopeId: string): string => `${scope}#${scopeId}`;
  return {
    lookups,
    async putBudget(budget) {
      budgets.set(budget.id, budget);
    },
    async getBudget(id) {
      return budgets.get(id);
    },
    async deleteBudget(id) {
      const budget = budgets.get(id);
      budgets.delete(id);
      return budget;
    },
    async listBudgets(filter = {}) {
      // Ordered by id, like the DynamoDB index.
      return [...budgets.values()].filter((budget) =>
        (filter.scope === undefined || budget.scope === filter.scope) && (filter.scopeId === undefined || budget.scopeId === filter.scopeId))
        .sort((a, b) => a.id.localeCompare(b.id));
    },
    async putRateLimits(rateLimits) {
      limits.set(scopeKey(rateLimits.scope, rateLimits.scopeId), rateLimits);
    },
    async deleteRateLimits(scope, scopeId) {
      const existing = limits.get(scopeKey(scope, scopeId));
      limits.delete(scopeKey(scope, scopeId));
      return existing;
    },
    async listRateLimits() {
      return [...limits.values()].sort((a, b) => scopeKey(a.scope, a.scopeId).localeCompare(scopeKey(b.scope, b.scopeId)));
    },
    async putPiiPolicy(policy) {
      // A copy, like a stored item: a caller mutating its object afterwards changes nothing here.
      piiPolicies.set(scopeKey(policy.scope, policy.scopeId), { ...policy, rules: copyRules(policy.rules) });
    },
    async deletePiiPolicy(scope, scopeId) {
      const existing = piiPolicies.get(scopeKey(scope, scopeId));
      piiPolicies.delete(scopeKey(scope, scopeId));
      return existing;
    },
    async listPiiPolicies() {
      return [...piiPolicies.values()].sort((a, b) => scopeKey(a.scope, a.scopeId).localeCompare(scopeKey(b.scope, b.scopeId)));
    },
    async policyOf(scope, scopeId) {
      lookups.count += 1;
      const rateLimits = limits.get(scopeKey(scope, scopeId));
      const pii = piiPolicies.get(scopeKey(scope, scopeId));
      return {
        budgets: [...budgets.values()].filter((budget) => budget.scope === scope && budget.scopeId === scopeId).sort((a, b) => a.id.localeCompare(b.id)),
        ...(rateLimits === undefined ? {} : { rateLimits }),
        ...(pii === undefined ? {} : { pii }),
      };
    },
  };
}

/** Rules as the DynamoDB item keeps them: `restore` only when true. */
function copyRules(rules: PiiPolicy['rules']): PiiPolicy['rules'] {
  return Object.fromEntries(Object.entries(rules).map(([type, rule]) => [type, rule.restore === true ? { action: rule.action, restore: true } : { action: rule.action }]));
}

/** Budget alerts in memory: one per budget, period and threshold. */
export function createMemoryAlerts(): BudgetAlertStore {
  const alerts = new Map<string, BudgetAlert>();
  return {
    async recordAlert(alert) {
      const key = `${alert.budgetId}#${alert.periodKey}#${alert.threshold}`;
      if (alerts.has(key)) return false;
      alerts.set(key, alert);
      return true;
    },
    async listAlerts(query = {}) {
      return [...alerts.values()]
        .filter((alert) => (query.budgetId === undefined || alert.budgetId === query.budgetId)
          && (query.from === undefined || alert.time >= query.from) && (query.to === undefined || alert.time < query.to))
        .sort((a, b) => b.time.localeCompare(a.time))
        .slice(0, query.limit ?? 100);
    },
  };
}
