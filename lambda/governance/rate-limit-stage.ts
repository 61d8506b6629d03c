import type { GatewayConfig } from '../config/gateway-config';
import type { Stage } from '../core/stage';
import { GatewayRateLimitError } from '../errors/gateway-error';
import type { Logger } from '../logging/logger';
import type { CounterState, CounterStore, LimitScope, RateLimits, ReserveRequest } from '../stores/store';
import { costBound } from './cost-bound';
import type { PolicyCache } from './policy-cache';
import { reserveAll, type Grant } from './reservations';

export interface RateLimitStageDeps {
  readonly policies: PolicyCache;
  readonly counters: CounterStore;
  readonly config: GatewayConfig;
  readonly logger: Logger;
  /** The clock of settlement (admission uses StageInput.nowMs). @default Date.now */
  readonly now?: () => number;
}

type LimitKind = 'requests' | 'tokens' | 'concurrent';

interface Window {
  readonly scope: LimitScope;
  readonly scopeId: string;
  readonly kind: LimitKind;
  readonly limit: number;
  /** Epoch ms the window frees up (the next minute); undefined for concurrency. */
  readonly resetMs: number | undefined;
}

const MINUTE_MS = 60_000;
/** A concurrency counter lives on while requests use it; its item may go after a day of silence. */
const CONCURRENCY_COUNTER_LIFETIME_MS = 86_400_000;

const LIMIT_WORDS: Readonly<Record<LimitKind, string>> = {
  requests: 'requests per minute', tokens: 'tokens per minute', concurrent: 'concurrent requests',
};

/** A limit's window and counter name for the current minute: they change once a minute, not per call. */
interface MinuteClaims {
  readonly minute: number;
  readonly requests?: { readonly tag: Window; readonly counter: string };
  readonly tokens?: { readonly tag: Window; readonly counter: string };
  readonly concurrent?: { readonly tag: Window; readonly counter: string };
}

/** Per limits object (the policy cache hands out the same one while it is cached). */
const minuteClaimsOf = new WeakMap<RateLimits, MinuteClaims>();

function minuteClaims(limits: RateLimits, minute: number): MinuteClaims {
  const cached = minuteClaimsOf.get(limits);
  if (cached !== undefined && cached.minute === minute) return cached;
  const minuteEnd = (minute + 1) * MINUTE_MS;
  const id = `${limits.scope}#${limits.scopeId}`;
  const window = (kind: LimitKind, limit: number, resetMs: number | undefined): Window => ({ scope: limits.scope, scopeId: limits.scopeId, kind, limit, resetMs });
  const claims: MinuteClaims = {
    minute,
    ...(limits.requestsPerMinute === undefined ? {} : { requests: { tag: window('requests', limits.requestsPerMinute, minuteEnd), counter: `rpm#${id}#${minute}` } }),
    ...(limits.tokensPerMinute === undefined ? {} : { tokens: { tag: window('tokens', limits.tokensPerMinute, minuteEnd), counter: `tpm#${id}#${minute}` } }),
    ...(limits.concurrentRequests === undefined ? {} : { concurrent: { tag: window('concurrent', limits.concurrentRequests, undefined), counter: `conc#${id}` } }),
  };
  minuteClaimsOf.set(limits, claims);
  return claims;
}

function claimsOf(limits: RateLimits, nowMs: number, tokens: number): { tag: Window; request: ReserveRequest }[] {
  const minute = Math.floor(nowMs / MINUTE_MS);
  const { requests, tokens: tokenWindow, concurrent } = minuteClaims(limits, minute);
  const windowExpiry = (minute + 2) * MINUTE_MS;
  const shards = limits.shards ?? 1;
  const claims: { tag: Window; request: ReserveRequest }[] = [];
  if (requests !== undefined) {
    // A request counts when admitted, finished or not: a plain add, never settled.
    claims.push({ tag: requests.tag, request: { counter: requests.counter, amount: 1, limit: requests.tag.limit, shards, nowMs, expiresAtMs: windowExpiry, settles: false } });
  }
  if (tokenWindow !== undefined) {
    claims.push({ tag: tokenWindow.tag, request: { counter: tokenWindow.counter, amount: tokens, limit: tokenWindow.tag.limit, shards, nowMs, expiresAtMs: windowExpiry } });
  }
  if (concurrent !== undefined) {
    // One shard: a concurrency limit is small, and shards would each hold a fraction of it.
    claims.push({ tag: concurrent.tag, request: { counter: concurrent.counter, amount: 1, limit: concurrent.tag.limit, nowMs, expiresAtMs: nowMs + CONCURRENCY_COUNTER_LIFETIME_MS } });
  }
  return claims;
}

function resetSeconds(window: Window, nowMs: number): number {
  return window.resetMs === undefined ? 1 : Math.max(1, Math.ceil((window.resetMs - nowMs) / 1000));
}

/** OpenAI's x-ratelimit-* trio for the most restrictive window of a kind (the least remaining). */
function headersOf(windows: readonly { window: Window; state: CounterState }[], nowMs: number): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const kind of ['requests', 'tokens'] as const) {
    let tightest: { window: Window; remaining: number } | undefined;
    for (const { window, state } of windows) {
      if (window.kind !== kind) continue;
      const remaining = Math.max(0, window.limit - state.committed);
      if (tightest === undefined || remaining < tightest.remaining) tightest = { window, remaining };
    }
    if (tightest === undefined) continue;
    headers[`x-ratelimit-limit-${kind}`] = String(tightest.window.limit);
    headers[`x-ratelimit-remaining-${kind}`] = String(tightest.remaining);
    headers[`x-ratelimit-reset-${kind}`] = `${resetSeconds(tightest.window, nowMs)}s`;
  }
  return headers;
}

/**
 * Requests and tokens per minute and concurrent requests of the key, user and team, counted in the
 * shared store (so across every gateway instance), all in one parallel round with the budgets.
 * Tokens reserve the call's upper bound and settle to what it used; concurrency is released on settle.
 */
export function createRateLimitStage(deps: RateLimitStageDeps): Stage {
  const now = deps.now ?? Date.now;

  async function settleOne(grant: Grant<Window>, tokensUsed: number): Promise<void> {
    if (grant.tag.kind === 'requests') return;
    await deps.counters.settle(grant.reservation, grant.tag.kind === 'tokens' ? tokensUsed : 0, now());
  }

  return {
    name: 'rate-limits',
    async admit(input) {
      const scoped = await deps.policies.policiesOf(input.principal);
      const limits = scoped.flatMap(({ policy }) => (policy.rateLimits === undefined ? [] : [policy.rateLimits]));
      if (limits.length === 0) return {};
      const needsTokens = limits.some((scopeLimits) => scopeLimits.tokensPerMinute !== undefined);
      const bound = needsTokens ? costBound(input, deps.config) : undefined;
      const tokens = bound === undefined ? 0 : bound.inputTokens + bound.outputTokens;
      const outcome = await reserveAll(deps.counters, limits.flatMap((scopeLimits) => claimsOf(scopeLimits, input.nowMs, tokens)), deps.logger);
      if (!outcome.admitted) {
        const { tag: window, state } = outcome.refused;
        const retryAfter = resetSeconds(window, input.nowMs);
        const headers = { ...headersOf([{ window, state: { ...state, committed: Math.max(state.committed, window.limit) } }], input.nowMs), 'retry-after': String(retryAfter) };
        throw new GatewayRateLimitError(
          `Rate limit exceeded: ${window.scope} ${LIMIT_WORDS[window.kind]}: ${window.limit}${window.kind === 'tokens' ? ` (this request may use up to ${tokens} tokens)` : ''}. Retry in ${retryAfter}s.`,
          headers,
        );
      }
      const headers = headersOf(outcome.grants.map((grant) => ({ window: grant.tag, state: grant.state })), input.nowMs);
      return {
        headers,
        ...(bound?.outputTokenCap === undefined ? {} : { outputTokenCap: bound.outputTokenCap }),
        settle: async ({ record }) => {
          await Promise.all(outcome.grants.map((grant) => settleOne(grant, record.inputTokens + record.outputTokens)));
        },
      };
    },
  };
}
