import type { Principal } from '../core/types';
import type { LimitScope, Policy, PolicyStore } from '../stores/store';

/** The policy of one scope a principal belongs to. */
export interface ScopedPolicy {
  readonly scope: LimitScope;
  readonly scopeId: string;
  readonly policy: Policy;
}

export interface PolicyCache {
  /**
   * The key's, the user's (when the key has one) and the team's policies: fetched in parallel, cached.
   * The same array for the same principal while cached, so callers may memoise on it.
   */
  policiesOf(principal: Principal): Promise<readonly ScopedPolicy[]>;
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

interface CombinedEntry {
  readonly scoped: Promise<readonly ScopedPolicy[]>;
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

  /** Principals' combined policies: three stages ask per request, so they share one answer. */
  const combined = new Map<string, CombinedEntry>();

  function remember<T>(map: Map<string, T>, name: string, entry: T): void {
    map.delete(name);
    if (map.size >= MAX_ENTRIES) {
      const oldest = map.keys().next();
      if (oldest.done !== true) map.delete(oldest.value);
    }
    map.set(name, entry);
  }

  function lookup(scope: LimitScope, scopeId: string): Entry {
    const name = `${scope}#${scopeId}`;
    const cached = entries.get(name);
    if (cached !== undefined && cached.expiresAtMs > now()) return cached;
    const policy = store.policyOf(scope, scopeId);
    const entry: Entry = { policy, expiresAtMs: now() + options.ttlMs };
    remember(entries, name, entry);
    policy.catch(() => {
      // Only our own entry: an invalidation may have replaced it meanwhile.
      if (entries.get(name) === entry) entries.delete(name);
    });
    return entry;
  }

  return {
    policiesOf(principal) {
      const name = `${principal.keyId}\n${principal.user ?? ''}\n${principal.teamId}`;
      const cached = combined.get(name);
      if (cached !== undefined && cached.expiresAtMs > now()) return cached.scoped;
      const scopes = scopesOf(principal);
      const parts = scopes.map(({ scope, scopeId }) => lookup(scope, scopeId));
      const scoped = Promise.all(parts.map((part) => part.policy))
        .then((policies) => scopes.map((scope, index) => ({ ...scope, policy: policies[index] ?? { budgets: [] } })));
      // Never trusted longer than its oldest part, so the bound on a policy change stays `ttlMs`.
      const entry: CombinedEntry = { scoped, expiresAtMs: Math.min(...parts.map((part) => part.expiresAtMs)) };
      remember(combined, name, entry);
      scoped.catch(() => {
        if (combined.get(name) === entry) combined.delete(name);
      });
      return scoped;
    },
    invalidate(scope, scopeId) {
      // Deleting also drops an in-flight lookup that may have read the old policy. Admin changes are
      // rare, so every principal's combined answer is dropped rather than searched for the scope.
      entries.delete(`${scope}#${scopeId}`);
      combined.clear();
    },
  };
}
