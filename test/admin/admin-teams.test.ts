import { createAdminApp } from '../../lambda/admin/admin-app';
import { silentLogger } from '../../lambda/logging/logger';
import type { UsageRecord } from '../../lambda/stores/store';
import { ADMIN_TOKEN, startHarness, testConfig, type MemoryHarness } from '../support/gateway-harness';
import { createMemoryStores } from '../support/memory-stores';

let harness: MemoryHarness;

beforeAll(async () => {
  harness = await startHarness();
});
afterAll(async () => {
  await harness.close();
});

async function admin(method: string, path: string, body?: unknown): Promise<{ status: number; json: Record<string, unknown>; text: string }> {
  const response = await fetch(`${harness.gateway.url}/admin/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, text, json: response.headers.get('content-type')?.includes('json') === true ? JSON.parse(text) as Record<string, unknown> : {} };
}

const errorCode = (json: Record<string, unknown>): unknown => (json.error as { code?: unknown } | undefined)?.code;
const range = (): string => `from=${new Date(Date.now() - 3_600_000).toISOString()}&to=${new Date(Date.now() + 60_000).toISOString()}`;

describe('admin API: a team by id or by name', () => {
  let teamId = '';
  let key = '';

  it('takes a team name, in any case, wherever it takes a team', async () => {
    const created = await admin('POST', '/teams', { name: 'Data-Science' });
    teamId = String(created.json.id);

    const byName = await admin('POST', '/keys', { team: 'data-science', name: 'dana' });
    expect(byName.status).toBe(201);
    expect(byName.json).toMatchObject({ teamId, teamName: 'Data-Science' });
    key = String(byName.json.key);
    expect((await admin('POST', '/keys', { team: teamId })).json).toMatchObject({ teamId, teamName: 'Data-Science' });

    expect((await admin('GET', '/teams/DATA-SCIENCE')).json).toMatchObject({ id: teamId, name: 'Data-Science' });
    const keys = (await admin('GET', '/keys?team=Data-Science')).json.data as { teamId: string; teamName: string }[];
    expect(keys).toHaveLength(2);
    expect(keys.every((entry) => entry.teamId === teamId && entry.teamName === 'Data-Science')).toBe(true);
  });

  it('answers an unknown team with 404 team_not_found, naming the parameter', async () => {
    for (const [method, path, body] of [
      ['POST', '/keys', { team: 'no-such-team' }],
      ['GET', '/keys?team=no-such-team', undefined],
      ['GET', '/teams/no-such-team', undefined],
      ['GET', `/usage?team=no-such-team&${range()}`, undefined],
      ['GET', `/usage/records?team=no-such-team&${range()}`, undefined],
    ] as const) {
      const answer = await admin(method, path, body);
      expect([path, answer.status, errorCode(answer.json)]).toEqual([path, 404, 'team_not_found']);
      expect((answer.json.error as { param?: unknown }).param).toBe('team');
    }
  });

  it("shows the team's name next to its id in usage records and rows, JSON and CSV", async () => {
    const chat = await harness.post('/chat/completions', { model: 'gpt-test', messages: [{ role: 'user', content: 'hi' }] }, { authorization: `Bearer ${key}` });
    expect(chat.status).toBe(200);
    await harness.gateway.app.drain();

    const records = (await admin('GET', `/usage/records?team=data-science&${range()}`)).json.data as Record<string, unknown>[];
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ teamId, teamName: 'Data-Science' });
    // The name sits right after the id, in JSON as in CSV.
    expect(Object.keys(records[0] ?? {}).slice(3, 5)).toEqual(['teamId', 'teamName']);

    const rows = (await admin('GET', `/usage?team=Data-Science&${range()}`)).json;
    expect(rows.groupBy).toEqual(['team', 'model']);
    expect(rows.data).toEqual([expect.objectContaining({ team: teamId, teamName: 'Data-Science', model: 'gpt-test', requests: 1 })]);

    const csv = (await admin('GET', `/usage/records?team=${teamId}&format=csv&${range()}`)).text.split('\r\n');
    expect(csv[0]).toMatch(/^requestId,time,keyId,teamId,teamName,user,/);
    expect(csv[1]).toContain(`,${teamId},Data-Science,,gpt-test,`);
  });
});

describe('admin API: usage read right after a response', () => {
  it('writes pending usage (flushUsage) before any usage read', async () => {
    const stores = createMemoryStores();
    await stores.teams.createTeam({ id: 'team_1', name: 'ops', createdAt: new Date().toISOString() });
    const pending: UsageRecord = {
      // A second ago: `to` defaults to now and is exclusive, so a record of this very millisecond would be left out.
      requestId: 'req_pending', time: new Date(Date.now() - 1000).toISOString(), keyId: 'key_1', teamId: 'team_1', requestedModel: 'gpt-test',
      operation: 'chat.completions', inputTokens: 3, outputTokens: 2, cachedTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0, usageEstimated: false,
      costUsd: 0.00002, latencyMs: 5, httpStatus: 200, status: 'ok', streamed: false,
    };
    let flushes = 0;
    const app = createAdminApp({
      config: testConfig('http://127.0.0.1:9/v1'), stores, logger: silentLogger,
      // Like the gateway's usage sink: the record is still buffered in memory until flushed.
      flushUsage: async () => {
        flushes += 1;
        await stores.usage.putUsages(flushes === 1 ? [pending] : []);
      },
    });
    const get = async (path: string): Promise<{ data: Record<string, unknown>[] }> => {
      const [pathname = '', search = ''] = path.split('?');
      const response = await app.handle({
        method: 'GET', path: pathname, query: new URLSearchParams(search), headers: {}, body: new Uint8Array(),
        signal: new AbortController().signal, receivedAt: performance.now(),
      });
      return JSON.parse(String(response.body)) as { data: Record<string, unknown>[] };
    };
    expect((await get('/admin/v1/usage/records')).data).toEqual([expect.objectContaining({ requestId: 'req_pending', teamName: 'ops' })]);
    expect((await get('/admin/v1/usage?groupBy=team')).data).toEqual([expect.objectContaining({ team: 'team_1', teamName: 'ops', requests: 1 })]);
    expect(flushes).toBe(2);
  });
});
