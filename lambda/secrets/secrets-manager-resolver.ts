import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { SecretResolver } from './secret-resolver';

/** Why a refresh failed, for the caller's logs. Never carries the secret value. */
export interface SecretRefreshFailure {
  readonly providerName: string;
  readonly secretId: string;
  readonly error: unknown;
  /** True when an older value was served instead of failing the request. */
  readonly servedStale: boolean;
}

export interface SecretsManagerResolverOptions {
  readonly client: SecretsManagerClient;
  /** Provider name → secret ARN or name. Providers not listed resolve to `undefined`. */
  readonly secretIds: Readonly<Record<string, string>>;
  /** How long a fetched value is used before it is fetched again; bounds how long a rotated key takes to arrive. */
  readonly ttlMs: number;
  /**
   * How long past its TTL a value may still be served while Secrets Manager fails (throttling, outage).
   * After that the request fails rather than run on a key that may have been revoked long ago. @default 5 × ttlMs
   */
  readonly staleGraceMs?: number;
  /**
   * After a failed refresh, how long to keep serving the stale value before asking again, so an outage
   * does not turn every request into a failing call. @default min(ttlMs, 1000)
   */
  readonly retryAfterFailureMs?: number;
  /** Called on every failed refresh (the resolver has no logger of its own). */
  readonly onRefreshError?: (failure: SecretRefreshFailure) => void;
  readonly now?: () => number;
}

interface CachedSecret {
  readonly value: string;
  /** When the value was fetched; it is fresh until fetchedAt + ttl. */
  readonly fetchedAt: number;
  /** Set after a failed refresh: no new attempt before this time. */
  readonly retryAt?: number;
}

/**
 * Provider API keys from Secrets Manager, cached in memory per secret. Rotation is "put a new secret
 * version": the next fetch after the TTL picks it up, with no redeploy. Concurrent misses for one secret
 * share a single GetSecretValue call. The SecretString is the key itself (surrounding whitespace trimmed).
 *
 * @example
 * const secrets = createSecretsManagerResolver({ client, secretIds: { openai: 'arn:aws:secretsmanager:...' }, ttlMs: 60_000 });
 * const key = await secrets('openai');
 */
export function createSecretsManagerResolver(options: SecretsManagerResolverOptions): SecretResolver {
  const { client, secretIds, ttlMs } = options;
  const now = options.now ?? Date.now;
  const staleGraceMs = options.staleGraceMs ?? 5 * ttlMs;
  const retryAfterFailureMs = options.retryAfterFailureMs ?? Math.min(ttlMs, 1000);
  const cache = new Map<string, CachedSecret>();
  const inFlight = new Map<string, Promise<string>>();

  async function fetchSecret(secretId: string): Promise<string> {
    const output = await client.send(new GetSecretValueCommand({ SecretId: secretId }));
    const raw = output.SecretString ?? (output.SecretBinary === undefined ? undefined : Buffer.from(output.SecretBinary).toString('utf8'));
    const value = raw?.trim();
    if (value === undefined || value.length === 0) throw new Error(`Secret ${secretId} has no value.`);
    return value;
  }

  /** A cached value that may still stand in for a failed refresh. */
  function usableStale(secretId: string): CachedSecret | undefined {
    const cached = cache.get(secretId);
    return cached !== undefined && now() - cached.fetchedAt < ttlMs + staleGraceMs ? cached : undefined;
  }

  /** One fetch per secret at a time; every waiter gets its result, and a failure is reported once. */
  function refresh(providerName: string, secretId: string): Promise<string> {
    const pending = inFlight.get(secretId);
    if (pending !== undefined) return pending;
    const started = fetchSecret(secretId)
      .then(
        (value) => {
          cache.set(secretId, { value, fetchedAt: now() });
          return value;
        },
        (error: unknown) => {
          const stale = usableStale(secretId);
          if (stale !== undefined) cache.set(secretId, { ...stale, retryAt: now() + retryAfterFailureMs });
          options.onRefreshError?.({ providerName, secretId, error, servedStale: stale !== undefined });
          throw error;
        },
      )
      .finally(() => inFlight.delete(secretId));
    inFlight.set(secretId, started);
    return started;
  }

  return async (providerName) => {
    // hasOwn: a provider named like an Object.prototype member must not resolve to a function.
    const secretId = Object.hasOwn(secretIds, providerName) ? secretIds[providerName] : undefined;
    if (secretId === undefined) return undefined;
    const cached = cache.get(secretId);
    const time = now();
    if (cached !== undefined && time - cached.fetchedAt < ttlMs) return cached.value;
    // Secrets Manager failed a moment ago: keep using the stale value instead of asking on every request.
    if (cached?.retryAt !== undefined && time < cached.retryAt && usableStale(secretId) !== undefined) return cached.value;
    try {
      return await refresh(providerName, secretId);
    } catch (error) {
      const stale = usableStale(secretId);
      if (stale === undefined) throw error;
      return stale.value;
    }
  };
}
