import { InvalidApiKeyError } from '../errors/gateway-error';
import { keyMatchesHash, parseGatewayKeyId } from '../keys/gateway-key';
import type { GatewayKeyRecord, KeyStore } from '../stores/store';
import type { Principal } from './types';

interface CacheEntry {
  readonly record: GatewayKeyRecord | undefined;
  readonly expiresAt: number;
}

const MAX_ENTRIES = 10_000;

/**
 * Resolves a presented gateway key to a principal. Lookups are cached for a few seconds so the steady
 * state makes no store round trip before the provider call; the TTL bounds how long a key revoked on
 * another instance keeps working. Revocation through this process's admin API invalidates at once.
 */
export class KeyAuthenticator {
  private readonly cache = new Map<string, CacheEntry>();
  /** Lookups under way: a burst of requests with one expired key makes one store call, not one each. */
  private readonly inflight = new Map<string, Promise<GatewayKeyRecord | undefined>>();
  /** Bumped by every invalidation, so a lookup that started before a revocation is not cached after it. */
  private invalidations = 0;

  constructor(
    private readonly keys: KeyStore,
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  async authenticate(credential: string | undefined): Promise<Principal> {
    if (credential === undefined || credential === '') throw new InvalidApiKeyError('Missing gateway API key.');
    const id = parseGatewayKeyId(credential);
    // Malformed keys (wrong prefix, length, checksum) are rejected without touching the store.
    if (id === undefined) throw new InvalidApiKeyError();
    const record = await this.lookup(id);
    if (record === undefined || !keyMatchesHash(credential, record.secretHash)) throw new InvalidApiKeyError();
    if (record.revokedAt !== undefined) throw new InvalidApiKeyError('This gateway API key has been revoked.');
    if (record.expiresAt !== undefined && Date.parse(record.expiresAt) <= this.now()) {
      throw new InvalidApiKeyError('This gateway API key has expired.');
    }
    return {
      keyId: record.id,
      teamId: record.teamId,
      ...(record.user === undefined ? {} : { user: record.user }),
      models: record.models ?? [],
    };
  }

  invalidate(keyId: string): void {
    this.invalidations += 1;
    this.cache.delete(keyId);
    this.inflight.delete(keyId);
  }

  private async lookup(id: string): Promise<GatewayKeyRecord | undefined> {
    const cached = this.cache.get(id);
    if (cached !== undefined && cached.expiresAt > this.now()) return cached.record;
    const pending = this.inflight.get(id);
    if (pending !== undefined) return pending;
    const generation = this.invalidations;
    const lookup = this.keys.getKey(id).then((record) => {
      if (generation === this.invalidations) this.remember(id, record);
      return record;
    }).finally(() => {
      if (this.inflight.get(id) === lookup) this.inflight.delete(id);
    });
    this.inflight.set(id, lookup);
    return lookup;
  }

  private remember(id: string, record: GatewayKeyRecord | undefined): void {
    if (this.ttlMs <= 0) return;
    if (this.cache.size >= MAX_ENTRIES) {
      const oldest = this.cache.keys().next();
      if (oldest.done !== true) this.cache.delete(oldest.value);
    }
    this.cache.set(id, { record, expiresAt: this.now() + this.ttlMs });
  }
}
