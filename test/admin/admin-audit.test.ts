import { ACTOR, errorParam, startEntityApp, T0, type EntityApp } from './entity-app';

/** Every admin change leaves one audit entry: who, what, when, before → after, never a secret. */
let app: EntityApp;

beforeAll(async () => {
  app = await startEntityApp();
});
afterAll(async () => {
  await app.close();
});

interface Entry { id: string; time: string; actor: string; action: string; target: string; before?: Record<string, unknown>; after?: Record<string, unknown> }

async function audit(query = ''): Promise<{ data: Entry[]; nextCursor?: string }> {
  const answer = await app.adminCall('GET', `/audit${query}`);
  expect(answer.status).toBe(200);
  return answer.json as unknown as { data: Entry[]; nextCursor?: string };
}

describe('admin audit trail', () => {
  const secrets: string[] = [];
  let keyId = '';
  let teamId = '';

  it('records every change with its actor, time, target and before → after, newest first', async () => {
    app.now = T0;
    teamId = String((await app.adminCall('POST', '/teams', { name: 'ops' })).json.id);
    app.now = T0 + 1000;
    const userId = String((await app.adminCall('POST', '/users', { team: 'ops', email: 'sam@example.com' }, 'admin-token')).json.id);
    app.now = T0 + 2000;
    const created = await app.adminCall('POST', '/keys', { user: userId, tags: { env: 'prod' } });
    keyId = String(created.json.id);
    secrets.push(String(created.json.key));
    app.now = T0 + 3000;
    await app.adminCall('PATCH', '/teams/ops', { models: ['gpt-4o*'] });
    app.now = T0 + 4000;
    secrets.push(String((await app.adminCall('POST', `/keys/${keyId}/rotate`, { gracePeriodSeconds: 60 })).json.key));
    app.now = T0 + 5000;
    await app.adminCall('DELETE', `/keys/${keyId}`);
    await app.adminCall('DELETE', `/keys/${keyId}`);
    // Reads and refused changes are not changes.
    await app.adminCall('GET', `/keys/${keyId}`);
    await app.adminCall('POST', '/teams', { name: 'OPS' });

    const { data } = await audit();
    expect(data.map((entry) => [entry.action, entry.target, entry.actor, entry.time])).toEqual([
      ['key.revoke', `key:${keyId}`, ACTOR, new Date(T0 + 5000).toISOString()],
      ['key.rotate', `key:${keyId}`, ACTOR, new Date(T0 + 4000).toISOString()],
      ['team.update', `team:${teamId}`, ACTOR, new Date(T0 + 3000).toISOString()],
      ['key.create', `key:${keyId}`, ACTOR, new Date(T0 + 2000).toISOString()],
      ['user.create', `user:${userId}`, 'admin-token', new Date(T0 + 1000).toISOString()],
      ['team.create', `team:${teamId}`, ACTOR, new Date(T0).toISOString()],
    ]);
    const [revoke, rotate, teamUpdate, keyCreate] = data;
    expect([revoke?.before?.status, revoke?.after?.status]).toEqual(['active', 'revoked']);
    expect(rotate?.before).not.toHaveProperty('rotatedAt');
    expect(rotate?.after).toMatchObject({ rotatedAt: new Date(T0 + 4000).toISOString(), previousSecretExpiresAt: new Date(T0 + 64_000).toISOString() });
    expect(teamUpdate?.before).not.toHaveProperty('models');
    expect(teamUpdate?.after).toMatchObject({ models: ['gpt-4o*'] });
    expect(keyCreate?.before).toBeUndefined();
    expect(keyCreate?.after).toMatchObject({ id: keyId, user: userId, tags: { env: 'prod' }, status: 'active' });
  });

  it('never holds a secret or a secret hash', async () => {
    const text = JSON.stringify((await audit()).data);
    for (const secret of secrets) expect(text).not.toContain(secret);
    expect(text).not.toMatch(/secretHash|"key":/);
    const record = await app.stores.keys.getKey(keyId);
    expect(text).not.toContain(record?.secretHash);
    expect(text).not.toContain(record?.previousSecretHash);
  });

  it('filters by target and range, and pages with a cursor', async () => {
    const byKey = await audit(`?target=key:${keyId}`);
    expect(byKey.data.map((entry) => entry.action)).toEqual(['key.revoke', 'key.rotate', 'key.create']);
    const window = await audit(`?from=${new Date(T0 + 1000).toISOString()}&to=${new Date(T0 + 3000).toISOString()}`);
    expect(window.data.map((entry) => entry.action)).toEqual(['key.create', 'user.create']);

    const first = await audit('?limit=4');
    expect(first.data).toHaveLength(4);
    expect(first.nextCursor).toEqual(expect.any(String));
    const second = await audit(`?limit=4&cursor=${encodeURIComponent(first.nextCursor ?? '')}`);
    expect(second.data.map((entry) => entry.action)).toEqual(['user.create', 'team.create']);
    expect(second.nextCursor).toBeUndefined();
  });

  it('reads the last 30 days by default', async () => {
    app.now = T0 + 29 * 86_400_000;
    expect((await audit()).data).toHaveLength(6);
    app.now = T0 + 31 * 86_400_000;
    expect((await audit()).data).toHaveLength(0);
    app.now = T0;
  });

  it('refuses malformed queries, naming the parameter', async () => {
    for (const [query, param] of [
      ['?from=yesterday', 'from'],
      [`?from=${new Date(T0).toISOString()}&to=${new Date(T0 - 1).toISOString()}`, 'from'],
      ['?from=2020-01-01&to=2026-01-01', 'from'],
      ['?limit=0', 'limit'],
      ['?limit=1001', 'limit'],
      ['?cursor=%%%', 'cursor'],
    ] as const) {
      const answer = await app.adminCall('GET', `/audit${query}`);
      expect([query, answer.status, errorParam(answer)]).toEqual([query, 400, param]);
    }
  });
});
