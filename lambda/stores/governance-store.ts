/**
 * Store interfaces of governance: budgets and rate limits, the counters that enforce them, budget
 * alerts and the admin audit trail. Re-exported by store.ts, where GatewayStores gathers every store.
 */

export type LimitScope = 'team' | 'user' | 'key';
export type BudgetPeriod = 'daily' | 'weekly' | 'monthly' | 'lifetime';

/** A USD limit on a team, a user or a key over a UTC period, optionally only for some models. */
export interface Budget {
  readonly id: string;
  readonly scope: LimitScope;
  /** The team, user or key id. */
  readonly scopeId: string;
  readonly limitUsd: number;
  readonly period: BudgetPeriod;
  /** Glob patterns of public model names the budget covers; absent = every model. */
  readonly models?: readonly string[];
  /** Fractions of the limit at which one alert per period is recorded. @default [0.5, 0.8, 1] */
  readonly alertThresholds?: readonly number[];
  /** Counter items the budget is spread over; raise for a hot team (README: the scaling arithmetic). @default 1 */
  readonly shards?: number;
  readonly createdAt: string;
}

/** Per-minute and concurrency limits of one team, user or key. Absent fields are unlimited. */
export interface RateLimits {
  readonly scope: LimitScope;
  readonly scopeId: string;
  readonly requestsPerMinute?: number;
  readonly tokensPerMinute?: number;
  readonly concurrentRequests?: number;
  /** Counter items per window; raise for a hot team. @default 1 */
  readonly shards?: number;
  readonly updatedAt: string;
}

/** What data protection does with a type of personal data or secret found in a request. */
export type PiiAction = 'off' | 'log' | 'redact' | 'block';

export interface PiiRule {
  readonly action: PiiAction;
  /**
   * With `redact`: the originals are put back into the answer the caller sees (streams included), so
   * the provider never sees the value and the caller never notices. @default false
   */
  readonly restore?: boolean;
}

/**
 * Data-protection rules of one team, user or key, layered over the configuration's: per type, the most
 * specific scope with a rule wins (key, then user, then team, then configuration, then built-in).
 */
export interface PiiPolicy {
  readonly scope: LimitScope;
  readonly scopeId: string;
  /** Rules per type name (`email`, a custom pattern's name, ...) and `*` for every other type. */
  readonly rules: Readonly<Record<string, PiiRule>>;
  readonly updatedAt: string;
}

/** Everything that governs one scope: read in one store call and cached like keys. */
export interface Policy {
  readonly budgets: readonly Budget[];
  readonly rateLimits?: RateLimits;
  readonly pii?: PiiPolicy;
}

export interface BudgetFilter {
  readonly scope?: LimitScope;
  readonly scopeId?: string;
}

export interface PolicyStore {
  putBudget(budget: Budget): Promise<void>;
  getBudget(id: string): Promise<Budget | undefined>;
  /** Returns the deleted budget, or undefined when none had this id. */
  deleteBudget(id: string): Promise<Budget | undefined>;
  listBudgets(filter?: BudgetFilter): Promise<Budget[]>;
  /** Replaces the scope's rate limits. */
  putRateLimits(limits: RateLimits): Promise<void>;
  deleteRateLimits(scope: LimitScope, scopeId: string): Promise<RateLimits | undefined>;
  listRateLimits(): Promise<RateLimits[]>;
  /** Replaces the scope's data-protection rules. */
  putPiiPolicy(policy: PiiPolicy): Promise<void>;
  deletePiiPolicy(scope: LimitScope, scopeId: string): Promise<PiiPolicy | undefined>;
  listPiiPolicies(): Promise<PiiPolicy[]>;
  /** The budgets, rate limits and data-protection rules of one scope, in one store call. */
  policyOf(scope: LimitScope, scopeId: string): Promise<Policy>;
}

/**
 * Counters hold integers (budgets count nano-USD, so a budget holds at most ~$9M exactly; windows
 * count requests or tokens). `committed` = settled amounts + open reservations; `settled` = amounts
 * whose request has ended.
 */
export interface CounterState {
  readonly committed: number;
  readonly settled: number;
}

export interface ReserveRequest {
  /** Names one counter, e.g. `budget#<id>#2026-12` or `tpm#key#<id>#<minute>`. */
  readonly counter: string;
  /** A non-negative integer. */
  readonly amount: number;
  /** `committed` may never exceed it: the reservation is refused instead. */
  readonly limit: number;
  /** Items the counter is spread over (a shard is picked at random; a refused shard sends the request to the roomiest). @default 1 */
  readonly shards?: number;
  readonly nowMs: number;
  /** When the counter's items may be deleted (epoch ms): its window or period end plus any retention. */
  readonly expiresAtMs: number;
  /**
   * false: a plain conditional add that is never settled (requests per minute); no reservation
   * is kept and nothing expires. @default true
   */
  readonly settles?: boolean;
}

/** An open reservation; its owner settles it exactly once. */
export interface Reservation {
  readonly counter: string;
  readonly shard: number;
  readonly amount: number;
  /** Which expiry bucket holds it (the minute it was made in). */
  readonly bucket: string;
}

export type ReserveOutcome =
  /** `state` is the admitting shard's: the whole counter only when shards = 1 (the success path reads one item); read() sums. */
  | { readonly admitted: true; readonly reservation: Reservation; readonly state: CounterState }
  /** `state` is the counter as the refusal saw it (summed over shards when the store read them all). */
  | { readonly admitted: false; readonly state: CounterState };

export interface CounterStore {
  /** Adds `amount` unless `committed` would exceed `limit`, atomically however many callers race. */
  reserve(request: ReserveRequest): Promise<ReserveOutcome>;
  /**
   * Ends a reservation: `committed` moves by (actual - reserved), `settled` by actual. A reservation
   * older than the store's reservation lifetime may already have been released as abandoned (a crashed
   * instance); settling it then adds `actual` to both, so nothing is released or charged twice.
   */
  settle(reservation: Reservation, actual: number, nowMs: number): Promise<CounterState>;
  /**
   * Settles part of a reservation that stays open: `used` (≤ its amount) moves to `settled`, `committed`
   * is unchanged, and the reservation that remains (amount − used) is returned. A lease checkpoints its
   * spending this way, so an instance that vanishes leaves behind only the unspent rest to be released.
   */
  commit(reservation: Reservation, used: number, nowMs: number): Promise<Reservation>;
  /** The counter summed over its shards; zeros when it does not exist. */
  read(counter: string, shards?: number): Promise<CounterState>;
  /**
   * Admits at once, without a store call, when this instance holds room for it (a lease); undefined when
   * only `reserve` can answer. Lets a request whose dozen counters are all leased skip a dozen promises.
   */
  admitLocally?(request: ReserveRequest): Extract<ReserveOutcome, { readonly admitted: true }> | undefined;
}

/** One soft threshold crossed by one budget in one period: recorded once, whatever the concurrency. */
export interface BudgetAlert {
  readonly budgetId: string;
  readonly scope: LimitScope;
  readonly scopeId: string;
  readonly period: BudgetPeriod;
  /** `2026-12`, `2026-W49`, `2026-12-02` or `lifetime`. */
  readonly periodKey: string;
  readonly threshold: number;
  readonly limitUsd: number;
  readonly spentUsd: number;
  readonly time: string;
}

export interface BudgetAlertQuery {
  readonly budgetId?: string;
  /** Inclusive ISO time. */
  readonly from?: string;
  /** Exclusive ISO time. */
  readonly to?: string;
  readonly limit?: number;
}

export interface BudgetAlertStore {
  /** Stores the alert unless one exists for its budget, period and threshold; true when this call stored it. */
  recordAlert(alert: BudgetAlert): Promise<boolean>;
  /** Newest first. */
  listAlerts(query?: BudgetAlertQuery): Promise<BudgetAlert[]>;
}

/** One admin change: who did what to which entity, when, and the entity before and after (never a secret). */
export interface AuditEntry {
  readonly id: string;
  readonly time: string;
  /** The admin identity: an IAM principal ARN on AWS, `admin-token` locally. */
  readonly actor: string;
  /** `team.create`, `key.rotate`, `budget.delete`, ... */
  readonly action: string;
  /** `<kind>:<id>`, e.g. `key:AbC123xyz789`. */
  readonly target: string;
  readonly before?: Readonly<Record<string, unknown>>;
  readonly after?: Readonly<Record<string, unknown>>;
}

export interface AuditQuery {
  readonly from: string;
  readonly to: string;
  /** Exact `<kind>:<id>`. */
  readonly target?: string;
  readonly limit?: number;
  /** From a previous page's `nextCursor`. */
  readonly cursor?: string;
}

export interface AuditPage {
  /** Newest first. */
  readonly entries: readonly AuditEntry[];
  readonly nextCursor?: string;
}

export interface AuditStore {
  appendAudit(entry: AuditEntry): Promise<void>;
  listAudit(query: AuditQuery): Promise<AuditPage>;
}
