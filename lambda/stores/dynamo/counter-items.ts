import { BatchGetItemCommand, type BatchGetItemCommandOutput, type DynamoDBClient, GetItemCommand, type KeysAndAttributes, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import type { CounterState } from '../store';
import { type Item, optionalNumber } from './attributes';
import { isStaleBucket } from './counter-rules';
import { isServiceError, PK, SK } from './table';

/**
 * Counter items: pk `CTR#<counter>#<shard>`, sk `SHARD#<shard>`. Attributes: `committed` and
 * `settled` (N), one `r<minute>` (N) per minute that still has open reservations (their sum), and
 * the table's TTL.
 *
 * The shard is in the partition key, not only the sort key: DynamoDB's throughput limits (1,000
 * WCU, 3,000 RCU per second) are per partition, and items sharing a partition key share a partition
 * until split-for-heat reacts, minutes later. Distinct keys hash to distinct partitions at once. The
 * counter name may contain `#`; the suffix is digits only, so `<counter>#<shard>` stays unambiguous.
 *
 * Why per-minute buckets rather than one item per reservation: a reservation is then one write to
 * the shard item, and abandoned ones (a crashed instance) are found in the item itself, with no
 * index or scan; at most ~lifetime-in-minutes buckets exist per item, so it stays small.
 */
const COUNTER_PREFIX = 'CTR#';
const SHARD_PREFIX = 'SHARD#';
const BUCKET_ATTRIBUTE = /^r(\d+)$/;
/** BatchGetItem's limit of keys per call. */
const BATCH_GET_KEYS = 100;
/** Rounds of unprocessed keys (throttling) a read waits through before it gives up. */
const BATCH_GET_ATTEMPTS = 6;

export const COMMITTED = 'committed';
export const SETTLED = 'settled';

export function bucketAttribute(bucket: string): string {
  return `r${bucket}`;
}

export function shardKey(counter: string, shard: number): Item {
  return { [PK]: { S: `${COUNTER_PREFIX}${counter}#${shard}` }, [SK]: { S: `${SHARD_PREFIX}${shard}` } };
}

/** Epoch seconds, as DynamoDB's TTL wants; rounded up so an item never expires early. */
export function ttlSecondsOf(expiresAtMs: number): string {
  return String(Math.ceil(expiresAtMs / 1000));
}

/** One shard item as read: its state and its open buckets (minute → amount). */
export interface ShardSnapshot extends CounterState {
  readonly buckets: ReadonlyMap<string, number>;
}

export const EMPTY_SHARD: ShardSnapshot = { committed: 0, settled: 0, buckets: new Map() };

export function snapshotOf(item: Item | undefined): ShardSnapshot {
  if (item === undefined) return EMPTY_SHARD;
  const buckets = new Map<string, number>();
  for (const name of Object.keys(item)) {
    const bucket = BUCKET_ATTRIBUTE.exec(name)?.[1];
    if (bucket !== undefined) buckets.set(bucket, optionalNumber(item, name) ?? 0);
  }
  return { committed: optionalNumber(item, COMMITTED) ?? 0, settled: optionalNumber(item, SETTLED) ?? 0, buckets };
}

export function stateOf(snapshot: ShardSnapshot): CounterState {
  return { committed: snapshot.committed, settled: snapshot.settled };
}

function shardIndexOf(item: Item): number | undefined {
  const sk = item[SK]?.S;
  if (sk?.startsWith(SHARD_PREFIX) !== true) return undefined;
  const index = Number(sk.slice(SHARD_PREFIX.length));
  return Number.isSafeInteger(index) ? index : undefined;
}

/**
 * Shards 0..count-1 of a counter in one BatchGetItem (per 100 shards, plus a retry of any keys the
 * service left unprocessed); absent shards read as zeros. `consistent: false` halves the read cost
 * where a slightly old view is harmless (choosing where to retry: the write's condition decides).
 */
export async function readShards(client: DynamoDBClient, tableName: string, counter: string, count: number, consistent = true): Promise<ShardSnapshot[]> {
  const snapshots: ShardSnapshot[] = Array.from({ length: count }, () => EMPTY_SHARD);
  const keys = Array.from({ length: count }, (_, shard) => shardKey(counter, shard));
  for (let start = 0; start < keys.length; start += BATCH_GET_KEYS) {
    let pending: KeysAndAttributes | undefined = { Keys: keys.slice(start, start + BATCH_GET_KEYS), ConsistentRead: consistent };
    for (let attempt = 0; pending?.Keys !== undefined && pending.Keys.length > 0; attempt += 1) {
      if (attempt === BATCH_GET_ATTEMPTS) throw new Error(`Reading counter ${counter} stayed throttled after ${attempt} attempts.`);
      // Unprocessed keys mean throttling: back off a little before asking again (SDK-style jitter).
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(1_000, 2 ** attempt * 10 * Math.random())));
      const response: BatchGetItemCommandOutput = await client.send(new BatchGetItemCommand({ RequestItems: { [tableName]: pending } }));
      for (const item of response.Responses?.[tableName] ?? []) {
        const index = shardIndexOf(item);
        if (index !== undefined && index < count) snapshots[index] = snapshotOf(item);
      }
      pending = response.UnprocessedKeys?.[tableName];
    }
  }
  return snapshots;
}

function staleBucketsOf(snapshot: ShardSnapshot, nowMs: number, lifetimeMs: number): [string, number][] {
  return [...snapshot.buckets].filter(([bucket]) => isStaleBucket(bucket, nowMs, lifetimeMs));
}

/**
 * Releases the shard's abandoned reservations: every stale bucket leaves `committed` in one
 * conditional write. The condition (each bucket still holds what we saw) makes the release happen
 * exactly once however many instances race; a late settle that changed a bucket in between makes
 * us re-read and try once more. Returns the shard as it is afterwards, as far as we know.
 */
export async function releaseStale(client: DynamoDBClient, tableName: string, counter: string, shard: number, seen: ShardSnapshot, nowMs: number, lifetimeMs: number): Promise<ShardSnapshot> {
  let snapshot = seen;
  for (let attempt = 0; attempt < 2; attempt += 1) {
    const stale = staleBucketsOf(snapshot, nowMs, lifetimeMs);
    if (stale.length === 0) return snapshot;
    const names: Record<string, string> = { '#c': COMMITTED };
    const values: Item = { ':release': { N: String(-stale.reduce((total, [, amount]) => total + amount, 0)) } };
    const conditions: string[] = [];
    stale.forEach(([bucket, amount], index) => {
      names[`#b${index}`] = bucketAttribute(bucket);
      values[`:v${index}`] = { N: String(amount) };
      conditions.push(`#b${index} = :v${index}`);
    });
    try {
      const { Attributes: attributes } = await client.send(new UpdateItemCommand({
        TableName: tableName,
        Key: shardKey(counter, shard),
        UpdateExpression: `ADD #c :release REMOVE ${stale.map((_, index) => `#b${index}`).join(', ')}`,
        ConditionExpression: conditions.join(' AND '),
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
        ReturnValues: 'ALL_NEW',
      }));
      return snapshotOf(attributes);
    } catch (error) {
      if (!isServiceError(error, 'ConditionalCheckFailedException')) throw error;
      // Someone released it first, or a late settle moved a bucket: look again.
      const { Item: item } = await client.send(new GetItemCommand({ TableName: tableName, Key: shardKey(counter, shard), ConsistentRead: true }));
      snapshot = snapshotOf(item);
    }
  }
  return snapshot;
}
