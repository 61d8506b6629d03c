import { capText } from '../errors/caller-text';
import type { UsageRecord } from '../stores/store';
import type { Logger } from './logger';

/** Receives every finished request's record: the one log line per request, and its metrics. */
export type RequestLog = (record: UsageRecord) => void;

type LogValue = string | number | boolean | undefined;

/** Every string is capped as in records, so a line stays small whatever a record producer let through. */
function capped(fields: Record<string, LogValue>): Record<string, LogValue> {
  return Object.fromEntries(Object.entries(fields).map(([name, value]) => [name, typeof value === 'string' ? capText(value) : value]));
}

/** The metadata fields of a record that go into logs: ids, model, tokens, cost, timings — never content. */
function logFields(record: UsageRecord): Record<string, LogValue> {
  return capped({
    requestId: record.requestId, keyId: record.keyId, team: record.teamId, user: record.user, model: record.requestedModel,
    provider: record.provider ?? 'none', providerModel: record.providerModel, status: record.status, httpStatus: record.httpStatus,
    inputTokens: record.inputTokens, outputTokens: record.outputTokens, cachedTokens: record.cachedTokens, cacheWriteTokens: record.cacheWriteTokens,
    reasoningTokens: record.reasoningTokens, costUsd: record.costUsd, latencyMs: record.latencyMs, ttftMs: record.ttftMs,
    streamed: record.streamed, usageEstimated: record.usageEstimated, errorCode: record.errorCode,
    ...piiFields(record),
  });
}

/** The scan's counts per type (`pii_email: 2`) and what was done; a value never reaches a log line. */
function piiFields(record: UsageRecord): Record<string, LogValue> {
  if (record.pii === undefined) return {};
  const counts = Object.fromEntries(Object.entries(record.pii.found).map(([type, count]) => [`pii_${type}`, count]));
  return { piiAction: record.pii.action, piiRedacted: record.pii.redacted, piiSkippedParts: record.pii.skippedParts, ...counts };
}

/** Findings of a record, in total and per type (metric names `PiiFindings`, `PiiFindings_<type>`). */
function piiMetrics(record: UsageRecord): { declared: { Name: string; Unit: 'Count' }[]; values: Record<string, number> } {
  if (record.pii === undefined) return { declared: [], values: {} };
  const perType = Object.entries(record.pii.found).map(([type, count]) => [`PiiFindings_${type}`, count] as const);
  const values: Record<string, number> = {
    PiiFindings: perType.reduce((sum, [, count]) => sum + count, 0),
    PiiRedacted: record.pii.redacted,
    PiiBlocked: record.pii.action === 'block' ? 1 : 0,
    ...Object.fromEntries(perType),
  };
  return { declared: Object.keys(values).map((name) => ({ Name: name, Unit: 'Count' })), values };
}

/** A plain structured log line per request, at info level. */
export function createLogRequestLog(logger: Logger): RequestLog {
  return (record) => {
    if (logger.enabled?.('info') === false) return;
    logger.info('request', logFields(record));
  };
}

const METRICS = [
  { Name: 'Requests', Unit: 'Count' },
  { Name: 'Errors', Unit: 'Count' },
  { Name: 'InputTokens', Unit: 'Count' },
  { Name: 'OutputTokens', Unit: 'Count' },
  { Name: 'CachedTokens', Unit: 'Count' },
  { Name: 'CostUsd', Unit: 'None' },
  { Name: 'LatencyMs', Unit: 'Milliseconds' },
  { Name: 'TimeToFirstTokenMs', Unit: 'Milliseconds' },
] as const;

/**
 * The request line in CloudWatch Embedded Metric Format: CloudWatch Logs turns it into metrics per
 * team, per model, per provider and overall, with no API call on the request path. Written whatever the
 * log level, because metrics must not disappear when logs are turned down.
 */
export function createEmfRequestLog(namespace: string, write: (line: string) => void = (line) => process.stdout.write(line)): RequestLog {
  return (record) => {
    const failed = record.status !== 'ok';
    const pii = piiMetrics(record);
    write(`${JSON.stringify({
      _aws: {
        Timestamp: Date.parse(record.time),
        CloudWatchMetrics: [{ Namespace: namespace, Dimensions: [['team'], ['model'], ['provider'], []], Metrics: [...METRICS, ...pii.declared] }],
      },
      level: 'info',
      message: 'request',
      ...logFields(record),
      Requests: 1,
      Errors: failed ? 1 : 0,
      InputTokens: record.inputTokens,
      OutputTokens: record.outputTokens,
      CachedTokens: record.cachedTokens,
      CostUsd: record.costUsd,
      LatencyMs: record.latencyMs,
      ...(record.ttftMs === undefined ? {} : { TimeToFirstTokenMs: record.ttftMs }),
      ...pii.values,
    })}\n`);
  };
}
