import type { CounterState, ReserveRequest } from '../store';

/**
 * The arithmetic of counters, shared by the DynamoDB store and the in-memory reference
 * (test/support/memory-counters.ts) so the two cannot disagree on shares, buckets or staleness.
 * Plain functions with no SDK imports.
 */

/** Lambda's 15-minute maximum plus margin: a reservation older than this belongs to a dead request. */
export const DEFAULT_RESERVATION_LIFETIME_MS = 20 * 60_000;

const MINUTE_MS = 60_000;

/** The expiry bucket of a reservation: the minute it was made in. */
export function bucketOf(nowMs: number): string {
  return String(Math.floor(nowMs / MINUTE_MS));
}

/**
 * A bucket is stale once every reservation in it is older than the lifetime: its requests would
 * have ended (and settled) by now had their instance survived.
 */
export function isStaleBucket(bucket: string, nowMs: number, lifetimeMs: number): boolean {
  return Number(bucket) < Math.floor((nowMs - lifetimeMs) / MINUTE_MS);
}

/**
 * What one shard may hold. Rounded down so the shards together never exceed the limit; the
 * remainder (< shards units, i.e. nano-USD or single tokens) is never handed out.
 */
export function shareOf(limit: number, shards: number): number {
  return Math.floor(limit / shards);
}

export function shardCountOf(shards: number | undefined): number {
  const count = shards ?? 1;
  if (!Number.isSafeInteger(count) || count < 1) throw new Error(`Counter shards must be a positive integer, got ${count}.`);
  return count;
}

/** Amounts and limits are integers (nano-USD, tokens, requests): floats would drift under ADD. */
export function requireCount(name: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 0) throw new Error(`Counter ${name} must be a non-negative safe integer, got ${value}.`);
}

export function validateReserve(request: ReserveRequest): number {
  requireCount('amount', request.amount);
  requireCount('limit', request.limit);
  if (!Number.isFinite(request.nowMs) || !Number.isFinite(request.expiresAtMs)) throw new Error('Counter nowMs and expiresAtMs must be finite.');
  return shardCountOf(request.shards);
}

/** The shard a reservation tries first, spreading writes evenly over the counter's items. */
export function firstShard(random: () => number, count: number): number {
  return Math.min(count - 1, Math.max(0, Math.floor(random() * count)));
}

/** The least committed shard; ties keep `preferred`, then the lowest index. */
export function roomiestShard(states: readonly CounterState[], preferred: number): number {
  return states.reduce((best, state, index) => (state.committed < (states[best]?.committed ?? Infinity) ? index : best), preferred);
}

/** The shards to try, in order: the random one, then the roomiest (once, if different). */
export function candidateShards(states: readonly CounterState[], first: number): number[] {
  const roomiest = roomiestShard(states, first);
  return roomiest === first ? [first] : [first, roomiest];
}

export function sumStates(states: readonly CounterState[]): CounterState {
  return states.reduce((total, state) => ({ committed: total.committed + state.committed, settled: total.settled + state.settled }), { committed: 0, settled: 0 });
}
