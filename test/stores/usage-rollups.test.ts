import { type DynamoDBClient, QueryCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { createLocalDynamoClient } from '../../lambda/local/embedded-dynamo';
import { createDynamoUsageStore } from '../../lambda/stores/dynamo/usage-store';
import type { UsageRecord } from '../../lambda/stores/store';
import { useDynamo } from './dynamo-fixture';

const NOW = Date.parse('2026-05-05T12:00:00.000Z');
const DAY = 86_400_000;
const iso = (ms: number): string => new Date(ms).toISOString();

function usage(requestId: string, time: number, extra: Partial<UsageRecord> = {}): UsageRecord {
  return {
    requestId, time: iso(time), keyId: 'key-1', teamId: 'team-hot', requestedModel: 'gpt-4o', provider: 'openai',
    operation: 'chat.completions', inputTokens: 100, outputTokens: 20, cachedTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0,
    usageEstimated: false, costUsd: 0.000123, latencyMs: 10, httpStatus: 200, status: 'ok', streamed: false, ...extra,
  };
}

/** A client over the same store that counts the commands it sends, by name. */
function countingClient(endpoint: string): { client: DynamoDBClient; calls: Map<string, number> } {
  const client = createLocalDynamoClient(endpoint);
  const calls = new Map<string, number>();
  client.middlewareStack.add((next, context) => async (args) => {
    const command = context.commandName ?? '?';
    calls.set(command, (calls.get(command) ?? 0) + 1);
    return next(args);
  }, { step: 'initialize', name: 'countCommands' });
  return { client, calls };
}

describe('usage roll-ups (embedded DynamoDB)', () => {
  const dynamo = useDynamo();
  const clients: DynamoDBClient[] = [];
  afterAll(() => clients.forEach((client) => client.destroy()));

  function counted(options: { readRollups?: boolean } = {}) {
    const counting = countingClient(dynamo().server.endpoint);
    clients.push(counting.client);
    return { store: createDynamoUsageStore(counting.client, dynamo().tableName, { now: () => NOW, ...options }), calls: counting.calls };
  }

  it("answers a team's 30-day month from roll-ups in 8 queries, where reading records takes 240, with equal rows", async () => {
    const writer = counted();
    const start = Date.parse('2026-04-01T00:00:00.000Z');
    const records = Array.from({ length: 1200 }, (_, i) => usage(`hot-${i}`, start + (i % 30) * DAY + (i % 97) * 60_000, {
      requestedModel: i % 3 === 0 ? 'claude-sonnet' : 'gpt-4o', keyId: `key-${i % 4}`, teamId: i % 10 === 0 ? 'team-other' : 'team-hot',
    }));
    for (let i = 0; i < records.length; i += 200) await writer.store.putUsages(records.slice(i, i + 200));

    const month = { from: '2026-04-01T00:00:00.000Z', to: '2026-05-01T00:00:00.000Z', teamId: 'team-hot' };
    const fromRollups = counted();
    const fromRecords = counted({ readRollups: false });
    const rows = await fromRollups.store.aggregateUsage(month, ['model']);
    const recordRows = await fromRecords.store.aggregateUsage(month, ['model']);

    expect(rows).toEqual(recordRows);
    expect(rows.reduce((sum, row) => sum + row.requests, 0)).toBe(1080);
    expect(fromRollups.calls.get('QueryCommand')).toBe(8);
    expect(fromRecords.calls.get('QueryCommand')).toBe(30 * 8);
    // Every team: one more query (the month's team index), then 8 per team.
    const everyTeam = counted();
    await everyTeam.store.aggregateUsage({ from: month.from, to: month.to }, ['team']);
    expect(everyTeam.calls.get('QueryCommand')).toBe(1 + 2 * 8);
  });

  it('sums a batch into one update per roll-up item, counts a record repeated in a batch once, and keeps # and long model names apart', async () => {
    const { store, calls } = counted();
    const day = Date.parse('2026-04-20T10:00:00.000Z');
    const longModel = `m${'x'.repeat(3000)}`;
    const batch = [
      ...Array.from({ length: 25 }, (_, i) => usage(`batch-${i}`, day + i, { teamId: 'team-batch' })),
      usage('batch-0', day, { teamId: 'team-batch' }),
      usage('hash-1', day, { teamId: 'team-batch', requestedModel: 'a#b', keyId: 'c' }),
      usage('hash-2', day, { teamId: 'team-batch', requestedModel: 'a', keyId: 'b#c' }),
      usage('long-1', day, { teamId: 'team-batch', requestedModel: longModel }),
    ];
    await store.putUsages(batch);
    // A batch's 25 records of one group make one update; the three others one each.
    expect(calls.get('UpdateItemCommand')).toBe(1 + 3);

    const whole = { from: '2026-04-20T00:00:00.000Z', to: '2026-04-21T00:00:00.000Z', teamId: 'team-batch' };
    const rows = await store.aggregateUsage(whole, ['key', 'model']);
    expect(rows.map((row) => [row.key, (row.model ?? '').slice(0, 10), row.requests]).sort()).toEqual([
      ['b#c', 'a', 1], ['c', 'a#b', 1], ['key-1', 'gpt-4o', 25], ['key-1', 'mxxxxxxxxx', 1],
    ]);
    // The long name grouped as the stored (truncated) record reads back, so roll-ups and records agree.
    expect(rows).toEqual(await createDynamoUsageStore(dynamo().client, dynamo().tableName, { now: () => NOW, readRollups: false }).aggregateUsage(whole, ['key', 'model']));
  });

  it('spreads one hot group written by many writers over 8 partitions and indexes the team once per month', async () => {
    const { store } = counted();
    const day = Date.parse('2026-04-22T10:00:00.000Z');
    // One record per call, as Lambda invocations write: each lands on the shard of its request id.
    await Promise.all(Array.from({ length: 200 }, (_, i) => store.putUsages([usage(`spread-${i}`, day + i, { teamId: 'team-spread' })])));
    const { Items: items = [] } = await dynamo().client.send(new ScanCommand({ TableName: dynamo().tableName }));
    const partitions = new Set(items.map((item) => item.pk?.S).filter((pk) => pk?.startsWith('ROLLUP#team-spread#2026-04#')));
    expect(partitions.size).toBe(8);
    const { Items: index = [] } = await dynamo().client.send(new QueryCommand({
      TableName: dynamo().tableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': { S: 'ROLLUPTEAMS#2026-04' } },
    }));
    expect(index.map((item) => item.teamId?.S).sort()).toEqual(['team-batch', 'team-hot', 'team-other', 'team-spread']);
  });

  it('answers month to date without reading today\'s records, exactly, even with records timed after now', async () => {
    const today = Date.parse('2026-05-05T00:00:00.000Z');
    const writer = counted();
    const busy = Array.from({ length: 300 }, (_, i) => usage(`today-${i}`, today + i * 60_000, { teamId: 'team-now' }));
    // A writer whose clock runs ahead: its records lie after `to` = now and must not count.
    const ahead = [usage('ahead-1', NOW + 5_000, { teamId: 'team-now' }), usage('ahead-2', NOW + 3_600_000, { teamId: 'team-now', keyId: 'key-ahead' })];
    const earlier = Array.from({ length: 40 }, (_, i) => usage(`may-${i}`, Date.parse('2026-05-01T00:00:00.000Z') + i * 7_200_000, { teamId: 'team-now' }));
    await writer.store.putUsages([...busy, ...ahead, ...earlier]);

    const monthToDate = { from: '2026-05-01T00:00:00.000Z', to: iso(NOW), teamId: 'team-now' };
    const fromRollups = counted();
    const rows = await fromRollups.store.aggregateUsage(monthToDate, ['key', 'day']);
    const recordRows = await counted({ readRollups: false }).store.aggregateUsage(monthToDate, ['key', 'day']);
    expect(rows).toEqual(recordRows);
    expect(rows.map((row) => row.key)).not.toContain('key-ahead');
    expect(rows.reduce((sum, row) => sum + row.requests, 0)).toBe(40 + busy.filter((record) => Date.parse(record.time) < NOW).length);
    // 8 roll-up queries for the month, 8 record queries for the rest of today (after now): none for today's morning.
    expect(fromRollups.calls.get('QueryCommand')).toBe(16);
  });
});
