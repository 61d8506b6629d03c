import type { UsageAggregateRow, UsageGroupField, UsageRecord } from '../store';
import { dayOf, parseTime } from './usage-layout';

/**
 * Folds usage records into one row per distinct combination of the group fields. Records are
 * added one page at a time, so aggregating a large range never holds all records in memory.
 */
export interface UsageAggregator {
  add(record: UsageRecord): void;
  /** The rows, most expensive first. */
  rows(): UsageAggregateRow[];
}

interface Totals {
  readonly group: Partial<Record<UsageGroupField, string>>;
  requests: number;
  inputTokens: number;
  outputTokens: number;
  cachedTokens: number;
  cacheWriteTokens: number;
  reasoningTokens: number;
  /** Cost in integer nano-dollars: integer sums are exact, float sums of many small costs are not. */
  costNanoUsd: number;
}

const NANO = 1e9;

function groupValue(record: UsageRecord, field: UsageGroupField): string | undefined {
  switch (field) {
    case 'team': return record.teamId;
    case 'user': return record.user;
    case 'key': return record.keyId;
    case 'model': return record.requestedModel;
    case 'provider': return record.provider;
    case 'day': {
      const ms = parseTime(record.time);
      return ms === undefined ? undefined : dayOf(ms);
    }
  }
}

export function createUsageAggregator(groupBy: readonly UsageGroupField[]): UsageAggregator {
  // Duplicates in groupBy would only repeat a column; drop them so the group key stays canonical.
  const fields = [...new Set(groupBy)];
  const groups = new Map<string, Totals>();

  return {
    add(record) {
      const values = fields.map((field) => groupValue(record, field));
      // JSON of the value list: unambiguous (no separator can collide with a value) and keeps
      // "absent" (null) apart from the empty string.
      const groupKey = JSON.stringify(values.map((value) => value ?? null));
      let totals = groups.get(groupKey);
      if (totals === undefined) {
        const group: Partial<Record<UsageGroupField, string>> = {};
        fields.forEach((field, index) => {
          const value = values[index];
          if (value !== undefined) group[field] = value;
        });
        totals = { group, requests: 0, inputTokens: 0, outputTokens: 0, cachedTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0, costNanoUsd: 0 };
        groups.set(groupKey, totals);
      }
      totals.requests += 1;
      totals.inputTokens += record.inputTokens;
      totals.outputTokens += record.outputTokens;
      totals.cachedTokens += record.cachedTokens;
      totals.cacheWriteTokens += record.cacheWriteTokens;
      totals.reasoningTokens += record.reasoningTokens;
      totals.costNanoUsd += Math.round(record.costUsd * NANO);
    },

    rows() {
      return [...groups.entries()]
        // Cost descending; ties by group key so the order is stable across runs and shards.
        .sort(([leftKey, left], [rightKey, right]) =>
          right.costNanoUsd - left.costNanoUsd || (leftKey < rightKey ? -1 : leftKey > rightKey ? 1 : 0))
        .map(([, totals]) => ({
          ...totals.group,
          requests: totals.requests,
          inputTokens: totals.inputTokens,
          outputTokens: totals.outputTokens,
          cachedTokens: totals.cachedTokens,
          cacheWriteTokens: totals.cacheWriteTokens,
          reasoningTokens: totals.reasoningTokens,
          costUsd: totals.costNanoUsd / NANO,
        }));
    },
  };
}
