import { createAdminApp } from '../../lambda/admin/admin-app';
import { NEXT_CURSOR_HEADER, type UsageAggregatesResponse, type UsageRecordsResponse, usageSearchParams } from '../../lambda/admin/api-types/usage';
import type { HttpApp } from '../../lambda/http/types';
import { silentLogger } from '../../lambda/logging/logger';
import type { GatewayStores, UsageRecord } from '../../lambda/stores/store';
import { useDynamo } from '../stores/dynamo-fixture';
import { testConfig } from '../support/gateway-harness';
import { createMemoryStores } from '../support/memory-stores';

const NOW = Date.parse('2026-05-20T12:00:00.000Z');
const START = Date.parse('2026-05-10T00:00:00.000Z');

function usage(i: number): UsageRecord {
  return {
    requestId: `req-${String(i).padStart(3, '0')}`,
    // Pairs of records share a time: pages must split between them without loss.
    time: new Date(START + Math.floor(i / 2) * 3_600_000).toISOString(),
    keyId: `key-${i % 3}`, teamId: i % 2 === 0 ? 'team_a' : 'team_b', requestedModel: i % 4 === 0 ? 'gpt-4o' : '=sonnet',
    ...(i % 5 === 0 ? {} : { user: i % 5 === 1 ? 'user_ann' : 'user_bob' }), provider: i % 4 === 0 ? 'openai' : 'anthropic',
    operation: 'chat.completions', inputTokens: 10 + i, outputTokens: 5, cachedTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0,
    usageEstimated: false, costUsd: 0.0001 * (i + 1), latencyMs: 5, httpStatus: 200, status: 'ok', streamed: false,
  };
}

const records = Array.from({ length: 45 }, (_, i) => usage(i));
const range = { from: new Date(START).toISOString(), to: new Date(START + 5 * 86_400_000).toISOString() };

const dynamo = useDynamo();

describe.each<[string, () => GatewayStores]>([
  ['memory', () => createMemoryStores()],
  // Users from memory: this suite is about the usage routes over the DynamoDB usage store.
  ['dynamo', () => ({ ...dynamo().storesWith({ now: () => NOW, usageShards: 2 }), users: createMemoryStores().users })],
])('admin usage routes (%s store)', (_name, open) => {
  let app: HttpApp;

  beforeAll(async () => {
    const stores = open();
    await stores.teams.createTeam({ id: 'team_a', name: 'Platform', createdAt: range.from });
    await stores.teams.createTeam({ id: 'team_b', name: 'Research', createdAt: range.from });
    await stores.users.createUser({ id: 'user_ann', teamId: 'team_b', email: 'ann@example.com', createdAt: range.from });
    await stores.usage.putUsages(records);
    app = createAdminApp({ config: testConfig('http://127.0.0.1:9/v1'), stores, logger: silentLogger, now: () => NOW });
  });

  async function get(path: string, params: Parameters<typeof usageSearchParams>[0]): Promise<{ status: number; headers: Record<string, string>; body: string }> {
    const response = await app.handle({
      method: 'GET', path: `/admin/v1${path}`, query: usageSearchParams(params), headers: {}, body: new Uint8Array(),
      signal: new AbortController().signal, receivedAt: performance.now(),
    });
    return { status: response.status, headers: response.headers, body: String(response.body) };
  }

  it('aggregates by any group fields with every filter, a team given by name and a user by email', async () => {
    const response = await get('/usage', { ...range, team: 'research', user: 'ann@example.com', groupBy: ['team', 'user', 'model', 'provider', 'day'] });
    expect(response.status).toBe(200);
    const body = JSON.parse(response.body) as UsageAggregatesResponse;
    const expected = records.filter((record) => record.teamId === 'team_b' && record.user === 'user_ann');
    expect(body.data.reduce((sum, row) => sum + row.requests, 0)).toBe(expected.length);
    expect(body.data.every((row) => row.team === 'team_b' && row.teamName === 'Research' && row.user === 'user_ann')).toBe(true);
    const byKey = JSON.parse((await get('/usage', { ...range, key: 'key-1', model: '=sonnet', provider: 'anthropic', groupBy: ['key'] })).body) as UsageAggregatesResponse;
    expect(byKey.data).toEqual([expect.objectContaining({
      key: 'key-1', requests: records.filter((record) => record.keyId === 'key-1' && record.requestedModel === '=sonnet').length,
    })]);
  });

  it('exports aggregates as CSV, team name beside the id, formula-like text neutralised', async () => {
    const response = await get('/usage', { ...range, groupBy: ['team', 'model'], format: 'csv' });
    expect(response.headers['content-type']).toMatch(/^text\/csv/);
    const lines = response.body.trimEnd().split('\r\n');
    expect(lines[0]).toBe('team,teamName,model,requests,inputTokens,outputTokens,cachedTokens,cacheWriteTokens,reasoningTokens,costUsd');
    expect(lines).toHaveLength(1 + 3);
    // A model name starting with `=` would run as a formula in a spreadsheet.
    expect(lines.filter((line) => line.includes(",'=sonnet,"))).toHaveLength(2);
    expect(lines.some((line) => line.includes(',=sonnet,'))).toBe(false);
  });

  it('pages records in JSON with nextCursor and in CSV with the x-next-cursor header, without loss or duplicates', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const response = await get('/usage/records', { ...range, limit: 20, ...(cursor === undefined ? {} : { cursor }) });
      const body = JSON.parse(response.body) as UsageRecordsResponse;
      seen.push(...body.data.map((record) => record.requestId));
      cursor = body.nextCursor;
      pages += 1;
    } while (cursor !== undefined && pages < 10);
    expect(pages).toBe(3);
    expect(seen).toEqual(records.map((record) => record.requestId).sort().reverse());

    const csvIds: string[] = [];
    cursor = undefined;
    pages = 0;
    do {
      const response = await get('/usage/records', { ...range, team: 'Platform', limit: 10, format: 'csv', ...(cursor === undefined ? {} : { cursor }) });
      const [header = '', ...rows] = response.body.trimEnd().split('\r\n');
      expect(header.startsWith('requestId,time,keyId,teamId,teamName')).toBe(true);
      csvIds.push(...rows.map((row) => row.split(',')[0] ?? ''));
      cursor = response.headers[NEXT_CURSOR_HEADER];
      pages += 1;
    } while (cursor !== undefined && pages < 10);
    expect(csvIds).toEqual(records.filter((record) => record.teamId === 'team_a').map((record) => record.requestId).sort().reverse());
    expect(pages).toBe(3);
  });

  it('rejects bad filters, limits and cursors with 400 naming the parameter', async () => {
    for (const [params, param] of [
      [{ limit: 0 }, 'limit'], [{ limit: 10_001 }, 'limit'], [{ cursor: 'bogus' }, 'cursor'], [{ model: '' }, 'model'],
    ] as const) {
      const response = await get('/usage/records', { ...range, ...params });
      expect({ params, status: response.status, param: (JSON.parse(response.body) as { error?: { param?: string } }).error?.param })
        .toEqual({ params, status: 400, param });
    }
    expect((await get('/usage', { ...range, team: 'nobody' })).status).toBe(404);
  });
});
