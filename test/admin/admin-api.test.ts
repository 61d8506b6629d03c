import { ADMIN_TOKEN, startHarness, type Harness } from '../support/gateway-harness';
import type { MemoryStores } from '../support/memory-stores';

let harness: Harness & { memory: MemoryStores | undefined };

beforeAll(async () => {
  harness = await startHarness();
});
afterAll(async () => {
  await harness.close();
});

function admin(method: string, path: string, body?: unknown, token = ADMIN_TOKEN): Promise<Response> {
  return fetch(`${harness.gateway.url}/admin/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

const chat = (key: string): Promise<Response> => harness.post('/chat/completions', { model: 'gpt-test', messages: [{ role: 'user', content: 'hi' }] }, { authorization: `Bearer ${key}` });

describe('admin API', () => {
  let teamId = '';
  let keyId = '';
  let secret = '';

  it('refuses a wrong admin token', async () => {
    expect((await admin('GET', '/teams', undefined, 'wrong')).status).toBe(401);
    expect((await fetch(`${harness.gateway.url}/admin/v1/teams`)).status).toBe(401);
  });

  it('creates a team, and refuses a duplicate name', async () => {
    const created = await admin('POST', '/teams', { name: 'platform' });
    expect(created.status).toBe(201);
    const team = await created.json() as { id: string; name: string };
    expect(team.name).toBe('platform');
    teamId = team.id;
    expect((await admin('POST', '/teams', { name: 'platform' })).status).toBe(409);
    expect((await admin('POST', '/teams', {})).status).toBe(400);
    const list = await (await admin('GET', '/teams')).json() as { data: { id: string }[] };
    expect(list.data.map((t) => t.id)).toContain(teamId);
  });

  it('creates a key whose secret is shown once and works at once', async () => {
    const created = await admin('POST', '/keys', { team: teamId, name: 'bob laptop', models: ['gpt-*'] });
    expect(created.status).toBe(201);
    const key = await created.json() as { id: string; key: string; secretHash?: string; status: string };
    expect(key.key).toMatch(/^gllm_/);
    expect(key.secretHash).toBeUndefined();
    keyId = key.id;
    secret = key.key;
    expect((await chat(secret)).status).toBe(200);
    const fetched = await (await admin('GET', `/keys/${keyId}`)).json() as Record<string, unknown>;
    expect(fetched).toMatchObject({ id: keyId, teamId, name: 'bob laptop', owner: 'team', status: 'active' });
    expect(JSON.stringify(fetched)).not.toContain(secret);
    expect((await admin('POST', '/keys', { team: 'team_missing' })).status).toBe(404);
  });

  it('lists keys by team without secrets', async () => {
    const list = await (await admin('GET', `/keys?team=${teamId}`)).json() as { data: Record<string, unknown>[] };
    expect(list.data).toHaveLength(1);
    expect(list.data[0]).not.toHaveProperty('secretHash');
  });

  it('reports usage records and aggregates by team and model, in JSON and CSV', async () => {
    await harness.gateway.app.drain();
    const from = new Date(Date.now() - 3_600_000).toISOString();
    const to = new Date(Date.now() + 60_000).toISOString();
    const records = await (await admin('GET', `/usage/records?from=${from}&to=${to}`)).json() as { data: { keyId: string }[] };
    expect(records.data.some((record) => record.keyId === keyId)).toBe(true);
    const aggregates = await (await admin('GET', `/usage?from=${from}&to=${to}&groupBy=team,model`)).json() as { data: { team: string; model: string; requests: number; costUsd: number }[] };
    const row = aggregates.data.find((entry) => entry.team === teamId);
    expect(row).toMatchObject({ model: 'gpt-test', requests: 1 });
    expect(row?.costUsd).toBeGreaterThan(0);
    const csv = await admin('GET', `/usage?from=${from}&to=${to}&groupBy=team,model&format=csv`);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const lines = (await csv.text()).trim().split('\r\n');
    expect(lines[0]).toBe('team,teamName,model,requests,inputTokens,outputTokens,cachedTokens,cacheWriteTokens,reasoningTokens,costUsd');
    expect(lines.some((line) => line.startsWith(`${teamId},platform,gpt-test,1,`))).toBe(true);
    expect((await admin('GET', '/usage?groupBy=colour')).status).toBe(400);
    expect((await admin('GET', `/usage?from=${to}&to=${from}`)).status).toBe(400);
  });

  it('revokes a key, effective at once', async () => {
    const revoked = await admin('DELETE', `/keys/${keyId}`);
    expect(revoked.status).toBe(200);
    expect(await revoked.json()).toMatchObject({ id: keyId, status: 'revoked' });
    expect((await chat(secret)).status).toBe(401);
    expect((await admin('DELETE', '/keys/unknown')).status).toBe(404);
  });
});
