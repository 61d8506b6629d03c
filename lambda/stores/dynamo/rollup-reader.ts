import type { AttributeValue, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { UsageQuery } from '../store';
import { type Item, optionalString, readNumber, readString } from './attributes';
import { forEachConcurrently } from './concurrency';
import { PK, queryPages, SK, TTL } from './table';
import type { UsageAggregator, UsageSums } from './usage-aggregate';
import { monthsOf, rollupDayBounds, rollupPartitionKey, TEAM_INDEX_PREFIX, teamIndexPartitionKey } from './rollup-layout';

export interface RollupReaderOptions {
  readonly shards: number;
  readonly concurrency: number;
  readonly now: () => number;
}

/** Query filters on roll-up attributes, mirroring the record filters (exact match). */
function filterExpression(query: UsageQuery, nowSeconds: number): { expression: string; names: Record<string, string>; values: Record<string, AttributeValue> } {
  const names: Record<string, string> = { '#ttl': TTL };
  const values: Record<string, AttributeValue> = { ':now': { N: String(nowSeconds) } };
  const filters = ['#ttl >= :now'];
  const optional: ReadonlyArray<readonly [string, string | undefined]> = [
    ['keyId', query.keyId], ['user', query.user], ['model', query.model], ['provider', query.provider],
  ];
  for (const [attribute, value] of optional) {
    if (value === undefined) continue;
    names[`#${attribute}`] = attribute;
    values[`:${attribute}`] = { S: value };
    filters.push(`#${attribute} = :${attribute}`);
  }
  return { expression: filters.join(' AND '), names, values };
}

function sumsOfItem(item: Item): UsageSums {
  return {
    requests: readNumber(item, 'requests'), inputTokens: readNumber(item, 'inputTokens'), outputTokens: readNumber(item, 'outputTokens'),
    cachedTokens: readNumber(item, 'cachedTokens'), cacheWriteTokens: readNumber(item, 'cacheWriteTokens'),
    reasoningTokens: readNumber(item, 'reasoningTokens'), costNanoUsd: readNumber(item, 'costNanoUsd'),
  };
}

/**
 * Adds the roll-ups of the whole UTC days [fromMs, toMs) matching the query to the aggregator.
 * One team: shards × months parallel Queries (a month is 8 Queries, one round). Every team: one
 * Query of the month's team index first, then the same per team.
 */
export async function addRollups(
  client: DynamoDBClient,
  tableName: string,
  options: RollupReaderOptions,
  query: UsageQuery,
  range: { readonly fromMs: number; readonly toMs: number },
  aggregator: UsageAggregator,
): Promise<void> {
  const months = monthsOf(range.fromMs, range.toMs);
  const nowSeconds = Math.floor(options.now() / 1000);

  async function teamsOf(month: string): Promise<string[]> {
    if (query.teamId !== undefined) return [query.teamId];
    const teams: string[] = [];
    const pages = queryPages(client, {
      TableName: tableName,
      KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :prefix)',
      ExpressionAttributeNames: { '#pk': PK, '#sk': SK },
      ExpressionAttributeValues: { ':pk': { S: teamIndexPartitionKey(month) }, ':prefix': { S: TEAM_INDEX_PREFIX } },
    });
    for await (const items of pages) teams.push(...items.map((item) => readString(item, 'teamId')));
    return teams;
  }

  const teamsPerMonth = await Promise.all(months.map(async (month) => ({ ...month, teams: await teamsOf(month.month) })));
  const partitions = teamsPerMonth.flatMap(({ month, firstDay, lastDay, teams }) => teams.flatMap((teamId) =>
    Array.from({ length: options.shards }, (_, shard) => ({ pk: rollupPartitionKey(teamId, month, shard), firstDay, lastDay }))));
  const filter = filterExpression(query, nowSeconds);

  await forEachConcurrently(partitions, options.concurrency, async ({ pk, firstDay, lastDay }) => {
    const bounds = rollupDayBounds(firstDay, lastDay);
    const pages = queryPages(client, {
      TableName: tableName,
      KeyConditionExpression: '#pk = :pk AND #sk BETWEEN :lower AND :upper',
      FilterExpression: filter.expression,
      ExpressionAttributeNames: { ...filter.names, '#pk': PK, '#sk': SK },
      ExpressionAttributeValues: { ...filter.values, ':pk': { S: pk }, ':lower': { S: bounds.lower }, ':upper': { S: bounds.upper } },
    });
    for await (const items of pages) {
      for (const item of items) {
        aggregator.addSums({
          team: readString(item, 'teamId'), user: optionalString(item, 'user'), key: readString(item, 'keyId'),
          model: readString(item, 'model'), provider: optionalString(item, 'provider'), day: readString(item, 'day'),
        }, sumsOfItem(item));
      }
    }
  });
}
