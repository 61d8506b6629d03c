/**
 * Request and response shapes of the admin API's budgets, rate limits, data-protection policies and
 * budget alerts: the routes
 * produce them and the CLI consumes them, so both compile against this one file. Plain data only.
 */
import type { Budget, BudgetAlert, BudgetPeriod, LimitScope, PiiAction, PiiPolicy, PiiRule, RateLimits } from '../../stores/store';

export type { BudgetAlert, BudgetPeriod, LimitScope, PiiAction, PiiPolicy, PiiRule };

/** POST /admin/v1/budgets */
export type CreateBudgetRequest = Pick<Budget, 'scope' | 'limitUsd' | 'period' | 'models' | 'alertThresholds' | 'shards'> & {
  /** A team id or name, a user id or email, or a key id (limitUsd: more than 0, at most 9,000,000; shards 1 to 64). */
  readonly id: string;
};

/** Where a budget stands in its current period (lambda/governance/budget-view.ts computes it). */
export interface BudgetPeriodState {
  /** `2026-12`, `2026-W49`, `2026-12-02` or `lifetime`. */
  readonly periodKey: string;
  /** Spend of requests that have ended. */
  readonly spentUsd: number;
  /** Held by requests still running (their upper bound). */
  readonly reservedUsd: number;
  /** ISO time the period ends; absent for a lifetime budget. */
  readonly resetsAt?: string;
}

/** A budget as GET/POST /admin/v1/budgets answer it: defaults filled in, and its current period's state. */
export type BudgetView = Omit<Budget, 'alertThresholds' | 'shards'> & {
  readonly object: 'budget';
  readonly alertThresholds: readonly number[];
  readonly shards: number;
  readonly current: BudgetPeriodState;
};

export interface BudgetList {
  readonly object: 'list';
  readonly data: readonly BudgetView[];
}

/** PUT /admin/v1/limits/{scope}/{id}: replaces the scope's limits (at least one; a field left out is unlimited; shards 1 to 64). */
export type PutRateLimitsRequest = Pick<RateLimits, 'requestsPerMinute' | 'tokensPerMinute' | 'concurrentRequests' | 'shards'>;

/** A scope's rate limits as the limits routes answer them. */
export type RateLimitsView = RateLimits & { readonly object: 'rate_limits' };

export interface RateLimitsList {
  readonly object: 'list';
  readonly data: readonly RateLimitsView[];
}

/**
 * PUT /admin/v1/pii/{scope}/{id}: replaces the scope's data-protection rules (at least one). Per type
 * name (a built-in type, a managed one, a custom pattern's name, or `*` for every other type): a rule,
 * or its action alone (`"email": "redact"`). `restore` only with `redact`.
 */
export interface PutPiiPolicyRequest {
  readonly rules: Readonly<Record<string, PiiRule | PiiAction>>;
}

/** A scope's data-protection rules as the pii routes answer them. */
export type PiiPolicyView = PiiPolicy & { readonly object: 'pii_policy' };

/** GET /admin/v1/pii: the configuration's rules, what may be overridden, and every override. */
export interface PiiPolicyList {
  readonly object: 'pii_policies';
  /** The rules that apply where no team, user or key overrides them: built-in defaults with the configuration's rules over them. */
  readonly defaults: Readonly<Record<string, PiiRule>>;
  /** Every type name a rule may name, `*` last. */
  readonly types: readonly string[];
  /** Ordered by scope, then id. */
  readonly policies: readonly PiiPolicyView[];
}

/** GET /admin/v1/budget-alerts?budget&from&to&limit: newest first. */
export interface BudgetAlertList {
  readonly object: 'list';
  readonly data: readonly BudgetAlert[];
}

export const LIMIT_SCOPES: readonly LimitScope[] = ['team', 'user', 'key'];
export const PII_ACTIONS: readonly PiiAction[] = ['off', 'log', 'redact', 'block'];
export const BUDGET_PERIODS: readonly BudgetPeriod[] = ['daily', 'weekly', 'monthly', 'lifetime'];
export const MAX_BUDGET_USD = 9_000_000;
export const MAX_COUNTER_SHARDS = 64;
