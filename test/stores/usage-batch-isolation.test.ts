import { ScanCommand } from '@aws-sdk/client-dynamodb';
import type { Item } from '../../lambda/stores/dynamo/attributes';
import { batchPut } from '../../lambda/stores/dynamo/batch-write';
import { MAX_USAGE_STRING_LENGTH } from '../../lambda/stores/dynamo/usage-store';
import type { UsageRecord } from '../../lambda/stores/store';
import { useDynamo } from './dynamo-fixture';

const NOW = Date.parse('2026-03-10T12:00:00.000Z');

function usage(index: number, extra: Partial<UsageRecord> = {}): UsageRecord {
  return {
    requestId: `req-${String(index).padStart(3, '0')}`, time: new Date(NOW - index * 1000).toISOString(),
    keyId: `key-${index % 5}`, teamId: index % 2 === 0 ? 'team-a' : 'team-b', requestedModel: 'gpt-4o',
    operation: 'chat.completions', inputTokens: 10, outputTokens: 5, cachedTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0,
    usageEstimated: false, costUsd: 0.001, latencyMs: 100, httpStatus: 200, status: 'ok', streamed: false, ...extra,
  };
}

const window = { from: new Date(NOW - 3_600_000).toISOString(), to: new Date(NOW + 60_000).toISOString() };

describe('one bad usage record never sinks the others (embedded DynamoDB)', () => {
  const dynamo = useDynamo({ now: () => NOW });

  it('stores all 25 records of a batch when one has a 450 KB model, that one truncated', async () => {
    const store = dynamo().storesWith({ now: () => NOW, usageShards: 2 }).usage;
    const records = Array.from({ length: 25 }, (_, i) => usage(i + 1));
    const hugeModel = `m${'x'.repeat(450 * 1024)}`;
    records[12] = usage(13, { requestedModel: hugeModel, userAgent: 'ua'.repeat(300_000) });

    await store.putUsages(records);

    const { records: stored } = await store.queryUsage({ ...window, limit: 100 });
    expect(stored.map((record) => record.requestId).sort()).toEqual(records.map((record) => record.requestId).sort());
    const big = stored.find((record) => record.requestId === 'req-013');
    // Billing kept: tokens and cost intact; only the free text is cut, visibly.
    expect(big).toMatchObject({ inputTokens: 10, costUsd: 0.001, keyId: 'key-3' });
    expect(big?.requestedModel).toHaveLength(MAX_USAGE_STRING_LENGTH);
    expect(big?.requestedModel.startsWith('mxxx')).toBe(true);
    expect(big?.requestedModel.endsWith('…')).toBe(true);
    expect(big?.userAgent?.length).toBe(MAX_USAGE_STRING_LENGTH);
  });

  it('writes the other 24 items when DynamoDB rejects one, and reports that one', async () => {
    const { client, tableName } = dynamo();
    const item = (i: number): Item => ({ pk: { S: `ISOLATION#${i}` }, sk: { S: 'S' }, n: { N: String(i) } });
    const items = Array.from({ length: 25 }, (_, i) => item(i));
    // The index key is declared a string: a number there is a ValidationException for the whole call.
    items[7] = { ...item(7), gsi1pk: { N: '7' }, gsi1sk: { S: 'x' } };

    const { rejected } = await batchPut(client, tableName, items);

    expect(rejected.map((entry) => entry.item.pk?.S)).toEqual(['ISOLATION#7']);
    expect(rejected[0]?.reason).toMatch(/^ValidationException/);
    const { Items: stored = [] } = await client.send(new ScanCommand({
      TableName: tableName, FilterExpression: 'begins_with(pk, :p)', ExpressionAttributeValues: { ':p': { S: 'ISOLATION#' } },
    }));
    expect(stored.map((entry) => entry.pk?.S).sort()).toEqual(items.filter((_, i) => i !== 7).map((entry) => entry.pk?.S).sort());
  });

  it('rejects an item over the size limit without sending it, and names lost usage records by request id only', async () => {
    const { client, tableName } = dynamo();
    const { rejected } = await batchPut(client, tableName, [
      { pk: { S: 'SIZE#1' }, sk: { S: 'S' }, blob: { S: 'y'.repeat(401 * 1024) } },
      { pk: { S: 'SIZE#2' }, sk: { S: 'S' } },
    ]);
    expect(rejected.map((entry) => entry.item.pk?.S)).toEqual(['SIZE#1']);
    expect(rejected[0]?.reason).toMatch(/exceeds the \d+-byte limit/);

    const store = dynamo().storesWith({ now: () => NOW }).usage;
    const secret = 'sk-do-not-log';
    const failure = store.putUsages([usage(200, { time: 'not a time', requestedModel: secret }), usage(201)]);
    await expect(failure).rejects.toThrow(/Dropped 1 usage record\(s\).*req-200/);
    await expect(failure).rejects.not.toThrow(secret);
    expect((await store.queryUsage({ ...window, keyId: 'key-1' })).records.map((record) => record.requestId)).toContain('req-201');
  });
});
