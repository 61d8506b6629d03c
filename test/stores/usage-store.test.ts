import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { InvalidRequestError } from '../../lambda/errors/gateway-error';
import type { UsageQuery, UsageRecord } from '../../lambda/stores/store';
import { useDynamo } from './dynamo-fixture';

const NOW = Date.parse('2026-03-10T12:00:00.000Z');
const HOUR = 3_600_000;

let sequence = 0;
function usage(time: string, extra: Partial<UsageRecord> = {}): UsageRecord {
  sequence += 1;
  const record: UsageRecord = {
    requestId: `req-${String(sequence).padStart(4, '0')}`,
    time,
    keyId: 'key-1',
    teamId: 'team-a',
    requestedModel: 'gpt-4o',
    operation: 'chat.completions',
    inputTokens: 100,
    outputTokens: 20,
    cachedTokens: 10, cacheWriteTokens: 0,
    reasoningTokens: 0,
    usageEstimated: false,
    costUsd: 0.0003,
    latencyMs: 250,
    httpStatus: 200,
    status: 'ok',
    streamed: true,
    ...extra,
  };
  // Absent optionals must be absent keys, as the store returns them (toStrictEqual tells apart).
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined)) as UsageRecord;
}

const iso = (ms: number) => new Date(ms).toISOString();

describe('DynamoDB usage store', () => {
  const dynamo = useDynamo({ now: () => NOW, usageRetentionDays: 30 });
  const store = () => dynamo().stores.usage;
  /** One page's records (the tests here stay within one page). */
  const listRecords = async (query: UsageQuery): Promise<readonly UsageRecord[]> => (await store().queryUsage(query)).records;
  // 6 days × 40 records, one every 37 minutes from 2026-03-05 00:00 on: spans days and shards.
  const spread: UsageRecord[] = [];

  beforeAll(async () => {
    const start = Date.parse('2026-03-05T00:00:00.000Z');
    for (let i = 0; i < 240; i += 1) {
      spread.push(usage(iso(start + i * 37 * 60_000), {
        teamId: i % 3 === 0 ? 'team-b' : 'team-a',
        keyId: `key-${i % 4}`,
        requestedModel: i % 2 === 0 ? 'gpt-4o' : 'claude-sonnet',
        provider: i % 2 === 0 ? 'openai' : 'anthropic',
        user: i % 5 === 0 ? undefined : `user-${i % 2}`,
        costUsd: 0.0001 * (1 + (i % 7)),
        inputTokens: 100 + i,
      }));
    }
    // Sequential-ish batches keep dynalite's single LevelDB from queueing 240 writes at once.
    for (let i = 0; i < spread.length; i += 40) {
      await store().putUsages(spread.slice(i, i + 40));
    }
  });

  const inRange = (from: string, to: string) => spread
    .filter((record) => Date.parse(record.time) >= Date.parse(from) && Date.parse(record.time) < Date.parse(to))
    .sort((a, b) => (a.time < b.time ? 1 : -1));

  it('spreads one day over several shard partitions, with ttl = time + retention', async () => {
    const { Items: items = [] } = await dynamo().client.send(new ScanCommand({ TableName: dynamo().tableName }));
    const partitions = new Set(items.map((item) => item.pk?.S).filter((pk) => pk?.startsWith('USAGE#2026-03-06#')));
    expect(partitions.size).toBeGreaterThan(4);
    const first = items.find((item) => item.requestId?.S === spread[0]?.requestId);
    expect(Number(first?.ttl?.N)).toBe(Date.parse(spread[0]?.time ?? '') / 1000 + 30 * 86_400);
    // Unset optionals are not stored at all.
    expect(first?.user).toBeUndefined();
    expect(first?.ttftMs).toBeUndefined();
  });

  it('returns the records in [from, to) newest first, across days', async () => {
    const from = '2026-03-06T10:00:00.000Z';
    const to = '2026-03-08T03:00:00.000Z';
    const records = await listRecords({ from, to });
    expect(records).toStrictEqual(inRange(from, to));
    expect(records.length).toBeGreaterThan(60);
  });

  it('includes a record exactly at `from` and excludes one exactly at `to`', async () => {
    const atFrom = spread[50];
    const atTo = spread[60];
    if (atFrom === undefined || atTo === undefined) throw new Error('fixture too small');
    const records = await listRecords({ from: atFrom.time, to: atTo.time });
    expect(records.map((record) => record.requestId)).toEqual(spread.slice(50, 60).map((record) => record.requestId).reverse());

    const oneMsBefore = await listRecords({ from: iso(Date.parse(atTo.time) - 1), to: iso(Date.parse(atTo.time) + 1) });
    expect(oneMsBefore.map((record) => record.requestId)).toEqual([atTo.requestId]);
  });

  it('accepts bounds with offsets and a `to` at midnight', async () => {
    // 2026-03-07T00:00+02:00 is 2026-03-06T22:00Z; the range ends at 2026-03-07T00:00Z exactly.
    const records = await listRecords({ from: '2026-03-07T00:00:00+02:00', to: '2026-03-07T00:00:00Z' });
    expect(records).toStrictEqual(inRange('2026-03-06T22:00:00.000Z', '2026-03-07T00:00:00.000Z'));
    expect(records.length).toBeGreaterThan(0);
  });

  it('returns nothing for an empty or inverted range, and rejects unparsable bounds', async () => {
    expect(await listRecords({ from: '2026-03-07T00:00:00Z', to: '2026-03-07T00:00:00Z' })).toEqual([]);
    expect(await listRecords({ from: '2026-03-08T00:00:00Z', to: '2026-03-07T00:00:00Z' })).toEqual([]);
    await expect(listRecords({ from: 'yesterday', to: '2026-03-07T00:00:00Z' })).rejects.toBeInstanceOf(InvalidRequestError);
  });

  it('filters by team, key and model', async () => {
    const from = '2026-03-01T00:00:00Z';
    const to = '2026-03-11T00:00:00Z';
    const records = await listRecords({ from, to, teamId: 'team-b', keyId: 'key-2', model: 'gpt-4o' });
    const expected = inRange(from, to).filter((record) =>
      record.teamId === 'team-b' && record.keyId === 'key-2' && record.requestedModel === 'gpt-4o');
    expect(expected.length).toBeGreaterThan(5);
    expect(records).toStrictEqual(expected);
  });

  it('returns only the newest `limit` records', async () => {
    const from = '2026-03-01T00:00:00Z';
    const to = '2026-03-11T00:00:00Z';
    expect(await listRecords({ from, to, limit: 7 })).toStrictEqual(inRange(from, to).slice(0, 7));
    expect(await listRecords({ from, to, limit: 7, teamId: 'team-a' }))
      .toStrictEqual(inRange(from, to).filter((record) => record.teamId === 'team-a').slice(0, 7));
    expect(await listRecords({ from, to, limit: 0 })).toEqual([]);
    // Above the maximum the limit is clamped (to 10,000), which still covers every record here.
    expect(await listRecords({ from, to, limit: 1_000_000 })).toHaveLength(inRange(from, to).length);
  });

  it('writes batches with putUsages, the last of duplicate records winning', async () => {
    const batch = Array.from({ length: 60 }, (_, i) => usage(iso(NOW - 2 * HOUR + i * 1000), { teamId: 'team-batch' }));
    const first = batch[0];
    if (first === undefined) throw new Error('empty batch');
    const rewritten = { ...first, costUsd: 0.5 };
    await store().putUsages([...batch, rewritten]);

    const records = await listRecords({ from: iso(NOW - 3 * HOUR), to: iso(NOW), teamId: 'team-batch' });
    expect(records).toHaveLength(60);
    expect(records.find((record) => record.requestId === first.requestId)?.costUsd).toBe(0.5);
  });

  it('bounds the partitions it reads for an open-ended range', async () => {
    const records = await listRecords({ from: '1970-01-01T00:00:00Z', to: '2100-01-01T00:00:00Z', teamId: 'team-b' });
    expect(records).toStrictEqual(spread.filter((record) => record.teamId === 'team-b').reverse());
  });

  it('hides records whose ttl has passed even though TTL has not deleted them yet', async () => {
    // Written with a 1-day retention: 36 hours later its ttl is in the past.
    const shortLived = dynamo().storesWith({ now: () => NOW, usageRetentionDays: 1 }).usage;
    const expired = usage(iso(NOW - 36 * HOUR), { teamId: 'team-ttl' });
    const live = usage(iso(NOW - 6 * HOUR), { teamId: 'team-ttl' });
    await shortLived.putUsages([expired, live]);

    const records = await listRecords({ from: iso(NOW - 3 * 86_400_000), to: iso(NOW), teamId: 'team-ttl' });
    expect(records).toStrictEqual([live]);
  });

  it('aggregates by team and model: sums, cost rounding, most expensive first', async () => {
    const from = '2026-03-05T00:00:00Z';
    const to = '2026-03-08T00:00:00Z';
    const rows = await store().aggregateUsage({ from, to, limit: 1 }, ['team', 'model']);
    const records = inRange(from, to);

    expect(rows).toHaveLength(4);
    for (const row of rows) {
      const group = records.filter((record) => record.teamId === row.team && record.requestedModel === row.model);
      expect(row.requests).toBe(group.length);
      expect(row.inputTokens).toBe(group.reduce((sum, record) => sum + record.inputTokens, 0));
      expect(row.outputTokens).toBe(group.length * 20);
      expect(row.cachedTokens).toBe(group.length * 10);
      expect(row.reasoningTokens).toBe(0);
      expect(row.costUsd).toBeCloseTo(group.reduce((sum, record) => sum + record.costUsd, 0), 9);
      // Rounded to nano-dollars: no float noise beyond nine decimals.
      expect(Math.abs(row.costUsd * 1e9 - Math.round(row.costUsd * 1e9))).toBeLessThan(1e-6);
      expect(Object.keys(row).sort()).toEqual(
        ['cacheWriteTokens', 'cachedTokens', 'costUsd', 'inputTokens', 'model', 'outputTokens', 'reasoningTokens', 'requests', 'team']);
    }
    const costs = rows.map((row) => row.costUsd);
    expect(costs).toEqual([...costs].sort((a, b) => b - a));
    // Aggregation ignores `limit`: it reads every record in range.
    expect(rows.reduce((sum, row) => sum + row.requests, 0)).toBe(records.length);
  });

  it('aggregates by UTC day, with filters, and into one total without group fields', async () => {
    const from = '2026-03-05T06:00:00Z';
    const to = '2026-03-07T06:00:00Z';
    const records = inRange(from, to).filter((record) => record.teamId === 'team-a');
    const byDay = await store().aggregateUsage({ from, to, teamId: 'team-a' }, ['day']);

    expect(byDay.map((row) => row.day).sort()).toEqual(['2026-03-05', '2026-03-06', '2026-03-07']);
    for (const row of byDay) {
      expect(row.requests).toBe(records.filter((record) => record.time.startsWith(row.day ?? '?')).length);
    }

    const [total, ...rest] = await store().aggregateUsage({ from, to, teamId: 'team-a' }, []);
    expect(rest).toEqual([]);
    expect(total?.requests).toBe(records.length);
    expect(total?.costUsd).toBeCloseTo(records.reduce((sum, record) => sum + record.costUsd, 0), 9);
  });

  it('groups records without a user or provider under an absent field', async () => {
    const rows = await store().aggregateUsage({ from: '2026-03-05T00:00:00Z', to: '2026-03-11T00:00:00Z' }, ['user']);
    expect(rows.map((row) => row.user ?? '(none)').sort()).toEqual(['(none)', 'user-0', 'user-1']);
    expect(rows.find((row) => row.user === undefined)).not.toHaveProperty('user');
  });
});
