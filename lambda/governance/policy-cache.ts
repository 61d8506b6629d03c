import type { Principal } from '../core/types';
import type { LimitScope, Policy, PolicyStore } from '../stores/store';

/** The policy of one scope a principal belongs to. */
export interface ScopedPolicy {
  readonly scope: LimitScope;
  readonly scopeId: string;
  readonly policy: Policy;
}

export interface PolicyCache {
  /** The key's, the user's (when the key has one) and the team's policies: fetched in parallel, cached. */
  policiesOf(principal: Principal): Promise<ScopedPolicy[]>;
  /** Forgets one scope at once (an admin change in this process); other processes wait out the TTL. */
  invalidate(scope: string, scopeId: string): void;
}

export interface PolicyCacheOptions {
  /** How long a policy is trusted: the same bound as a revoked key's (settings.keyCacheSeconds). */
  readonly ttlMs: number;
  /** @default Date.now */
  readonly now?: () => number;
}

/** Scopes remembered at most; the oldest goes first (a gateway with more keys than this re-reads some). */
const MAX_ENTRIES = 10_000;

interface Entry {
  readonly policy: Promise<Policy>;
  readonly expiresAtMs: number;
}

/** The scopes a principal is governed by, most specific first (error messages name the first that refuses). */
export function scopesOf(principal: Principal): { scope: LimitScope; scopeId: string }[] {
  return [
    { scope: 'key', scopeId: principal.keyId },
    ...(principal.user === undefined ? [] : [{ scope: 'user' as const, scopeId: principal.user }]),
    { scope: 'team', scopeId: principal.teamId },
  ];
}

/**
 * Policies change rarely and are read on every request: cached per scope for `ttlMs`, so in steady state
 * admission makes no policy call at all. The promise itself is cached, so concurrent requests (and the
 * budget and rate-limit stages of one request) share one store call; a failed lookup is not kept.
 */
export function createPolicyCache(store: PolicyStore, options: PolicyCacheOptions): PolicyCache {
  const now = options.now ?? Date.now;
  const entries = new Map<string, Entry>();

  function lookup(scope: LimitScope, scopeId: string): Promise<Policy> {
    const name = `${scope}#${scopeId}`;
    const cached = entries.get(name);
    if (cached !== undefined && cached.expiresAtMs > now()) return cached.policy;
    const policy = store.policyOf(scope, scopeId);
    const entry: Entry = { policy, expiresAtMs: now() + options.ttlMs };
    entries.delete(name);
    if (entries.size >= MAX_ENTRIES) {
      const oldest = entries.keys().next();
      if (oldest.done !== true) entries.delete(oldest.value);
    }
    entries.set(name, entry);
    policy.catch(() => {
      // Only our own entry: an invalidation may have replaced it meanwhile.
      if (entries.get(name) === entry) entries.delete(name);
    });
    return policy;
  }

  return {
    async policiesOf(principal) {
      const scopes = scopesOf(principal);
      const policies = await Promise.all(scopes.map(({ scope, scopeId }) => lookup(scope, scopeId)));
      return scopes.map((scope, index) => ({ ...scope, policy: policies[index] ?? { budgets: [] } }));
    },
    invalidate(scope, scopeId) {
      // Deleting also drops an in-flight lookup that may have read the old policy.
      entries.delete(`${scope}#${scopeId}`);
    },
  };
}
