import type { AttributeValue, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { UsageQuery, UsagePage, UsageRecord } from '../store';
import { readString } from './attributes';
import { forEachConcurrently } from './concurrency';
import { PK, queryPages, SK, TTL } from './table';
import { groupValuesOf, negated, sumsOf, type UsageAggregator } from './usage-aggregate';
import { cursorTimeMs, decodeUsageCursor, encodeUsageCursor } from './usage-cursor';
import { fromItem } from './usage-items';
import { canonicalTime, daysNewestFirst, MS_PER_DAY, usagePartitionKey } from './usage-layout';

export const DEFAULT_USAGE_LIMIT = 1000;
export const MAX_USAGE_LIMIT = 10_000;

export interface RecordReaderOptions {
  readonly shards: number;
  readonly retentionDays: number;
  readonly concurrency: number;
  readonly now: () => number;
}

interface Partition {
  readonly day: string;
  readonly pk: string;
}

interface Found {
  readonly sortKey: string;
  readonly record: UsageRecord;
}

/** Reads usage records from their day × shard partitions: pages for listings, everything for edge-day sums. */
export interface RecordReader {
  page(query: UsageQuery, fromMs: number, toMs: number): Promise<UsagePage>;
  /** Adds the matching records of [from, to) to the aggregator, or with `subtract` takes them out. */
  addTo(aggregator: UsageAggregator, query: UsageQuery, fromMs: number, toMs: number, subtract?: boolean): Promise<void>;
}

const FILTERS: ReadonlyArray<readonly [string, (query: UsageQuery) => string | undefined]> = [
  ['teamId', (query) => query.teamId], ['keyId', (query) => query.keyId], ['user', (query) => query.user],
  ['requestedModel', (query) => query.model], ['provider', (query) => query.provider],
];

function isFiltered(query: UsageQuery): boolean {
  return FILTERS.some(([, valueOf]) => valueOf(query) !== undefined);
}

export function createRecordReader(client: DynamoDBClient, tableName: string, options: RecordReaderOptions): RecordReader {
  /** The (day, shard) partitions that can hold live records in [from, to), newest day first. */
  function partitionsFor(fromMs: number, toMs: number): Partition[] {
    const nowMs = options.now();
    // Only days that can still hold live records: an open-ended range such as from=1970 costs about
    // (retention + 3) × shards queries, not one per day since 1970 (ttl = time + retention).
    const enumerateFrom = Math.max(fromMs, nowMs - (options.retentionDays + 1) * MS_PER_DAY);
    const enumerateTo = Math.min(toMs, nowMs + MS_PER_DAY);
    return daysNewestFirst(enumerateFrom, enumerateTo).flatMap((day) =>
      Array.from({ length: options.shards }, (_, shard) => ({ day, pk: usagePartitionKey(day, shard) })));
  }

  /** Pages of live, matching records of one partition with sort keys in [lower, upper], newest first. */
  async function* readPartition(pk: string, lower: string, upper: string, query: UsageQuery, pageLimit?: number): AsyncGenerator<Found[]> {
    const names: Record<string, string> = { '#pk': PK, '#sk': SK, '#ttl': TTL };
    const values: Record<string, AttributeValue> = {
      ':pk': { S: pk }, ':lower': { S: lower }, ':upper': { S: upper },
      // TTL deletion lags (often up to two days), so expired records are filtered on read.
      ':now': { N: String(Math.floor(options.now() / 1000)) },
    };
    const filters = ['#ttl >= :now'];
    for (const [attribute, valueOf] of FILTERS) {
      const value = valueOf(query);
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
    for await (const items of pages) yield items.map((item) => ({ sortKey: readString(item, SK), record: fromItem(item) }));
  }

  return {
    async page(query, fromMs, toMs) {
      const limit = Math.min(Math.floor(query.limit ?? DEFAULT_USAGE_LIMIT), MAX_USAGE_LIMIT);
      if (!(limit >= 1) || toMs <= fromMs) return { records: [] };
      const after = query.cursor === undefined ? undefined : decodeUsageCursor(query.cursor);
      // BETWEEN is inclusive; `<to>` itself is never a sort key (see usageSortKeyBounds), a cursor is
      // and is dropped below. The smaller string is the tighter bound.
      const toBound = canonicalTime(toMs);
      const upper = after !== undefined && after < toBound ? after : toBound;
      const lower = canonicalTime(fromMs);
      if (upper <= lower) return { records: [] };
      const lastMs = after === undefined ? toMs : Math.min(toMs, cursorTimeMs(after) + 1);
      // One more than a page: finding it proves there is a next page.
      const wanted = limit + 1;
      const found: Found[] = [];
      const foundPerDay = new Map<string, number>();
      const newerThan = (day: string): number =>
        [...foundPerDay].reduce((sum, [other, count]) => (other > day ? sum + count : sum), 0);
      // Without filters nearly every item read is returned, so Limit saves reading 1 MB pages for
      // ten records; with filters Limit caps items evaluated, not returned, and only adds round trips.
      const pageLimit = isFiltered(query) ? undefined : wanted + 1;

      await forEachConcurrently(partitionsFor(fromMs, lastMs), options.concurrency, async ({ day, pk }) => {
        // Newest day first: once newer days alone hold `wanted` records, nothing here makes the cut.
        if (newerThan(day) >= wanted) return;
        let taken = 0;
        for await (const entries of readPartition(pk, lower, upper, query, pageLimit)) {
          const useful = entries.filter((entry) => entry.sortKey !== after).slice(0, wanted - taken);
          found.push(...useful);
          taken += useful.length;
          foundPerDay.set(day, (foundPerDay.get(day) ?? 0) + useful.length);
          if (taken >= wanted) break;
        }
      });
      found.sort((a, b) => (a.sortKey < b.sortKey ? 1 : a.sortKey > b.sortKey ? -1 : 0));
      const pageEntries = found.slice(0, limit);
      const last = pageEntries[pageEntries.length - 1];
      return {
        records: pageEntries.map((entry) => entry.record),
        ...(found.length > limit && last !== undefined ? { nextCursor: encodeUsageCursor(last.sortKey) } : {}),
      };
    },

    async addTo(aggregator, query, fromMs, toMs, subtract = false) {
      const lower = canonicalTime(fromMs);
      const upper = canonicalTime(toMs);
      await forEachConcurrently(partitionsFor(fromMs, toMs), options.concurrency, async ({ pk }) => {
        for await (const entries of readPartition(pk, lower, upper, query)) {
          for (const { record } of entries) {
            if (subtract) aggregator.addSums(groupValuesOf(record), negated(sumsOf(record)));
            else aggregator.add(record);
          }
        }
      });
    },
  };
}
