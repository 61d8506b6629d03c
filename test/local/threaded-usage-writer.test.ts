import { join } from 'node:path';
import { createLocalDynamoClient, startEmbeddedDynamo, type EmbeddedDynamo } from '../../lambda/local/embedded-dynamo';
import { createThreadedUsageWriter } from '../../lambda/local/threaded-usage-writer';
import { createDynamoStores, ensureTable } from '../../lambda/stores/dynamo';
import type { UsageRecord } from '../../lambda/stores/store';

/** The writer thread as `npm start` runs it: the bundle jest's global setup builds. */
const SCRIPT = join(__dirname, '..', '..', 'dist', 'local', 'usage-writer.mjs');
const TABLE = 'gatellm';

function record(index: number): UsageRecord {
  return {
    requestId: `req-thread-${index}`, time: new Date().toISOString(), keyId: 'key-t', teamId: 'team-t', requestedModel: 'gpt-4o',
    operation: 'chat.completions', inputTokens: 10 + index, outputTokens: 4, cachedTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0,
    usageEstimated: false, costUsd: 0.001, latencyMs: 12, httpStatus: 200, status: 'ok', streamed: false,
  };
}

let server: EmbeddedDynamo;
beforeAll(async () => {
  server = await startEmbeddedDynamo({});
  const client = createLocalDynamoClient(server.endpoint);
  await ensureTable(client, TABLE);
  client.destroy();
});
afterAll(async () => {
  await server.close();
});

describe('the usage writer thread', () => {
  it('writes records and their roll-ups to the store the main thread reads, and close() (called twice) waits for writes in flight', async () => {
    const writer = createThreadedUsageWriter(SCRIPT, { endpoint: server.endpoint, tableName: TABLE, retentionDays: 30 });
    const writes = [writer.putUsages([0, 1, 2].map(record)), writer.putUsages([record(3)])];
    await Promise.all([writer.close(), writer.close()]);
    await expect(Promise.all(writes)).resolves.toEqual([undefined, undefined]);

    const client = createLocalDynamoClient(server.endpoint);
    try {
      const stores = createDynamoStores(client, { tableName: TABLE });
      const from = new Date(Date.now() - 3_600_000).toISOString();
      const to = new Date(Date.now() + 3_600_000).toISOString();
      const { records } = await stores.usage.queryUsage({ from, to });
      expect(records.map((stored) => stored.requestId).sort()).toEqual(['req-thread-0', 'req-thread-1', 'req-thread-2', 'req-thread-3']);
      const [team] = await stores.usage.aggregateUsage({ from, to }, ['team']);
      expect(team?.requests).toBe(4);
      expect(team?.inputTokens).toBe(10 + 11 + 12 + 13);
    } finally {
      client.destroy();
    }
  });

  it('fails a write the store refuses with the reason, and keeps serving later writes', async () => {
    const writer = createThreadedUsageWriter(SCRIPT, { endpoint: server.endpoint, tableName: 'no-such-table', retentionDays: 30 });
    try {
      await expect(writer.putUsages([record(9)])).rejects.toThrow(/usage record|no-such-table|not found|ResourceNotFound/i);
      await expect(writer.putUsages([record(10)])).rejects.toThrow();
    } finally {
      await writer.close();
    }
  });

  it('fails the writes of a thread that dies, and starts a new thread for the next write', async () => {
    const writer = createThreadedUsageWriter(join(__dirname, 'no-such-writer.mjs'), { endpoint: server.endpoint, tableName: TABLE, retentionDays: 30 });
    try {
      await expect(writer.putUsages([record(20)])).rejects.toThrow(/Usage writer thread stopped/);
      await expect(writer.putUsages([record(21)])).rejects.toThrow(/Usage writer thread stopped/);
    } finally {
      await writer.close();
    }
  });
});
