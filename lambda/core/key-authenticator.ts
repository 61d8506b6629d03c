import { InvalidApiKeyError } from '../errors/gateway-error';
import { keyMatchesHash, parseGatewayKeyId } from '../keys/gateway-key';
import type { GatewayKeyRecord, GatewayStores, Team } from '../stores/store';
import type { Principal } from './types';

/** What the authenticator reads: a key, and the team whose model allow-list the key is bound by. */
export type AuthenticatorStores = Pick<GatewayStores, 'keys' | 'teams'>;

interface CacheEntry<T> {
  readonly value: T;
  readonly expiresAt: number;
}

const MAX_ENTRIES = 10_000;

/**
 * A bounded TTL cache whose misses are deduplicated in flight: a burst of requests with one expired
 * entry makes one store call, not one each. Every invalidation bumps a generation, so a lookup that
 * started before an invalidation is answered but not cached after it.
 */
class LookupCache<T> {
  private readonly entries = new Map<string, CacheEntry<T>>();
  private readonly inflight = new Map<string, Promise<T>>();
  private generation = 0;

  constructor(private readonly ttlMs: number, private readonly now: () => number, private readonly load: (id: string) => Promise<T>) {}

  get(id: string): Promise<T> {
    const cached = this.entries.get(id);
    if (cached !== undefined && cached.expiresAt > this.now()) return Promise.resolve(cached.value);
    const pending = this.inflight.get(id);
    if (pending !== undefined) return pending;
    const generation = this.generation;
    const lookup = this.load(id).then((value) => {
      if (generation === this.generation) this.remember(id, value);
      return value;
    }).finally(() => {
      if (this.inflight.get(id) === lookup) this.inflight.delete(id);
    });
    this.inflight.set(id, lookup);
    return lookup;
  }

  /** The cached value even past its TTL (undefined when none): a hint, never an answer. */
  peek(id: string): T | undefined {
    return this.entries.get(id)?.value;
  }

  invalidate(id: string): void {
    this.generation += 1;
    this.entries.delete(id);
    this.inflight.delete(id);
  }

  private remember(id: string, value: T): void {
    if (this.ttlMs <= 0) return;
    if (this.entries.size >= MAX_ENTRIES) {
      const oldest = this.entries.keys().next();
      if (oldest.done !== true) this.entries.delete(oldest.value);
    }
    this.entries.set(id, { value, expiresAt: this.now() + this.ttlMs });
  }
}

/**
 * Resolves a presented gateway key to a principal. Key and team lookups are cached for `ttlMs` so the
 * steady state makes no store round trip before the provider call.
 *
 * Revocation bound: a key revoked or rotated through ANOTHER instance's admin API keeps working here
 * for at most `ttlMs` (settings.keyCacheSeconds, default 5 s) plus one store read after the store
 * write — a record read just before the write is cached for `ttlMs` — and a team's model list likewise. Through this process's admin API (local mode,
 * where admin and gateway share this authenticator) it applies at once: the admin routes call
 * `invalidate` / `invalidateTeam`.
 */
export class KeyAuthenticator {
  private readonly keys: LookupCache<GatewayKeyRecord | undefined>;
  private readonly teams: LookupCache<Team | undefined>;

  constructor(
    stores: AuthenticatorStores,
    ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {
    this.keys = new LookupCache(ttlMs, now, (id) => stores.keys.getKey(id));
    this.teams = new LookupCache(ttlMs, now, (id) => stores.teams.getTeam(id));
  }

  async authenticate(credential: string | undefined): Promise<Principal> {
    if (credential === undefined || credential === '') throw new InvalidApiKeyError('Missing gateway API key.');
    const id = parseGatewayKeyId(credential);
    // Malformed keys (wrong prefix, length, checksum) are rejected without touching the store.
    if (id === undefined) throw new InvalidApiKeyError();
    // A key never changes team: when its cached record has expired, its team is re-read in parallel
    // with it, so a refresh costs one round of store calls, not two in a row.
    const staleTeamId = this.keys.peek(id)?.teamId;
    if (staleTeamId !== undefined) void this.teams.get(staleTeamId).catch(() => undefined);
    const record = await this.keys.get(id);
    if (record === undefined || !this.secretMatches(credential, record)) throw new InvalidApiKeyError();
    if (record.revokedAt !== undefined) throw new InvalidApiKeyError('This gateway API key has been revoked.');
    if (record.expiresAt !== undefined && Date.parse(record.expiresAt) <= this.now()) {
      throw new InvalidApiKeyError('This gateway API key has expired.');
    }
    // A key whose team is gone keeps its own restrictions: the team adds none it cannot name.
    const team = await this.teams.get(record.teamId);
    return {
      keyId: record.id,
      teamId: record.teamId,
      ...(record.user === undefined ? {} : { user: record.user }),
      models: record.models ?? [],
      teamModels: team?.models ?? [],
    };
  }

  /** Forgets a key at once (revoked, rotated or changed through this process's admin API). */
  invalidate(keyId: string): void {
    this.keys.invalidate(keyId);
  }

  /** Forgets a team at once (its model allow-list changed through this process's admin API). */
  invalidateTeam(teamId: string): void {
    this.teams.invalidate(teamId);
  }

  /** The current secret, or the one before the last rotation while its grace period lasts. */
  private secretMatches(credential: string, record: GatewayKeyRecord): boolean {
    if (keyMatchesHash(credential, record.secretHash)) return true;
    if (record.previousSecretHash === undefined || record.previousSecretExpiresAt === undefined) return false;
    // Both hashes are compared in constant time; only the grace end (not secret) short-circuits.
    return keyMatchesHash(credential, record.previousSecretHash) && Date.parse(record.previousSecretExpiresAt) > this.now();
  }
}
