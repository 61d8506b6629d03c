/**
 * Narrow store interfaces. The gateway and admin API depend on these only; the DynamoDB
 * implementation serves AWS and, through an embedded DynamoDB-compatible server, local mode.
 */

export interface Team {
  readonly id: string;
  readonly name: string;
  readonly createdAt: string;
}

/** A gateway key as stored: never the secret, only its SHA-256 hash (hex). */
export interface GatewayKeyRecord {
  readonly id: string;
  readonly secretHash: string;
  readonly teamId: string;
  readonly user?: string;
  readonly name?: string;
  /** Glob patterns (`*` wildcard) of public model names the key may use; empty or absent = all. */
  readonly models?: readonly string[];
  readonly createdAt: string;
  readonly expiresAt?: string;
  readonly revokedAt?: string;
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
  readonly keyId?: string;
  readonly model?: string;
  /** Most records returned. */
  readonly limit?: number;
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
  listKeys(teamId?: string): Promise<GatewayKeyRecord[]>;
}

export interface TeamStore {
  /** Throws ConflictError when the name is taken. */
  createTeam(team: Team): Promise<void>;
  getTeam(id: string): Promise<Team | undefined>;
  /** The team with this name, compared case-insensitively: names are unique regardless of case. */
  getTeamByName(name: string): Promise<Team | undefined>;
  listTeams(): Promise<Team[]>;
}

export interface UsageStore {
  /**
   * Writes several records in as few calls as the store allows (DynamoDB: 25 per BatchWriteItem).
   * One record that cannot be stored never stops the others: it is dropped, the rest are written,
   * and the call then rejects naming the dropped records' request ids.
   */
  putUsages(records: readonly UsageRecord[]): Promise<void>;
  /** Records in [from, to) matching every given filter (exact), newest first, up to `limit` (default 1000, at most 10000). */
  queryUsage(query: UsageQuery): Promise<UsageRecord[]>;
  aggregateUsage(query: UsageQuery, groupBy: readonly UsageGroupField[]): Promise<UsageAggregateRow[]>;
}

export interface GatewayStores {
  readonly keys: KeyStore;
  readonly teams: TeamStore;
  readonly usage: UsageStore;
}
