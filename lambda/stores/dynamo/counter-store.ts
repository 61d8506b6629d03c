import { type DynamoDBClient, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import type { CounterState, CounterStore, Reservation, ReserveOutcome, ReserveRequest } from '../store';
import type { Item } from './attributes';
import {
  bucketAttribute,
  COMMITTED,
  readShards,
  releaseStale,
  SETTLED,
  shardKey,
  type ShardSnapshot,
  snapshotOf,
  stateOf,
  ttlSecondsOf,
} from './counter-items';
import {
  bucketOf,
  candidateShards,
  DEFAULT_RESERVATION_LIFETIME_MS,
  firstShard,
  requireCount,
  shardCountOf,
  shareOf,
  sumStates,
  validateReserve,
} from './counter-rules';
import { isServiceError, TTL } from './table';

export interface DynamoCounterStoreOptions {
  /** After this long an unsettled reservation counts as abandoned and is released. @default 20 min (Lambda's 15-min maximum plus margin) */
  readonly reservationLifetimeMs?: number;
  /** Picks the first shard to try; for tests. @default Math.random */
  readonly random?: () => number;
}

/** An add that the condition refused; `current` is the item when the service returned it (AWS does, dynalite does not). */
type AddResult = { readonly admitted: true; readonly item: Item | undefined } | { readonly admitted: false; readonly current: Item | undefined };

/**
 * CounterStore on DynamoDB (layout in counter-items.ts). Exact under any concurrency because every
 * admission is ONE conditional UpdateItem on one shard item (`committed <= share - amount`): the
 * service serialises writes per item, and the shares sum to at most the limit. No transactions,
 * so it runs on dynalite too.
 *
 * Cost: a reservation that fits is one write; a settle is one write; the rare paths (a refusal, a
 * stale bucket, a settle after release) add one read of the shards (BatchGetItem) or a write or two.
 *
 * @example
 *   const counters = createDynamoCounterStore(client, 'gatellm');
 *   const outcome = await counters.reserve({ counter: 'budget#b1#2026-12', amount: 5_000, limit: 1_000_000, nowMs, expiresAtMs });
 *   if (outcome.admitted) await counters.settle(outcome.reservation, 3_200, Date.now());
 */
export function createDynamoCounterStore(client: DynamoDBClient, tableName: string, options: DynamoCounterStoreOptions = {}): CounterStore {
  const lifetimeMs = options.reservationLifetimeMs ?? DEFAULT_RESERVATION_LIFETIME_MS;
  const random = options.random ?? Math.random;

  /** The one write of the success path: add to committed (and to the minute bucket, or to settled) unless over the share. */
  async function add(request: ReserveRequest, shard: number, share: number): Promise<AddResult> {
    const settles = request.settles !== false;
    try {
      const { Attributes: item } = await client.send(new UpdateItemCommand({
        TableName: tableName,
        Key: shardKey(request.counter, shard),
        UpdateExpression: `ADD #c :amount, ${settles ? '#b' : '#s'} :amount SET #ttl = :ttl`,
        ConditionExpression: 'attribute_not_exists(#c) OR #c <= :max',
        ExpressionAttributeNames: { '#c': COMMITTED, [settles ? '#b' : '#s']: settles ? bucketAttribute(bucketOf(request.nowMs)) : SETTLED, '#ttl': TTL },
        ExpressionAttributeValues: {
          ':amount': { N: String(request.amount) },
          ':max': { N: String(share - request.amount) },
          ':ttl': { N: ttlSecondsOf(request.expiresAtMs) },
        },
        ReturnValues: 'ALL_NEW',
        // Saves the read on a refusal where the service supports it; dynalite accepts and ignores it.
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      }));
      return { admitted: true, item };
    } catch (error) {
      if (!isServiceError(error, 'ConditionalCheckFailedException')) throw error;
      return { admitted: false, current: (error as { Item?: Item }).Item };
    }
  }

  /** Releases stale buckets only when the item shows some: the common case costs nothing. */
  function cleaned(counter: string, shard: number, snapshot: ShardSnapshot, nowMs: number): Promise<ShardSnapshot> {
    return releaseStale(client, tableName, counter, shard, snapshot, nowMs, lifetimeMs);
  }

  function admitted(request: ReserveRequest, shard: number, state: CounterState): ReserveOutcome {
    const reservation: Reservation = { counter: request.counter, shard, amount: request.amount, bucket: bucketOf(request.nowMs) };
    return { admitted: true, reservation, state };
  }

  /**
   * The refused path: look at every shard (one BatchGetItem; or the refused item itself when there is only
   * one and the service returned it), release abandoned reservations, and try once more — first the
   * shard that refused if releasing made room there, else the roomiest. A counter filled by a crashed
   * instance therefore admits again once its reservations are older than the lifetime.
   */
  async function afterRefusal(request: ReserveRequest, count: number, share: number, first: number, current: Item | undefined): Promise<ReserveOutcome> {
    // Eventually consistent: a refused hot counter may be read thousands of times a second, and the
    // view only picks where to retry; stale buckets are minutes old, and their release is conditional.
    const seen = count === 1 && current !== undefined ? [snapshotOf(current)] : await readShards(client, tableName, request.counter, count, false);
    const shards = await Promise.all(seen.map((snapshot, shard) => cleaned(request.counter, shard, snapshot, request.nowMs)));
    const states = shards.map(stateOf);
    const retry = candidateShards(states, first).find((shard) => (states[shard]?.committed ?? 0) + request.amount <= share);
    if (retry !== undefined) {
      const result = await add(request, retry, share);
      if (result.admitted) return admitted(request, retry, stateOf(await cleaned(request.counter, retry, snapshotOf(result.item), request.nowMs)));
    }
    return { admitted: false, state: sumStates(states) };
  }

  return {
    async reserve(request) {
      const count = validateReserve(request);
      const share = shareOf(request.limit, count);
      const first = firstShard(random, count);
      // Larger than a whole share: no write can succeed; only read the state to report.
      if (request.amount > share) return afterRefusal(request, count, share, first, undefined);
      const result = await add(request, first, share);
      if (!result.admitted) return afterRefusal(request, count, share, first, result.current);
      // The state a caller sees excludes abandoned reservations, as the reference does: release them now.
      return admitted(request, first, stateOf(await cleaned(request.counter, first, snapshotOf(result.item), request.nowMs)));
    },

    async settle(reservation, actual, nowMs) {
      requireCount('actual', actual);
      requireCount('reserved amount', reservation.amount);
      shardCountOf(reservation.shard + 1);
      const key = shardKey(reservation.counter, reservation.shard);
      let item: Item | undefined;
      try {
        ({ Attributes: item } = await client.send(new UpdateItemCommand({
          TableName: tableName,
          Key: key,
          UpdateExpression: 'ADD #c :delta, #s :actual, #b :release',
          // The bucket still holds our amount unless it was released as abandoned.
          ConditionExpression: '#b >= :amount',
          ExpressionAttributeNames: { '#c': COMMITTED, '#s': SETTLED, '#b': bucketAttribute(reservation.bucket) },
          ExpressionAttributeValues: {
            ':delta': { N: String(actual - reservation.amount) },
            ':actual': { N: String(actual) },
            ':release': { N: String(-reservation.amount) },
            ':amount': { N: String(reservation.amount) },
          },
          ReturnValues: 'ALL_NEW',
        })));
      } catch (error) {
        if (!isServiceError(error, 'ConditionalCheckFailedException')) throw error;
        // Released already: the reservation left `committed`, so only the actual amount is added.
        // If TTL deleted the item meanwhile, this recreates it: give it an expiry so it cannot linger.
        ({ Attributes: item } = await client.send(new UpdateItemCommand({
          TableName: tableName,
          Key: key,
          UpdateExpression: 'ADD #c :actual, #s :actual SET #ttl = if_not_exists(#ttl, :ttl)',
          ExpressionAttributeNames: { '#c': COMMITTED, '#s': SETTLED, '#ttl': TTL },
          ExpressionAttributeValues: { ':actual': { N: String(actual) }, ':ttl': { N: ttlSecondsOf(nowMs + lifetimeMs) } },
          ReturnValues: 'ALL_NEW',
        })));
      }
      return stateOf(await cleaned(reservation.counter, reservation.shard, snapshotOf(item), nowMs));
    },

    async commit(reservation, used, nowMs) {
      requireCount('used', used);
      if (used > reservation.amount) throw new Error('A commit cannot use more than the reservation holds.');
      if (used === 0) return reservation;
      const key = shardKey(reservation.counter, reservation.shard);
      try {
        await client.send(new UpdateItemCommand({
          TableName: tableName,
          Key: key,
          UpdateExpression: 'ADD #s :used, #b :release',
          ConditionExpression: '#b >= :used',
          ExpressionAttributeNames: { '#s': SETTLED, '#b': bucketAttribute(reservation.bucket) },
          ExpressionAttributeValues: { ':used': { N: String(used) }, ':release': { N: String(-used) } },
        }));
      } catch (error) {
        if (!isServiceError(error, 'ConditionalCheckFailedException')) throw error;
        // Released as abandoned already: what was used is added back, as settle does.
        await client.send(new UpdateItemCommand({
          TableName: tableName,
          Key: key,
          UpdateExpression: 'ADD #c :used, #s :used SET #ttl = if_not_exists(#ttl, :ttl)',
          ExpressionAttributeNames: { '#c': COMMITTED, '#s': SETTLED, '#ttl': TTL },
          ExpressionAttributeValues: { ':used': { N: String(used) }, ':ttl': { N: ttlSecondsOf(nowMs + lifetimeMs) } },
        }));
      }
      return { ...reservation, amount: reservation.amount - used };
    },

    async read(counter, shards) {
      return sumStates((await readShards(client, tableName, counter, shardCountOf(shards))).map(stateOf));
    },
  };
}
