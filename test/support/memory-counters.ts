import {
  bucketOf,
  candidateShards,
  DEFAULT_RESERVATION_LIFETIME_MS,
  firstShard,
  isStaleBucket,
  requireCount,
  shardCountOf,
  shareOf,
  sumStates,
  validateReserve,
} from '../../lambda/stores/dynamo/counter-rules';
import type { CounterState, CounterStore, Reservation, ReserveOutcome, ReserveRequest } from '../../lambda/stores/store';

/**
 * The counter semantics in plain memory, the reference the DynamoDB store is held to by
 * test/stores/counter-contract.test.ts: reservations, shards, settling, release of abandoned ones.
 * Shares, buckets and staleness come from lambda/stores/dynamo/counter-rules.ts, as in the store.
 *
 * Observable behaviour, identical in both:
 * - each of `shards` shards holds at most floor(limit / shards); a reservation tries a random shard,
 *   then the roomiest; refused → the summed state of all shards.
 * - admitted → the state of the shard that took it (one item is all the store reads on that path).
 * - reservations older than the lifetime are released before they are counted.
 */
interface Shard {
  committed: number;
  settled: number;
  /** Open reservations by bucket (the minute they were made in). */
  readonly open: Map<string, number>;
}

function stateOf(shard: Shard): CounterState {
  return { committed: shard.committed, settled: shard.settled };
}

export function createMemoryCounters(
  reservationLifetimeMs = DEFAULT_RESERVATION_LIFETIME_MS,
  random: () => number = Math.random,
): CounterStore & { readonly calls: { count: number } } {
  const counters = new Map<string, Shard[]>();
  const calls = { count: 0 };

  function shardsOf(counter: string, count: number): Shard[] {
    let shards = counters.get(counter);
    if (shards === undefined) {
      shards = [];
      counters.set(counter, shards);
    }
    while (shards.length < count) shards.push({ committed: 0, settled: 0, open: new Map() });
    return shards;
  }

  /** Abandoned reservations (older than the lifetime) are released. */
  function releaseStale(shard: Shard, nowMs: number): void {
    for (const [bucket, amount] of shard.open) {
      if (isStaleBucket(bucket, nowMs, reservationLifetimeMs)) {
        shard.committed -= amount;
        shard.open.delete(bucket);
      }
    }
  }

  return {
    calls,
    async reserve(request: ReserveRequest): Promise<ReserveOutcome> {
      calls.count += 1;
      const count = validateReserve(request);
      const share = shareOf(request.limit, count);
      const shards = shardsOf(request.counter, count).slice(0, count);
      for (const shard of shards) releaseStale(shard, request.nowMs);
      const first = firstShard(random, count);
      for (const index of candidateShards(shards.map(stateOf), first)) {
        const shard = shards[index];
        if (shard === undefined || shard.committed + request.amount > share) continue;
        shard.committed += request.amount;
        const bucket = bucketOf(request.nowMs);
        if (request.settles === false) shard.settled += request.amount;
        else shard.open.set(bucket, (shard.open.get(bucket) ?? 0) + request.amount);
        const reservation: Reservation = { counter: request.counter, shard: index, amount: request.amount, bucket };
        return { admitted: true, reservation, state: stateOf(shard) };
      }
      return { admitted: false, state: sumStates(shards.map(stateOf)) };
    },
    async settle(reservation: Reservation, actual: number, nowMs: number): Promise<CounterState> {
      calls.count += 1;
      requireCount('actual', actual);
      requireCount('reserved amount', reservation.amount);
      const shard = shardsOf(reservation.counter, shardCountOf(reservation.shard + 1))[reservation.shard];
      if (shard === undefined) throw new Error('unreachable: shardsOf creates the shard');
      releaseStale(shard, nowMs);
      const open = shard.open.get(reservation.bucket);
      if (open !== undefined && open >= reservation.amount) {
        shard.committed += actual - reservation.amount;
        if (open === reservation.amount) shard.open.delete(reservation.bucket);
        else shard.open.set(reservation.bucket, open - reservation.amount);
      } else {
        // Released as abandoned already: only the actual amount is left to add.
        shard.committed += actual;
      }
      shard.settled += actual;
      return stateOf(shard);
    },
    async commit(reservation: Reservation, used: number, nowMs: number): Promise<Reservation> {
      calls.count += 1;
      requireCount('used', used);
      if (used > reservation.amount) throw new Error('A commit cannot use more than the reservation holds.');
      if (used === 0) return reservation;
      const shard = shardsOf(reservation.counter, shardCountOf(reservation.shard + 1))[reservation.shard];
      if (shard === undefined) throw new Error('unreachable: shardsOf creates the shard');
      releaseStale(shard, nowMs);
      const open = shard.open.get(reservation.bucket);
      if (open !== undefined && open >= used) {
        shard.open.set(reservation.bucket, open - used);
      } else {
        // Released as abandoned already: what was used is added back.
        shard.committed += used;
      }
      shard.settled += used;
      return { ...reservation, amount: reservation.amount - used };
    },
    async read(counter: string, shards?: number): Promise<CounterState> {
      calls.count += 1;
      return sumStates(counters.get(counter)?.slice(0, shardCountOf(shards)).map(stateOf) ?? []);
    },
  };
}
