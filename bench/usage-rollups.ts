/**
 * Usage reports at scale: a team's month aggregated from roll-ups versus from every record, on the
 * embedded store (a separate process speaking DynamoDB's API), with RECORDS records over 30 days.
 */
import { createLocalDynamoClient, startEmbeddedDynamo } from '../lambda/local/embedded-dynamo';
import { ensureTable } from '../lambda/stores/dynamo';
import { createDynamoUsageStore } from '../lambda/stores/dynamo/usage-store';
import type { UsageRecord } from '../lambda/stores/store';
import { fmt } from './lib/stats';

const RECORDS = 10_000;
const NOW = Date.parse('2026-05-05T12:00:00.000Z');
const START = Date.parse('2026-04-01T00:00:00.000Z');

function record(i: number): UsageRecord {
  return {
    requestId: `scale-${i}`, time: new Date(START + Math.floor((i / RECORDS) * 30 * 86_400_000)).toISOString(),
    keyId: `key-${i % 6}`, teamId: i % 5 === 0 ? 'team-quiet' : 'team-hot', user: `user-${i % 3}`,
    requestedModel: ['gpt-4o', 'gpt-4o-mini', 'claude-sonnet'][i % 3] ?? 'gpt-4o', provider: i % 3 === 2 ? 'anthropic' : 'openai',
    operation: 'openai-chat', inputTokens: 500 + (i % 300), outputTokens: 100, cachedTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0,
    usageEstimated: false, costUsd: 0.000731 * (1 + (i % 11)), latencyMs: 5, httpStatus: 200, status: 'ok', streamed: false,
  };
}

export async function usageRollupSection(): Promise<string> {
  const server = await startEmbeddedDynamo();
  const client = createLocalDynamoClient(server.endpoint);
  try {
    await ensureTable(client, 'bench');
    const store = (readRollups: boolean): ReturnType<typeof createDynamoUsageStore> =>
      createDynamoUsageStore(client, 'bench', { now: () => NOW, readRollups });
    for (let i = 0; i < RECORDS; i += 500) await store(true).putUsages(Array.from({ length: Math.min(500, RECORDS - i) }, (_, j) => record(i + j)));
    const month = { from: '2026-04-01T00:00:00.000Z', to: '2026-05-01T00:00:00.000Z', teamId: 'team-hot' };
    const time = async (readRollups: boolean): Promise<{ ms: number; rows: number; requests: number }> => {
      const started = performance.now();
      const rows = await store(readRollups).aggregateUsage(month, ['model', 'day']);
      return { ms: performance.now() - started, rows: rows.length, requests: rows.reduce((sum, row) => sum + row.requests, 0) };
    };
    await time(true);
    const fromRollups = await time(true);
    const fromRecords = await time(false);
    if (fromRollups.requests !== fromRecords.requests) throw new Error('roll-ups and records disagree');
    return `## Usage reports: a team's month by model and day (${fromRecords.requests} of ${RECORDS} records, ${fromRollups.rows} rows)
| read from | ms |
|---|---|
| roll-ups (8 parallel Queries of the team's month partitions) | ${fmt(fromRollups.ms, 1)} |
| every record of the month | ${fmt(fromRecords.ms, 1)} |

`;
  } finally {
    client.destroy();
    await server.close();
  }
}
