import type { AttributeValue, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DEFAULT_SETTINGS } from '../../config/gateway-config';
import { InternalError, InvalidRequestError } from '../../errors/gateway-error';
import type { UsageQuery, UsageRecord, UsageStatus, UsageStore } from '../store';
import {
  type Item,
  marshalItem,
  optionalNumber,
  optionalString,
  readBoolean,
  readNumber,
  readString,
  withoutUndefined,
} from './attributes';
import { batchPut } from './batch-write';
import { truncateString } from './item-size';
import { forEachConcurrently } from './concurrency';
import { PK, queryPages, SK, TTL } from './table';
import { createUsageAggregator } from './usage-aggregate';
import {
  dayOf,
  daysNewestFirst,
  expiryEpochSeconds,
  MS_PER_DAY,
  parseTime,
  shardOf,
  usagePartitionKey,
  usageSortKey,
  usageSortKeyBounds,
} from './usage-layout';

export interface DynamoUsageStoreOptions {
  /** Partitions per day (see usage-layout.ts). Changing it later hides older days' other shards. @default 8 */
  readonly shards?: number;
  /** Days a record is kept before TTL deletes it. @default 400 (the configuration's `settings.usageRetentionDays`) */
  readonly retentionDays?: number;
  /** Parallel partition queries per read. @default 8 */
  readonly queryConcurrency?: number;
  /** The clock, injectable for tests. @default Date.now */
  readonly now?: () => number;
}

export const DEFAULT_USAGE_SHARDS = 8;
/** The configuration's documented default (`settings.usageRetentionDays`), so every composition root agrees. */
export const DEFAULT_USAGE_RETENTION_DAYS = DEFAULT_SETTINGS.usageRetentionDays;
export const DEFAULT_USAGE_LIMIT = 1000;
export const MAX_USAGE_LIMIT = 10_000;

/**
 * Longest free-text attribute of a stored record (model names, user, user-agent, error code...), in
 * UTF-16 units. The gateway caps caller-supplied strings at the source; this is defence in depth, so
 * that however a record was built it fits DynamoDB's 400 KB item limit (22 attributes of at most
 * 3 KB of UTF-8 each) and is stored, truncated, rather than lost with its whole batch.
 */
export const MAX_USAGE_STRING_LENGTH = 1024;

const STATUSES: ReadonlySet<string> = new Set<UsageStatus>(['ok', 'client_aborted', 'upstream_error', 'error']);

function isUsageStatus(value: string): value is UsageStatus {
  return STATUSES.has(value);
}

function toItem(record: UsageRecord, timeMs: number, shards: number, retentionDays: number): Item {
  // Identifiers (request, key and team ids, time) stay exact: they are keys and filters. Free text is bounded.
  const bounded = (text: string | undefined): string | undefined =>
    text === undefined ? undefined : truncateString(text, MAX_USAGE_STRING_LENGTH);
  return {
    [PK]: { S: usagePartitionKey(dayOf(timeMs), shardOf(record.requestId, shards)) },
    [SK]: { S: usageSortKey(timeMs, record.requestId) },
    // Every record field as its own attribute, listed rather than spread so that extra
    // properties of a wider object never reach the table. marshalItem drops unset optionals.
    ...marshalItem({
      [TTL]: expiryEpochSeconds(timeMs, retentionDays),
      requestId: record.requestId,
      time: record.time,
      keyId: record.keyId,
      teamId: record.teamId,
      user: bounded(record.user),
      requestedModel: bounded(record.requestedModel),
      provider: bounded(record.provider),
      providerModel: bounded(record.providerModel),
      operation: bounded(record.operation),
      inputTokens: record.inputTokens,
      outputTokens: record.outputTokens,
      cachedTokens: record.cachedTokens,
      cacheWriteTokens: record.cacheWriteTokens,
      reasoningTokens: record.reasoningTokens,
      usageEstimated: record.usageEstimated,
      costUsd: record.costUsd,
      latencyMs: record.latencyMs,
      ttftMs: record.ttftMs,
      httpStatus: record.httpStatus,
      status: record.status,
      streamed: record.streamed,
      userAgent: bounded(record.userAgent),
      errorCode: bounded(record.errorCode),
    }),
  };
}

function fromItem(item: Item): UsageRecord {
  const status = readString(item, 'status');
  if (!isUsageStatus(status)) throw new InternalError(`Stored usage record has unknown status '${status}'.`);
  return withoutUndefined({
    requestId: readString(item, 'requestId'),
    time: readString(item, 'time'),
    keyId: readString(item, 'keyId'),
    teamId: readString(item, 'teamId'),
    user: optionalString(item, 'user'),
    requestedModel: readString(item, 'requestedModel'),
    provider: optionalString(item, 'provider'),
    providerModel: optionalString(item, 'providerModel'),
    operation: readString(item, 'operation'),
    inputTokens: readNumber(item, 'inputTokens'),
    outputTokens: readNumber(item, 'outputTokens'),
    cachedTokens: readNumber(item, 'cachedTokens'),
    cacheWriteTokens: optionalNumber(item, 'cacheWriteTokens') ?? 0,
    reasoningTokens: readNumber(item, 'reasoningTokens'),
    usageEstimated: readBoolean(item, 'usageEstimated'),
    costUsd: readNumber(item, 'costUsd'),
    latencyMs: readNumber(item, 'latencyMs'),
    ttftMs: optionalNumber(item, 'ttftMs'),
    httpStatus: readNumber(item, 'httpStatus'),
    status,
    streamed: readBoolean(item, 'streamed'),
    userAgent: optionalString(item, 'userAgent'),
    errorCode: optionalString(item, 'errorCode'),
  });
}

function parseBound(text: string, name: 'from' | 'to'): number {
  const ms = parseTime(text);
  if (ms === undefined) throw new InvalidRequestError(`'${name}' must be an ISO-8601 time.`, 'invalid_request', { param: name });
  return ms;
}

interface Partition {
  readonly day: string;
  readonly pk: string;
}

export function createDynamoUsageStore(
  client: DynamoDBClient,
  tableName: string,
  options: DynamoUsageStoreOptions = {},
): UsageStore {
  const shards = options.shards ?? DEFAULT_USAGE_SHARDS;
  const retentionDays = options.retentionDays ?? DEFAULT_USAGE_RETENTION_DAYS;
  const concurrency = options.queryConcurrency ?? 8;
  const now = options.now ?? Date.now;
  if (!Number.isInteger(shards) || shards < 1) throw new InternalError('usageShards must be a positive integer.');
  if (!(retentionDays > 0)) throw new InternalError('usageRetentionDays must be positive.');

  function itemFor(record: UsageRecord): Item {
    const timeMs = parseTime(record.time);
    if (timeMs === undefined) throw new InternalError(`Usage record ${record.requestId} has an invalid time.`);
    return toItem(record, timeMs, shards, retentionDays);
  }

  /** The (day, shard) partitions that can hold live records in [from, to), newest day first. */
  function partitionsFor(fromMs: number, toMs: number): Partition[] {
    const nowMs = now();
    // Only enumerate days that can still hold live records, so an open-ended range such as
    // from=1970 costs about (retention + 3) × shards queries, not one per day since 1970: anything
    // older has a ttl in the past by construction (ttl = time + retention), and times more than
    // a day ahead of this clock would mean a writer's clock far off.
    const enumerateFrom = Math.max(fromMs, nowMs - (retentionDays + 1) * MS_PER_DAY);
    const enumerateTo = Math.min(toMs, nowMs + MS_PER_DAY);
    return daysNewestFirst(enumerateFrom, enumerateTo).flatMap((day) =>
      Array.from({ length: shards }, (_, shard) => ({ day, pk: usagePartitionKey(day, shard) })));
  }

  /** Yields pages of live, matching records of one partition, newest first. */
  async function* readPartition(
    pk: string,
    fromMs: number,
    toMs: number,
    query: UsageQuery,
    pageLimit?: number,
  ): AsyncGenerator<UsageRecord[]> {
    const bounds = usageSortKeyBounds(fromMs, toMs);
    const names: Record<string, string> = { '#pk': PK, '#sk': SK, '#ttl': TTL };
    const values: Record<string, AttributeValue> = {
      ':pk': { S: pk },
      ':lower': { S: bounds.lower },
      ':upper': { S: bounds.upper },
      // TTL deletion lags (often up to two days), so expired records are filtered on read.
      ':now': { N: String(Math.floor(now() / 1000)) },
    };
    const filters = ['#ttl >= :now'];
    const optionalFilters: ReadonlyArray<readonly [string, string | undefined]> = [
      ['teamId', query.teamId], ['keyId', query.keyId], ['requestedModel', query.model],
    ];
    for (const [attribute, value] of optionalFilters) {
      if (value === undefined) continue;
      names[`#${attribute}`] = attribute;
      values[`:${attribute}`] = { S: value };
      filters.push(`#${attribute} = :${attribute}`);
    }
    const pages = queryPages(client, {
      TableName: tableName,
      KeyConditionExpression: '#pk = :pk AND #sk BETWEEN :lower AND :upper',
      FilterExpression: filters.join(' AND '),
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
      ScanIndexForward: false,
      Limit: pageLimit,
    });
    for await (const items of pages) yield items.map(fromItem);
  }

  return {
    async putUsages(records) {
      // One record that cannot be marshalled (a bad time, a NaN cost) must not stop the others either.
      const items: Item[] = [];
      const lost: { requestId: string; reason: string }[] = [];
      for (const record of records) {
        try {
          items.push(itemFor(record));
        } catch (error) {
          lost.push({ requestId: record.requestId, reason: error instanceof Error ? error.message : String(error) });
        }
      }
      // No condition: a retried write of the same request id lands on the same key and overwrites.
      const { rejected } = await batchPut(client, tableName, items);
      for (const { item, reason } of rejected) lost.push({ requestId: item.requestId?.S ?? '?', reason });
      if (lost.length > 0) {
        // Every other record is stored by now. Name the lost ones by request id only: a record's
        // content is caller-supplied and may be huge or sensitive.
        throw new InternalError(`Dropped ${lost.length} usage record(s) that could not be stored `
          + `(request ids: ${lost.map(({ requestId }) => requestId).join(', ')}): ${lost[0]?.reason ?? ''}`);
      }
    },

    async queryUsage(query) {
      const fromMs = parseBound(query.from, 'from');
      const toMs = parseBound(query.to, 'to');
      const limit = Math.min(Math.floor(query.limit ?? DEFAULT_USAGE_LIMIT), MAX_USAGE_LIMIT);
      if (!(limit >= 1) || toMs <= fromMs) return [];

      const found: UsageRecord[] = [];
      const foundPerDay = new Map<string, number>();
      const newerThan = (day: string): number =>
        [...foundPerDay].reduce((sum, [other, count]) => (other > day ? sum + count : sum), 0);
      // Without item filters nearly every record read is returned, so asking for `limit` items per
      // page avoids reading 1 MB pages to return ten records. With filters, Limit would cap
      // items evaluated, not returned, and only add round trips.
      const filtered = query.teamId !== undefined || query.keyId !== undefined || query.model !== undefined;

      await forEachConcurrently(partitionsFor(fromMs, toMs), concurrency, async ({ day, pk }) => {
        // Partitions run newest day first: once newer days alone hold `limit` records, nothing
        // in this (older) day can make the cut.
        if (newerThan(day) >= limit) return;
        let taken = 0;
        for await (const records of readPartition(pk, fromMs, toMs, query, filtered ? undefined : limit)) {
          // Each partition is read newest first, so its first `limit` records are all it can add.
          const useful = records.slice(0, limit - taken);
          found.push(...useful);
          taken += useful.length;
          foundPerDay.set(day, (foundPerDay.get(day) ?? 0) + useful.length);
          if (taken >= limit) break;
        }
      });
      return sortNewestFirst(found).slice(0, limit);
    },

    async aggregateUsage(query, groupBy) {
      const fromMs = parseBound(query.from, 'from');
      const toMs = parseBound(query.to, 'to');
      const aggregator = createUsageAggregator(groupBy);
      // Reads every record in range (no limit): cost grows with traffic. A later issue adds daily
      // roll-up items so that reports over long ranges read one item per group and day instead.
      await forEachConcurrently(partitionsFor(fromMs, toMs), concurrency, async ({ pk }) => {
        for await (const records of readPartition(pk, fromMs, toMs, query)) {
          for (const record of records) aggregator.add(record);
        }
      });
      return aggregator.rows();
    },
  };
}

/** Newest first by canonical time, then request id; the stored `time` may carry any offset. */
function sortNewestFirst(records: readonly UsageRecord[]): UsageRecord[] {
  return records
    .map((record) => ({ record, key: usageSortKey(parseTime(record.time) ?? 0, record.requestId) }))
    .sort((a, b) => (a.key < b.key ? 1 : a.key > b.key ? -1 : 0))
    .map(({ record }) => record);
}
