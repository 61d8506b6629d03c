import { type AttributeValue, type DynamoDBClient, PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import type { UsageRecord } from '../store';
import { marshalItem } from './attributes';
import { forEachConcurrently } from './concurrency';
import { PK, SK, TTL } from './table';
import { sumsOf, type UsageSums } from './usage-aggregate';
import { dayOf, MS_PER_DAY, parseTime, shardOf } from './usage-layout';
import {
  monthOf,
  type RollupGroup,
  rollupPartitionKey,
  rollupSortKey,
  teamIndexPartitionKey,
  teamIndexSortKey,
} from './rollup-layout';

/** One roll-up item's increment: records of one group in one batch, summed before writing. */
interface Increment {
  readonly pk: string;
  readonly sk: string;
  readonly group: RollupGroup;
  readonly ttl: number;
  sums: UsageSums;
}

const SUM_FIELDS = ['requests', 'inputTokens', 'outputTokens', 'cachedTokens', 'cacheWriteTokens', 'reasoningTokens', 'costNanoUsd'] as const;

function plus(left: UsageSums, right: UsageSums): UsageSums {
  const sums = { ...left };
  for (const field of SUM_FIELDS) sums[field] = left[field] + right[field];
  return sums;
}

/** The team index of a month lives as long as the month's last roll-up. */
function monthExpiry(month: string, retentionDays: number): number {
  const start = Date.parse(`${month}-01T00:00:00.000Z`);
  const date = new Date(start);
  const nextMonth = Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1);
  return Math.floor((nextMonth + retentionDays * MS_PER_DAY) / 1000);
}

export interface RollupWriterOptions {
  readonly shards: number;
  readonly retentionDays: number;
  /** Roll-up updates in flight at once. @default 8 */
  readonly concurrency?: number;
}

export interface RollupWriter {
  /** Adds stored records (as read back from their items, so truncated text matches) to their roll-ups. */
  add(records: readonly UsageRecord[]): Promise<void>;
}

/**
 * Adds records to roll-ups with UpdateItem ADD: atomic on the item, so any number of writers can
 * add at once without a read. Records of the same group in one batch become one update, so a busy
 * local gateway batching 25 records of one model writes one roll-up item, not 25.
 */
export function createRollupWriter(client: DynamoDBClient, tableName: string, options: RollupWriterOptions): RollupWriter {
  // Team-months this process already indexed: the index item is idempotent, so a restart only
  // costs one more PutItem per team and month.
  const indexed = new Set<string>();

  async function indexTeam(teamMonth: { teamId: string; month: string }): Promise<void> {
    const marker = JSON.stringify([teamMonth.teamId, teamMonth.month]);
    if (indexed.has(marker)) return;
    await client.send(new PutItemCommand({
      TableName: tableName,
      Item: {
        [PK]: { S: teamIndexPartitionKey(teamMonth.month) },
        [SK]: { S: teamIndexSortKey(teamMonth.teamId) },
        ...marshalItem({ teamId: teamMonth.teamId, [TTL]: monthExpiry(teamMonth.month, options.retentionDays) }),
      },
    }));
    indexed.add(marker);
  }

  async function update(increment: Increment): Promise<void> {
    const { group, sums } = increment;
    const labels = marshalItem({ day: group.day, teamId: group.teamId, keyId: group.keyId, user: group.user, model: group.model, provider: group.provider });
    const names: Record<string, string> = { '#ttl': TTL };
    const values: Record<string, AttributeValue> = { ':ttl': { N: String(increment.ttl) } };
    // Labels are SET on every update (same values each time): the first update creates the item.
    const sets = ['#ttl = :ttl'];
    for (const [name, value] of Object.entries(labels)) {
      names[`#${name}`] = name;
      values[`:${name}`] = value;
      sets.push(`#${name} = :${name}`);
    }
    const adds = SUM_FIELDS.map((field) => {
      names[`#${field}`] = field;
      values[`:${field}`] = { N: String(sums[field]) };
      return `#${field} :${field}`;
    });
    await client.send(new UpdateItemCommand({
      TableName: tableName,
      Key: { [PK]: { S: increment.pk }, [SK]: { S: increment.sk } },
      UpdateExpression: `SET ${sets.join(', ')} ADD ${adds.join(', ')}`,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    }));
  }

  return {
    async add(records) {
      const increments = new Map<string, Increment>();
      const teamMonths = new Map<string, { teamId: string; month: string }>();
      for (const record of records) {
        const timeMs = parseTime(record.time);
        if (timeMs === undefined) continue;
        const day = dayOf(timeMs);
        const group: RollupGroup = {
          day, teamId: record.teamId, keyId: record.keyId, model: record.requestedModel,
          ...(record.user === undefined ? {} : { user: record.user }),
          ...(record.provider === undefined ? {} : { provider: record.provider }),
        };
        const sk = rollupSortKey(group);
        // Kept as long as the day's last record: a roll-up outliving a record by up to a day is the
        // price of one expiry per item.
        const ttl = Math.floor((Date.parse(`${day}T00:00:00.000Z`) + MS_PER_DAY + options.retentionDays * MS_PER_DAY) / 1000);
        // One shard per group and batch, picked by the group's first request: a batch's records of one
        // group make one update, while separate writers (Lambda invocations, batches) still spread over
        // the shards. Keyed without the shard, so the whole group joins that one increment.
        const id = `${record.teamId}\n${monthOf(day)}\n${sk}`;
        const existing = increments.get(id);
        if (existing === undefined) {
          const pk = rollupPartitionKey(record.teamId, monthOf(day), shardOf(record.requestId, options.shards));
          increments.set(id, { pk, sk, group, ttl, sums: sumsOf(record) });
        } else {
          existing.sums = plus(existing.sums, sumsOf(record));
        }
        teamMonths.set(JSON.stringify([record.teamId, monthOf(day)]), { teamId: record.teamId, month: monthOf(day) });
      }
      const concurrency = options.concurrency ?? 8;
      // The index first: a report must never miss a team whose roll-ups exist.
      await forEachConcurrently([...teamMonths.values()], concurrency, indexTeam);
      await forEachConcurrently([...increments.values()], concurrency, update);
    },
  };
}
