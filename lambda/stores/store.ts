import type { AuditStore, BudgetAlertStore, CounterStore, PolicyStore } from './governance-store';

export type {
  LimitScope, BudgetPeriod, Budget, RateLimits, PiiAction, PiiRule, PiiPolicy, Policy, BudgetFilter, PolicyStore,
  CounterState, ReserveRequest, Reservation, ReserveOutcome, CounterStore,
  BudgetAlert, BudgetAlertQuery, BudgetAlertStore, AuditEntry, AuditQuery, AuditPage, AuditStore,
} from './governance-store';

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
  /** What the data-protection scan found and did (counts per type, never a value); absent when it did not run. */
  readonly pii?: PiiSummary;
}

/** What a usage record and the metrics keep of a request's data-protection scan: counts, never values. */
export interface PiiSummary {
  /** Findings per type, for every type whose action was not `off`. */
  readonly found: Readonly<Record<string, number>>;
  /** The strongest action taken: `block` > `redact` > `log`; `none` when nothing was found. */
  readonly action: 'none' | 'log' | 'redact' | 'block';
  /** Values replaced by placeholders before the provider saw them. */
  readonly redacted: number;
  /** Image and binary parts that were not scanned. */
  readonly skippedParts: number;
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
