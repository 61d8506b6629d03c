import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DEFAULT_SETTINGS } from '../../config/gateway-config';
import { InternalError, InvalidRequestError } from '../../errors/gateway-error';
import type { UsageStore } from '../store';
import type { Item } from './attributes';
import { BatchPutError, batchPut, type RejectedItem } from './batch-write';
import { addRollups } from './rollup-reader';
import { DEFAULT_ROLLUP_SHARDS, splitRange } from './rollup-layout';
import { createRollupWriter } from './rollup-writer';
import { createUsageAggregator } from './usage-aggregate';
import { fromItem, usageItem } from './usage-items';
import { MS_PER_DAY, parseTime } from './usage-layout';
import { createRecordReader } from './usage-records';

export { MAX_USAGE_STRING_LENGTH } from './usage-items';
export { DEFAULT_USAGE_LIMIT, MAX_USAGE_LIMIT } from './usage-records';

export interface DynamoUsageStoreOptions {
  /** Partitions per day (see usage-layout.ts). Changing it later hides older days' other shards. @default 8 */
  readonly shards?: number;
  /** Partitions per team and month of the roll-ups (rollup-layout.ts); fixed for a table's lifetime. @default 8 */
  readonly rollupShards?: number;
  /** Days a record is kept before TTL deletes it. @default 400 (the configuration's `settings.usageRetentionDays`) */
  readonly retentionDays?: number;
  /** Parallel partition queries per read. @default 8 */
  readonly queryConcurrency?: number;
  /**
   * false: aggregates read every record, never the roll-ups (roll-ups are still written). For
   * measuring what the roll-ups save, and for reading a table written before them. @default true
   */
  readonly readRollups?: boolean;
  /** The clock, injectable for tests. @default Date.now */
  readonly now?: () => number;
}

export const DEFAULT_USAGE_SHARDS = 8;
/** The configuration's documented default (`settings.usageRetentionDays`), so every composition root agrees. */
export const DEFAULT_USAGE_RETENTION_DAYS = DEFAULT_SETTINGS.usageRetentionDays;

function parseBound(text: string, name: 'from' | 'to'): number {
  const ms = parseTime(text);
  if (ms === undefined) throw new InvalidRequestError(`'${name}' must be an ISO-8601 time.`, 'invalid_request', { param: name });
  return ms;
}

function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Usage records (usage-layout.ts) and their daily roll-ups (rollup-layout.ts) in the gateway table.
 *
 * Exactly-once roll-ups: BatchWriteItem cannot be conditional, so a record's put is idempotent
 * (same key, overwritten) but cannot tell whether it was new. Roll-ups are therefore added only
 * for the items the batch confirms written, once per putUsages call, after the records; retries
 * inside the call (UnprocessedItems, SDK retries) never add twice. What remains: a caller that
 * puts the same record again in a later call adds it again (the gateway's usage sink never does),
 * and a roll-up update failing after its record was stored leaves that record out of the roll-ups
 * (the call then rejects naming it). Neither can happen without a failure or a re-put.
 */
export function createDynamoUsageStore(client: DynamoDBClient, tableName: string, options: DynamoUsageStoreOptions = {}): UsageStore {
  const shards = options.shards ?? DEFAULT_USAGE_SHARDS;
  const rollupShards = options.rollupShards ?? DEFAULT_ROLLUP_SHARDS;
  const retentionDays = options.retentionDays ?? DEFAULT_USAGE_RETENTION_DAYS;
  const concurrency = options.queryConcurrency ?? 8;
  const now = options.now ?? Date.now;
  const readRollups = options.readRollups ?? true;
  for (const [name, value] of [['usageShards', shards], ['rollupShards', rollupShards]] as const) {
    if (!Number.isInteger(value) || value < 1) throw new InternalError(`${name} must be a positive integer.`);
  }
  if (!(retentionDays > 0)) throw new InternalError('usageRetentionDays must be positive.');

  const records = createRecordReader(client, tableName, { shards, retentionDays, concurrency, now });
  const rollups = createRollupWriter(client, tableName, { shards: rollupShards, retentionDays });

  /** Whole days cut to those that can hold live roll-ups, so from=1970 costs no query per month since. */
  function liveDays(days: { fromMs: number; toMs: number }): { fromMs: number; toMs: number } | undefined {
    const nowMs = now();
    const fromMs = Math.max(days.fromMs, Math.floor(nowMs / MS_PER_DAY - retentionDays - 2) * MS_PER_DAY);
    const toMs = Math.min(days.toMs, Math.ceil(nowMs / MS_PER_DAY + 2) * MS_PER_DAY);
    return toMs > fromMs ? { fromMs, toMs } : undefined;
  }

  async function rollUp(written: readonly Item[], lost: { requestId: string; reason: string }[]): Promise<void> {
    try {
      // From the stored items, not the caller's objects, so truncated text groups as records read back do.
      await rollups.add(written.map(fromItem));
    } catch (error) {
      for (const item of written) lost.push({ requestId: item.requestId?.S ?? '?', reason: `roll-up not updated: ${reasonOf(error)}` });
    }
  }

  return {
    async putUsages(usageRecords) {
      // One record that cannot be marshalled (a bad time, a NaN cost) must not stop the others either.
      const items: Item[] = [];
      const lost: { requestId: string; reason: string }[] = [];
      for (const record of usageRecords) {
        try {
          items.push(usageItem(record, shards, retentionDays));
        } catch (error) {
          lost.push({ requestId: record.requestId, reason: reasonOf(error) });
        }
      }
      let written: readonly Item[];
      let rejected: readonly RejectedItem[];
      let failure: unknown;
      try {
        ({ written, rejected } = await batchPut(client, tableName, items));
      } catch (error) {
        if (!(error instanceof BatchPutError)) throw error;
        ({ written, rejected } = error);
        failure = error.failure;
      }
      await rollUp(written, lost);
      for (const { item, reason } of rejected) lost.push({ requestId: item.requestId?.S ?? '?', reason });
      if (failure !== undefined) throw failure;
      if (lost.length > 0) {
        // Every other record is stored by now. Name the lost ones by request id only: a record's
        // content is caller-supplied and may be huge or sensitive.
        throw new InternalError(`Dropped ${lost.length} usage record(s) that could not be stored `
          + `(request ids: ${lost.map(({ requestId }) => requestId).join(', ')}): ${lost[0]?.reason ?? ''}`);
      }
    },

    async queryUsage(query) {
      return records.page(query, parseBound(query.from, 'from'), parseBound(query.to, 'to'));
    },

    async aggregateUsage(query, groupBy) {
      const fromMs = parseBound(query.from, 'from');
      const toMs = parseBound(query.to, 'to');
      const aggregator = createUsageAggregator(groupBy);
      if (!readRollups) {
        await records.addTo(aggregator, query, fromMs, toMs);
        return aggregator.rows();
      }
      // Whole UTC days from the roll-ups (a team's month: 8 parallel Queries); only the partial
      // days at the edges from records (see splitRange for a range ending now). The parts are
      // disjoint, and subtracted records lie inside the roll-up days, so the sums add up exactly.
      const split = splitRange(fromMs, toMs, now());
      const wholeDays = split.wholeDays === undefined ? undefined : liveDays(split.wholeDays);
      await Promise.all([
        ...(wholeDays === undefined ? [] : [addRollups(client, tableName, { shards: rollupShards, concurrency, now }, query, wholeDays, aggregator)]),
        ...split.edges.map((edge) => records.addTo(aggregator, query, edge.fromMs, edge.toMs)),
        ...split.subtract.map((span) => records.addTo(aggregator, query, span.fromMs, span.toMs, true)),
      ]);
      return aggregator.rows();
    },
  };
}

