import type { UsageAggregateRow, UsageGroupField, UsageRecord } from '../store';
import { dayOf, parseTime } from './usage-layout';

/**
 * Folds usage records into one row per distinct combination of the group fields. Records are
 * added one page at a time, so aggregating a large range never holds all records in memory.
 */
export interface UsageAggregator {
  add(record: UsageRecord): void;
  /** Adds pre-summed records (a roll-up) whose group fields are `group`: the same as adding each record. */
  addSums(group: GroupValues, sums: UsageSums): void;
  /** The rows, most expensive first. */
  rows(): UsageAggregateRow[];
}

/** The group fields of a record or roll-up; absent user/provider stay absent. */
export type GroupValues = Readonly<Record<UsageGroupField, string | undefined>>;

/** What a roll-up sums; cost in integer nano-USD, each record's cost rounded as `costNanoUsdOf` does. */
export type UsageSums = Omit<UsageAggregateRow, UsageGroupField | 'costUsd'> & { readonly costNanoUsd: number };

const NANO = 1e9;

/** A record's cost in integer nano-dollars: integer sums are exact, float sums of many small costs are not. */
export function costNanoUsdOf(record: UsageRecord): number {
  return Math.round(record.costUsd * NANO);
}

/** Sums with every field negated: taking records back out of a roll-up. */
export function negated(sums: UsageSums): UsageSums {
  return {
    requests: -sums.requests, inputTokens: -sums.inputTokens, outputTokens: -sums.outputTokens, cachedTokens: -sums.cachedTokens,
    cacheWriteTokens: -sums.cacheWriteTokens, reasoningTokens: -sums.reasoningTokens, costNanoUsd: -sums.costNanoUsd,
  };
}

/** One record as sums, for roll-ups and the aggregator alike. */
export function sumsOf(record: UsageRecord): UsageSums {
  return {
    requests: 1, inputTokens: record.inputTokens, outputTokens: record.outputTokens, cachedTokens: record.cachedTokens,
    cacheWriteTokens: record.cacheWriteTokens, reasoningTokens: record.reasoningTokens, costNanoUsd: costNanoUsdOf(record),
  };
}

export function groupValuesOf(record: UsageRecord): GroupValues {
  const ms = parseTime(record.time);
  return {
    team: record.teamId, user: record.user, key: record.keyId, model: record.requestedModel, provider: record.provider,
    day: ms === undefined ? undefined : dayOf(ms),
  };
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

export function createUsageAggregator(groupBy: readonly UsageGroupField[]): UsageAggregator {
  // Duplicates in groupBy would only repeat a column; drop them so the group key stays canonical.
  const fields = [...new Set(groupBy)];
  const groups = new Map<string, Totals>();

  function addSums(groupValues: GroupValues, sums: UsageSums): void {
    const values = fields.map((field) => groupValues[field]);
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
    totals.requests += sums.requests;
    totals.inputTokens += sums.inputTokens;
    totals.outputTokens += sums.outputTokens;
    totals.cachedTokens += sums.cachedTokens;
    totals.cacheWriteTokens += sums.cacheWriteTokens;
    totals.reasoningTokens += sums.reasoningTokens;
    totals.costNanoUsd += sums.costNanoUsd;
  }

  return {
    add(record) {
      addSums(groupValuesOf(record), sumsOf(record));
    },

    addSums,

    rows() {
      return [...groups.entries()]
        // A group whose records were all taken back out (roll-up minus records after `to`) has no row.
        .filter(([, totals]) => totals.requests !== 0)
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
