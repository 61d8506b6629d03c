import { ConflictError, InvalidRequestError } from '../../lambda/errors/gateway-error';
import { createUsageAggregator } from '../../lambda/stores/dynamo/usage-aggregate';
import type { GatewayStores, UsageAggregateRow, UsageGroupField, UsageQuery, UsageRecord } from '../../lambda/stores/store';
import { createMemoryStores } from '../support/memory-stores';
import { useDynamo } from './dynamo-fixture';

/**
 * The same assertions against the in-memory stores (used by the core's unit tests) and the DynamoDB
 * stores (used in production): where the two disagree, unit tests pass on behaviour users never see.
 * Every test writes into its own month, so the DynamoDB table can be shared by the file.
 */
const NOW = Date.parse('2026-06-20T10:00:00.000Z');
const DAY = 86_400_000;
const iso = (ms: number): string => new Date(ms).toISOString();

function usage(requestId: string, time: number, extra: Partial<UsageRecord> = {}): UsageRecord {
  return {
    requestId, time: iso(time), keyId: 'key-0', teamId: 'team-a', requestedModel: 'm-a',
    operation: 'chat.completions', inputTokens: 1, outputTokens: 1, cachedTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0,
    usageEstimated: false, costUsd: 0.001, latencyMs: 10, httpStatus: 200, status: 'ok', streamed: false, ...extra,
  };
}

const ids = (records: readonly UsageRecord[]): string[] => records.map((record) => record.requestId);

/** A small deterministic generator (mulberry32), so a failing case can be replayed. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** What aggregating the matching records directly gives: the oracle for aggregateUsage. */
function expectedRows(records: readonly UsageRecord[], query: UsageQuery, groupBy: readonly UsageGroupField[]): UsageAggregateRow[] {
  const aggregator = createUsageAggregator(groupBy);
  const from = Date.parse(query.from);
  const to = Date.parse(query.to);
  for (const record of records) {
    const time = Date.parse(record.time);
    if (time < from || time >= to) continue;
    if (query.teamId !== undefined && record.teamId !== query.teamId) continue;
    if (query.user !== undefined && record.user !== query.user) continue;
    if (query.keyId !== undefined && record.keyId !== query.keyId) continue;
    if (query.model !== undefined && record.requestedModel !== query.model) continue;
    if (query.provider !== undefined && record.provider !== query.provider) continue;
    aggregator.add(record);
  }
  return aggregator.rows();
}

const dynamo = useDynamo();

describe.each<[string, () => GatewayStores]>([
  ['memory', () => createMemoryStores()],
  ['dynamo', () => dynamo().storesWith({ now: () => NOW, usageShards: 3 })],
])('store contract: %s', (name, open) => {
  it('keeps team names unique regardless of case and finds a team by any casing of its name', async () => {
    const stores = open();
    await stores.teams.createTeam({ id: `team_${name}_1`, name: `Research-${name}`, createdAt: iso(NOW) });
    await expect(stores.teams.createTeam({ id: `team_${name}_2`, name: `research-${name.toUpperCase()}`, createdAt: iso(NOW) }))
      .rejects.toBeInstanceOf(ConflictError);
    expect((await stores.teams.getTeamByName(`RESEARCH-${name}`))?.id).toBe(`team_${name}_1`);
    expect(await stores.teams.getTeamByName(`nobody-${name}`)).toBeUndefined();
  });

  it('filters usage by each field exactly, newest first, up to the limit', async () => {
    const { usage: store } = open();
    const start = Date.parse('2026-01-10T00:00:00.000Z');
    // Written oldest first and in two calls, so order comes from the store, not from insertion.
    const records = Array.from({ length: 12 }, (_, i) => usage(`f-${String(i).padStart(2, '0')}`, start + i * 60_000, {
      teamId: i % 2 === 0 ? 'team-even' : 'team-odd', keyId: `key-${i % 3}`, requestedModel: i % 4 === 0 ? 'm-a' : 'm-b',
      ...(i % 3 === 0 ? {} : { user: `user-${i % 3}` }), ...(i % 2 === 0 ? { provider: 'openai' } : { provider: 'anthropic' }),
    }));
    await store.putUsages(records.slice(0, 6));
    await store.putUsages(records.slice(6));
    const range = { from: iso(start), to: iso(start + DAY) };
    const page = async (query: Partial<UsageQuery>): Promise<string[]> => ids((await store.queryUsage({ ...range, ...query })).records);

    const newestFirst = ids([...records].reverse());
    expect(await page({})).toEqual(newestFirst);
    expect(await page({ limit: 3 })).toEqual(['f-11', 'f-10', 'f-09']);
    expect(await page({ teamId: 'team-even' })).toEqual(['f-10', 'f-08', 'f-06', 'f-04', 'f-02', 'f-00']);
    expect(await page({ teamId: 'TEAM-EVEN' })).toEqual([]);
    expect(await page({ keyId: 'key-0', model: 'm-a' })).toEqual(['f-00']);
    expect(await page({ user: 'user-1' })).toEqual(['f-10', 'f-07', 'f-04', 'f-01']);
    expect(await page({ provider: 'anthropic', model: 'm-b' })).toEqual(['f-11', 'f-09', 'f-07', 'f-05', 'f-03', 'f-01']);
    // [from, to): a record at exactly `to` is out, one at exactly `from` is in.
    expect(await page({ from: iso(start + 60_000), to: iso(start + 3 * 60_000) })).toEqual(['f-02', 'f-01']);
    const rows = await store.aggregateUsage({ ...range, teamId: 'team-odd', limit: 1 }, ['team']);
    expect(rows).toEqual([expect.objectContaining({ team: 'team-odd', requests: 6 })]);
  });

  it('keeps a record\'s data-protection summary, counts per type and all', async () => {
    const { usage: store } = open();
    const time = Date.parse('2026-01-20T00:00:00.000Z');
    const pii = { found: { payment_card: 2, api_key: 1 }, action: 'block' as const, redacted: 0, skippedParts: 1 };
    const skippedOnly = { found: {}, action: 'none' as const, redacted: 0, skippedParts: 2 };
    await store.putUsages([usage('pii-1', time, { pii }), usage('pii-2', time + 1, { pii: skippedOnly }), usage('pii-3', time + 2)]);
    const { records } = await store.queryUsage({ from: iso(time), to: iso(time + 10) });
    expect(records.map((record) => record.pii)).toEqual([undefined, skippedOnly, pii]);
  });

  it('pages through records with equal times without duplicates or gaps, and rejects a forged cursor', async () => {
    const { usage: store } = open();
    const start = Date.parse('2026-02-10T08:00:00.000Z');
    // 25 records on 5 distinct times, across shards: pages must split inside a group of equal times.
    const records = Array.from({ length: 25 }, (_, i) => usage(`p-${String(i).padStart(2, '0')}`, start + Math.floor(i / 5) * 1000, { teamId: 'team-page' }));
    await Promise.all([store.putUsages(records.slice(0, 13)), store.putUsages(records.slice(13))]);
    const range = { from: iso(start), to: iso(start + DAY), teamId: 'team-page', limit: 10 };

    const first = await store.queryUsage(range);
    const second = await store.queryUsage({ ...range, cursor: first.nextCursor });
    const third = await store.queryUsage({ ...range, cursor: second.nextCursor });
    expect([first.records.length, second.records.length, third.records.length]).toEqual([10, 10, 5]);
    expect(first.nextCursor).toEqual(expect.any(String));
    expect(third.nextCursor).toBeUndefined();
    const all = ids([...first.records, ...second.records, ...third.records]);
    expect(all).toEqual(ids((await store.queryUsage({ ...range, limit: 100 })).records));
    expect(new Set(all).size).toBe(25);
    // A page of exactly the remaining records has no next page.
    expect((await store.queryUsage({ ...range, limit: 25 })).nextCursor).toBeUndefined();
    await expect(store.queryUsage({ ...range, cursor: 'not-a-cursor' })).rejects.toBeInstanceOf(InvalidRequestError);
  });

  it('aggregates equal the sum of the matching records, over whole days, partial edges and every filter', async () => {
    const { usage: store } = open();
    const random = seeded(7);
    const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)] as T;
    const start = Date.parse('2026-03-03T00:00:00.000Z');
    const models = ['gpt-4o', 'claude#sonnet', 'm/ü'];
    const records = Array.from({ length: 300 }, (_, i) => {
      const user = pick(['u-1', 'u-2', 'u-3', undefined]);
      const provider = pick(['openai', 'anthropic', undefined]);
      return usage(`a-${String(i).padStart(3, '0')}`, start + Math.floor(random() * 5 * DAY), {
        teamId: pick(['team-x', 'team-y', 'team-z']), keyId: pick(['k-1', 'k-2', 'k-3', 'k-4', 'k-5']), requestedModel: pick(models),
        ...(user === undefined ? {} : { user }), ...(provider === undefined ? {} : { provider }),
        inputTokens: Math.floor(random() * 5000), outputTokens: Math.floor(random() * 900), cachedTokens: Math.floor(random() * 100),
        cacheWriteTokens: Math.floor(random() * 50), reasoningTokens: Math.floor(random() * 70), costUsd: random() * 0.05,
      });
    });
    // Concurrent writers: roll-up updates of the same items race, as on a busy gateway.
    await Promise.all(Array.from({ length: 6 }, (_, w) => store.putUsages(records.filter((_, i) => i % 6 === w))));

    const whole = { from: iso(start + DAY), to: iso(start + 4 * DAY) };
    const edges = { from: iso(start + 13 * 3_600_000 + 17_000), to: iso(start + 4 * DAY + 7.75 * 3_600_000) };
    const cases: readonly [UsageQuery, readonly UsageGroupField[]][] = [
      [whole, ['team', 'model']],
      [whole, ['team', 'user', 'key', 'model', 'provider', 'day']],
      [edges, ['day']],
      [edges, ['team', 'provider']],
      [{ ...edges, teamId: 'team-y' }, ['key', 'day']],
      [{ ...whole, model: 'claude#sonnet' }, ['team']],
      [{ ...edges, user: 'u-2', provider: 'openai' }, ['model']],
      [{ ...edges, keyId: 'k-3' }, []],
      [{ from: iso(start - DAY), to: iso(start + 6 * DAY) }, ['user', 'provider']],
    ];
    for (const [query, groupBy] of cases) {
      expect({ query, groupBy, rows: await store.aggregateUsage(query, groupBy) }).toEqual({ query, groupBy, rows: expectedRows(records, query, groupBy) });
    }
  });

  it('counts every one of 50 concurrent writes to one hot group once', async () => {
    const { usage: store } = open();
    const day = Date.parse('2026-04-07T00:00:00.000Z');
    const records = Array.from({ length: 50 }, (_, i) => usage(`hot-${i}`, day + 3_600_000 + i, { teamId: 'team-hot', costUsd: 0.0000001 * (i + 1) }));
    await Promise.all(records.map((record) => store.putUsages([record])));
    const whole = { from: iso(day), to: iso(day + DAY), teamId: 'team-hot' };
    expect(await store.aggregateUsage(whole, ['team', 'key', 'model', 'day'])).toEqual(expectedRows(records, whole, ['team', 'key', 'model', 'day']));
    expect((await store.aggregateUsage(whole, []))[0]).toMatchObject({ requests: 50, costUsd: 0.0001275 });
  });
});
