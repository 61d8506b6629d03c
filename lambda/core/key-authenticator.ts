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
    this.cache.delete(keyId);
  }

  private async lookup(id: string): Promise<GatewayKeyRecord | undefined> {
    const now = this.now();
    const cached = this.cache.get(id);
    if (cached !== undefined && cached.expiresAt > now) return cached.record;
    const record = await this.keys.getKey(id);
    if (this.ttlMs > 0) {
      if (this.cache.size >= MAX_ENTRIES) {
        const oldest = this.cache.keys().next();
        if (oldest.done !== true) this.cache.delete(oldest.value);
      }
      this.cache.set(id, { record, expiresAt: now + this.ttlMs });
    }
    return record;
  }
}
