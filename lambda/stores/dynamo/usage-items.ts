import { InternalError } from '../../errors/gateway-error';
import type { PiiSummary, UsageRecord, UsageStatus } from '../store';
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
import { formatPiiCounts, parsePiiCounts } from '../pii-counts';
import { truncateString } from './item-size';
import { PK, SK, TTL } from './table';
import { dayOf, expiryEpochSeconds, parseTime, shardOf, usagePartitionKey, usageSortKey } from './usage-layout';

/** A usage record as one table item, and back: the single place the record's attributes are listed. */

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

const PII_ACTIONS: ReadonlySet<string> = new Set<PiiSummary['action']>(['none', 'log', 'redact', 'block']);

function piiFromItem(item: Item): PiiSummary | undefined {
  const action = optionalString(item, 'piiAction');
  if (action === undefined || !PII_ACTIONS.has(action)) return undefined;
  return {
    found: parsePiiCounts(optionalString(item, 'piiFound') ?? ''),
    action: action as PiiSummary['action'],
    redacted: optionalNumber(item, 'piiRedacted') ?? 0,
    skippedParts: optionalNumber(item, 'piiSkippedParts') ?? 0,
  };
}

export function toItem(record: UsageRecord, timeMs: number, shards: number, retentionDays: number): Item {
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
      // Counts only: the scan's findings never carry a value.
      piiAction: record.pii?.action,
      piiFound: record.pii === undefined ? undefined : bounded(formatPiiCounts(record.pii.found)),
      piiRedacted: record.pii?.redacted,
      piiSkippedParts: record.pii?.skippedParts,
    }),
  };
}

export function fromItem(item: Item): UsageRecord {
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
    pii: piiFromItem(item),
  });
}


/** The item of a record, or an error for a record that cannot be stored (a bad time). */
export function usageItem(record: UsageRecord, shards: number, retentionDays: number): Item {
  const timeMs = parseTime(record.time);
  if (timeMs === undefined) throw new InternalError(`Usage record ${record.requestId} has an invalid time.`);
  return toItem(record, timeMs, shards, retentionDays);
}
