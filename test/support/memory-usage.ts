import { InvalidRequestError } from '../../lambda/errors/gateway-error';
import { createUsageAggregator } from '../../lambda/stores/dynamo/usage-aggregate';
import { decodeUsageCursor, encodeUsageCursor } from '../../lambda/stores/dynamo/usage-cursor';
import { usageSortKey } from '../../lambda/stores/dynamo/usage-layout';
import { DEFAULT_USAGE_LIMIT, MAX_USAGE_LIMIT } from '../../lambda/stores/dynamo/usage-store';
import type { UsageAggregateRow, UsageGroupField, UsagePage, UsageQuery, UsageRecord, UsageStore } from '../../lambda/stores/store';

/**
 * Usage records in memory, as the DynamoDB store answers (test/stores/store-contract.test.ts holds
 * both to it): exact filters on team, user, key, model and provider; newest first by the same sort
 * key; `limit` pages with the same opaque cursor; a record put twice (same request id) stored once.
 */
export function createMemoryUsage(usageRecords: UsageRecord[]): UsageStore {
  return {
    async putUsages(records) {
      for (const record of records) {
        // The DynamoDB key is (time, request id): a re-put overwrites rather than adds.
        // The request id first: cheap, and it rules out nearly every stored record.
        const at = usageRecords.findIndex((stored) => stored.requestId === record.requestId && sortKeyOf(stored) === sortKeyOf(record));
        if (at >= 0) usageRecords[at] = record;
        else usageRecords.push(record);
      }
    },
    async queryUsage(query: UsageQuery): Promise<UsagePage> {
      const limit = Math.min(Math.floor(query.limit ?? DEFAULT_USAGE_LIMIT), MAX_USAGE_LIMIT);
      const after = query.cursor === undefined ? undefined : decodeUsageCursor(query.cursor);
      if (!(limit >= 1)) return { records: [] };
      const rest = matching(usageRecords, query).filter((entry) => after === undefined || entry.sortKey < after);
      const page = rest.slice(0, limit);
      const last = page[page.length - 1];
      return {
        records: page.map((entry) => entry.record),
        ...(rest.length > limit && last !== undefined ? { nextCursor: encodeUsageCursor(last.sortKey) } : {}),
      };
    },
    async aggregateUsage(query: UsageQuery, groupBy: readonly UsageGroupField[]): Promise<UsageAggregateRow[]> {
      const aggregator = createUsageAggregator(groupBy);
      // Every matching record, as the DynamoDB store aggregates: `limit` and `cursor` bound listings only.
      for (const { record } of matching(usageRecords, query)) aggregator.add(record);
      return aggregator.rows();
    },
  };
}

function parseBound(text: string, name: string): number {
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) throw new InvalidRequestError(`'${name}' must be an ISO-8601 time.`, 'invalid_request', { param: name });
  return ms;
}

function sortKeyOf(record: UsageRecord): string {
  return usageSortKey(Date.parse(record.time), record.requestId);
}

/** Records in [from, to) matching every filter, newest first by sort key (time, then request id), as DynamoDB returns them. */
function matching(records: readonly UsageRecord[], query: UsageQuery): { record: UsageRecord; sortKey: string }[] {
  const from = parseBound(query.from, 'from');
  const to = parseBound(query.to, 'to');
  return records
    .filter((record) => {
      const time = Date.parse(record.time);
      return time >= from && time < to
        && (query.teamId === undefined || record.teamId === query.teamId)
        && (query.user === undefined || record.user === query.user)
        && (query.keyId === undefined || record.keyId === query.keyId)
        && (query.model === undefined || record.requestedModel === query.model)
        && (query.provider === undefined || record.provider === query.provider);
    })
    .map((record) => ({ record, sortKey: sortKeyOf(record) }))
    .sort((a, b) => (a.sortKey < b.sortKey ? 1 : a.sortKey > b.sortKey ? -1 : 0));
}
