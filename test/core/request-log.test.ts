import { MAX_RECORDED_TEXT } from '../../lambda/errors/caller-text';
import { createJsonLogger } from '../../lambda/logging/logger';
import { createEmfRequestLog, createLogRequestLog } from '../../lambda/logging/request-log';
import type { UsageRecord } from '../../lambda/stores/store';

const record: UsageRecord = {
  requestId: 'req_1', time: '2026-11-27T10:00:00.000Z', keyId: 'k1', teamId: 'team_a', user: 'alice@example.com',
  requestedModel: 'gpt-test', provider: 'openai', providerModel: 'gpt-4o-mini', operation: 'openai-chat', inputTokens: 12,
  outputTokens: 5, cachedTokens: 4, cacheWriteTokens: 0, reasoningTokens: 2, usageEstimated: false, costUsd: 0.000058, latencyMs: 812.5, ttftMs: 120.25,
  httpStatus: 200, status: 'ok', streamed: true, userAgent: 'OpenAI/JS 6.49.0',
};

describe('request log', () => {
  it('writes CloudWatch EMF with metrics per team, model, provider and overall', () => {
    const lines: string[] = [];
    createEmfRequestLog('GateLLM', (line) => lines.push(line))(record);
    expect(lines).toHaveLength(1);
    const entry = JSON.parse(lines[0] ?? '') as Record<string, unknown> & { _aws: { Timestamp: number; CloudWatchMetrics: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string }[] }[] } };
    const directive = entry._aws.CloudWatchMetrics[0];
    expect(entry._aws.Timestamp).toBe(Date.parse(record.time));
    expect(directive?.Namespace).toBe('GateLLM');
    expect(directive?.Dimensions).toEqual([['team'], ['model'], ['provider'], []]);
    // Every declared metric and dimension has a value in the same line, as EMF requires.
    for (const metric of directive?.Metrics ?? []) expect(typeof entry[metric.Name]).toBe('number');
    for (const dimension of directive?.Dimensions.flat() ?? []) expect(typeof entry[dimension]).toBe('string');
    expect(entry).toMatchObject({ team: 'team_a', model: 'gpt-test', provider: 'openai', Requests: 1, Errors: 0, CostUsd: 0.000058, TimeToFirstTokenMs: 120.25 });
  });

  it('counts data-protection findings per type, as log fields and metrics, never values', () => {
    const lines: string[] = [];
    const pii = { found: { email: 2, api_key: 1 }, action: 'block' as const, redacted: 0, skippedParts: 1 };
    createEmfRequestLog('GateLLM', (line) => lines.push(line))({ ...record, pii });
    const entry = JSON.parse(lines[0] ?? '') as Record<string, unknown> & { _aws: { CloudWatchMetrics: { Metrics: { Name: string }[] }[] } };
    const names = entry._aws.CloudWatchMetrics[0]?.Metrics.map((metric) => metric.Name) ?? [];
    expect(names).toEqual(expect.arrayContaining(['PiiFindings', 'PiiRedacted', 'PiiBlocked', 'PiiFindings_email', 'PiiFindings_api_key']));
    expect(entry).toMatchObject({ PiiFindings: 3, PiiBlocked: 1, PiiRedacted: 0, PiiFindings_email: 2, pii_email: 2, pii_api_key: 1, piiAction: 'block', piiSkippedParts: 1 });
    const plain: string[] = [];
    createEmfRequestLog('GateLLM', (line) => plain.push(line))(record);
    expect(plain[0]).not.toContain('Pii');
  });

  it('never carries prompt or completion content, and counts failures as errors', () => {
    const lines: string[] = [];
    createEmfRequestLog('GateLLM', (line) => lines.push(line))({ ...record, status: 'upstream_error', provider: undefined, ttftMs: undefined });
    const entry = JSON.parse(lines[0] ?? '') as Record<string, unknown>;
    expect(entry).toMatchObject({ Errors: 1, provider: 'none' });
    expect(entry).not.toHaveProperty('TimeToFirstTokenMs');
    expect(Object.keys(entry)).not.toEqual(expect.arrayContaining(['messages', 'prompt', 'content', 'userAgent']));
  });

  it('logs a plain info line when metrics are not wanted, and nothing when logs are off', () => {
    const lines: string[] = [];
    createLogRequestLog(createJsonLogger('info', (line) => lines.push(line)))(record);
    expect(JSON.parse(lines[0] ?? '')).toMatchObject({ level: 'info', message: 'request', requestId: 'req_1', costUsd: 0.000058 });
    createLogRequestLog(createJsonLogger('warn', (line) => lines.push(line)))(record);
    expect(lines).toHaveLength(1);
  });

  it('caps every caller-supplied string in the line, however long the record carries it', () => {
    const lines: string[] = [];
    const huge = { ...record, requestedModel: 'm'.repeat(500_000), user: 'u'.repeat(10_000) };
    createEmfRequestLog('GateLLM', (line) => lines.push(line))(huge);
    createLogRequestLog(createJsonLogger('info', (line) => lines.push(line)))(huge);
    for (const line of lines) {
      expect(line.length).toBeLessThan(3000);
      const entry = JSON.parse(line) as { model: string; user: string };
      expect(entry.model.length).toBeLessThanOrEqual(MAX_RECORDED_TEXT);
      expect(entry.user.startsWith('uuu')).toBe(true);
    }
  });
});
