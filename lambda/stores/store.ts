/**
 * Narrow store interfaces. The gateway and admin API depend on these only; the DynamoDB
 * implementation serves AWS and, through an embedded DynamoDB-compatible server, local mode.
 */

export interface Team {
  readonly id: string;
  readonly name: string;
  readonly createdAt: string;
  /** Glob patterns of public model names the team's keys may use; absent = all. A key needs its team's and its own allow-list. */
  readonly models?: readonly string[];
}

/** A person, belonging to one team; keys may be owned by a user or by a team (services, pipelines). */
export interface User {
  readonly id: string;
  readonly teamId: string;
  /** Unique across users, compared case-insensitively. */
  readonly email?: string;
  readonly name?: string;
  readonly createdAt: string;
}

/** A gateway key as stored: never the secret, only its SHA-256 hash (hex). */
export interface GatewayKeyRecord {
  readonly id: string;
  readonly secretHash: string;
  readonly teamId: string;
  /** The owning user's id; absent for a team-owned key (services and pipelines). */
  readonly user?: string;
  readonly name?: string;
  /** Free-form labels (`env: prod`), for people and reports; never used for access. */
  readonly tags?: Readonly<Record<string, string>>;
  /** Glob patterns (`*` wildcard) of public model names the key may use; empty or absent = all. */
  readonly models?: readonly string[];
  readonly createdAt: string;
  readonly expiresAt?: string;
  readonly revokedAt?: string;
  /** Set by rotation: the secret before the last rotation keeps working until `previousSecretExpiresAt`. */
  readonly previousSecretHash?: string;
  readonly previousSecretExpiresAt?: string;
  readonly rotatedAt?: string;
}

/** What a rotation writes: the new secret's hash, and the old one's grace period. */
export interface KeyRotation {
  readonly secretHash: string;
  readonly previousSecretHash: string;
  readonly previousSecretExpiresAt: string;
  readonly rotatedAt: string;
}

export type UsageStatus = 'ok' | 'client_aborted' | 'upstream_error' | 'error';

/** One record per request that reached the provider stage (and for rejected requests where a key was known). */
export interface UsageRecord {
  readonly requestId: string;
  /** ISO-8601 time the request arrived. */
  readonly time: string;
  readonly keyId: string;
  readonly teamId: string;
  readonly user?: string;
  /** The model name the caller asked for (public name or alias). */
  readonly requestedModel: string;
  readonly provider?: string;
  readonly providerModel?: string;
  readonly operation: string;
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly cachedTokens: number;
  /** Prompt tokens written to the provider's cache (Anthropic); 0 for providers without, and for records older than the field. */
  readonly cacheWriteTokens: number;
  readonly reasoningTokens: number;
  /** True when tokens were estimated because the provider reported none (e.g. an aborted stream). */
  readonly usageEstimated: boolean;
  readonly costUsd: number;
  readonly latencyMs: number;
  /** Milliseconds to the first body byte (streams: the first event) sent to the client. */
  readonly ttftMs?: number;
  readonly httpStatus: number;
  readonly status: UsageStatus;
  readonly streamed: boolean;
  readonly userAgent?: string;
  readonly errorCode?: string;
}

export interface UsageQuery {
  /** Inclusive ISO time. */
  readonly from: string;
  /** Exclusive ISO time. */
  readonly to: string;
  readonly teamId?: string;
  /** The owning user's id. */
  readonly user?: string;
  readonly keyId?: string;
  /** The model name the caller asked for. */
  readonly model?: string;
  readonly provider?: string;
  /** Most records returned (one page). */
  readonly limit?: number;
  /** From a previous page's `nextCursor`: records continue after it. */
  readonly cursor?: string;
}

export interface UsagePage {
  /** Newest first. */
  readonly records: readonly UsageRecord[];
  /** Present when more records match: pass it as `cursor` for the next page. */
  readonly nextCursor?: string;
}

export type UsageGroupField = 'team' | 'user' | 'key' | 'model' | 'day' | 'provider';

export interface UsageAggregateRow {
  readonly team?: string;
  readonly user?: string;
  readonly key?: string;
  readonly model?: string;
  readonly day?: string;
  readonly provider?: string;
  readonly requests: number;
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly cachedTokens: number;
  readonly cacheWriteTokens: number;
  readonly reasoningTokens: number;
  readonly costUsd: number;
}

export interface KeyStore {
  getKey(id: string): Promise<GatewayKeyRecord | undefined>;
  putKey(record: GatewayKeyRecord): Promise<void>;
  /** Sets revokedAt; returns the updated record, or undefined when no such key exists. */
  revokeKey(id: string, revokedAt: string): Promise<GatewayKeyRecord | undefined>;
  /**
   * Replaces the secret of a key that is not revoked (conditional in the store, so a rotation never
   * revives a revoked key); returns the updated record, or undefined when no such active key exists,
   * or when its secret is no longer `rotation.previousSecretHash` (a concurrent rotation won).
   */
  rotateKey(id: string, rotation: KeyRotation): Promise<GatewayKeyRecord | undefined>;
  /** A team's keys, or every key; `user` narrows to one owner. */
  listKeys(teamId?: string, user?: string): Promise<GatewayKeyRecord[]>;
}

export interface UserStore {
  /** Throws ConflictError when the email is taken (case-insensitively) or the id exists. */
  createUser(user: User): Promise<void>;
  getUser(id: string): Promise<User | undefined>;
  getUserByEmail(email: string): Promise<User | undefined>;
  listUsers(teamId?: string): Promise<User[]>;
}

export interface TeamStore {
  /** Throws ConflictError when the name is taken. */
  createTeam(team: Team): Promise<void>;
  getTeam(id: string): Promise<Team | undefined>;
  /** The team with this name, compared case-insensitively: names are unique regardless of case. */
  getTeamByName(name: string): Promise<Team | undefined>;
  listTeams(): Promise<Team[]>;
  /** Sets (or, with undefined, clears) the team's model allow-list; returns the updated team, undefined when none. */
  setTeamModels(id: string, models: readonly string[] | undefined): Promise<Team | undefined>;
}

export interface UsageStore {
  /**
   * Writes several records in as few calls as the store allows (DynamoDB: 25 per BatchWriteItem).
   * One record that cannot be stored never stops the others: it is dropped, the rest are written,
   * and the call then rejects naming the dropped records' request ids.
   */
  putUsages(records: readonly UsageRecord[]): Promise<void>;
  /** Records in [from, to) matching every given filter (exact), newest first, up to `limit` (default 1000, at most 10000) a page. */
  queryUsage(query: UsageQuery): Promise<UsagePage>;
  /**
   * Sums over [from, to) grouped by the fields, equal to summing the matching records; whole UTC days
   * are read from the roll-ups written with the records, only partial days at the edges from records.
   */
  aggregateUsage(query: UsageQuery, groupBy: readonly UsageGroupField[]): Promise<UsageAggregateRow[]>;
}

export interface GatewayStores {
  readonly keys: KeyStore;
  readonly teams: TeamStore;
  readonly users: UserStore;
  readonly usage: UsageStore;
  readonly policies: PolicyStore;
  readonly counters: CounterStore;
  readonly alerts: BudgetAlertStore;
  readonly audit: AuditStore;
}

// ---- Governance: budgets, rate limits, counters, alerts, audit -------------------------------------

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

/** Everything that limits one scope: read in one store call and cached like keys. */
export interface Policy {
  readonly budgets: readonly Budget[];
  readonly rateLimits?: RateLimits;
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
  /** The budgets and rate limits of one scope, in one store call. */
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
