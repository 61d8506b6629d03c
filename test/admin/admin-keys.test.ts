import { ACTOR, errorCode, errorParam, startEntityApp, T0, type EntityApp } from './entity-app';

/** Users and keys through the admin API, and what the gateway then does with the keys. */
let app: EntityApp;
let teamId = '';
let userId = '';

beforeAll(async () => {
  app = await startEntityApp();
  teamId = String((await app.adminCall('POST', '/teams', { name: 'Platform' })).json.id);
});
afterAll(async () => {
  await app.close();
});
beforeEach(() => {
  app.now = T0;
});

describe('admin API: users', () => {
  it('creates a user in a team given by name, and finds it by id or by email in any case', async () => {
    const created = await app.adminCall('POST', '/users', { team: 'platform', email: 'Ada@Example.com', name: 'Ada' });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ teamId, teamName: 'Platform', email: 'Ada@Example.com', name: 'Ada' });
    userId = String(created.json.id);
    expect((await app.adminCall('GET', `/users/${userId}`)).json).toMatchObject({ id: userId });
    expect((await app.adminCall('GET', '/users/ada@example.COM')).json).toMatchObject({ id: userId });
    const listed = await app.adminCall('GET', '/users?team=Platform');
    expect((listed.json.data as { id: string }[]).map((user) => user.id)).toEqual([userId]);
  });

  it('refuses a taken email with 409, and malformed users with a 400 naming the field', async () => {
    expect((await app.adminCall('POST', '/users', { team: teamId, email: 'ADA@example.com' })).status).toBe(409);
    for (const [body, param] of [
      [{ email: 'x@example.com' }, 'team'],
      [{ team: teamId }, 'email'],
      [{ team: teamId, email: 'not-an-email' }, 'email'],
      [{ team: teamId, name: 42 }, 'name'],
    ] as const) {
      const answer = await app.adminCall('POST', '/users', body);
      expect([answer.status, errorParam(answer)]).toEqual([400, param]);
    }
    const unknownTeam = await app.adminCall('POST', '/users', { team: 'nope', name: 'X' });
    expect([unknownTeam.status, errorCode(unknownTeam)]).toEqual([404, 'team_not_found']);
    const unknownUser = await app.adminCall('GET', '/users/nobody@example.com');
    expect([unknownUser.status, errorCode(unknownUser)]).toEqual([404, 'user_not_found']);
  });
});

describe('admin API: keys', () => {
  it('creates a user\'s key in the user\'s team and a team key for a service; secrets are shown once', async () => {
    const userKey = await app.adminCall('POST', '/keys', { user: 'ada@example.com', name: 'laptop', tags: { env: 'dev' } });
    expect(userKey.status).toBe(201);
    expect(userKey.json).toMatchObject({ teamId, teamName: 'Platform', user: userId, userEmail: 'Ada@Example.com', owner: 'user', name: 'laptop', tags: { env: 'dev' }, status: 'active' });
    expect(userKey.json.key).toMatch(/^gllm_/);
    const serviceKey = await app.adminCall('POST', '/keys', { team: 'Platform', name: 'etl', tags: { pipeline: 'nightly' } });
    expect(serviceKey.json).toMatchObject({ teamId, owner: 'team', name: 'etl' });
    expect(serviceKey.json).not.toHaveProperty('user');

    const principalOf = await app.chat(String(userKey.json.key), 'gpt-4o');
    expect(principalOf.status).toBe(200);
    await app.gateway.drain();
    const records = await app.stores.usage.queryUsage({ from: new Date(T0 - 60_000).toISOString(), to: new Date(T0 + 60_000).toISOString() });
    expect(records.records.map((record) => [record.keyId, record.user])).toContainEqual([userKey.json.id, userId]);

    const shown = await app.adminCall('GET', `/keys/${String(userKey.json.id)}`);
    expect(shown.json).toMatchObject({ id: userKey.json.id, status: 'active', owner: 'user' });
    expect(shown.json).not.toHaveProperty('key');
    expect(shown.json).not.toHaveProperty('secretHash');
    expect(JSON.stringify(shown.json)).not.toContain(String(userKey.json.key));

    const byUser = await app.adminCall('GET', `/keys?user=${userId}`);
    expect((byUser.json.data as { id: string }[]).map((key) => key.id)).toEqual([userKey.json.id]);
    const byTeam = await app.adminCall('GET', '/keys?team=platform');
    expect((byTeam.json.data as { id: string }[]).map((key) => key.id).sort()).toEqual([userKey.json.id, serviceKey.json.id].sort());
    expect(JSON.stringify(byTeam.json)).not.toMatch(/secretHash|gllm_[0-9A-Za-z]{20,}/);
  });

  it('validates key requests, naming the field', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{}, 'team'],
      [{ team: teamId, user: userId }, 'team'],
      [{ team: teamId, tags: { env: 1 } }, 'tags'],
      [{ team: teamId, tags: Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`t${i}`, 'v'])) }, 'tags'],
      [{ team: teamId, tags: { ['k'.repeat(65)]: 'v' } }, 'tags'],
      [{ team: teamId, tags: { k: 'v'.repeat(257) } }, 'tags'],
      [{ team: teamId, models: 'gpt-4o' }, 'models'],
      [{ team: teamId, expiresAt: new Date(T0 - 1000).toISOString() }, 'expiresAt'],
    ];
    for (const [body, param] of cases) {
      const answer = await app.adminCall('POST', '/keys', body);
      expect([JSON.stringify(body).slice(0, 40), answer.status, errorParam(answer)]).toEqual([JSON.stringify(body).slice(0, 40), 400, param]);
    }
    const twenty = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`t${i}`, 'v'.repeat(256)]));
    expect((await app.adminCall('POST', '/keys', { team: teamId, tags: twenty })).status).toBe(201);
    const unknownUser = await app.adminCall('POST', '/keys', { user: 'ghost@example.com' });
    expect([unknownUser.status, errorCode(unknownUser), errorParam(unknownUser)]).toEqual([404, 'user_not_found', 'user']);
    const unknownKey = await app.adminCall('GET', '/keys/nokey');
    expect([unknownKey.status, errorCode(unknownKey)]).toEqual([404, 'key_not_found']);
  });

  it('expires a key at its expiry time', async () => {
    const created = await app.adminCall('POST', '/keys', { team: teamId, expiresAt: new Date(T0 + 60_000).toISOString() });
    const key = String(created.json.key);
    expect((await app.chat(key, 'gpt-4o')).status).toBe(200);
    app.now = T0 + 60_000;
    const refused = await app.chat(key, 'gpt-4o');
    expect([refused.status, errorCode(refused)]).toEqual([401, 'invalid_api_key']);
    expect((await app.adminCall('GET', `/keys/${String(created.json.id)}`)).json).toMatchObject({ status: 'expired' });
  });

  it('rotates a key: the new secret works at once, the old one until the grace period ends', async () => {
    const created = await app.adminCall('POST', '/keys', { user: userId });
    const id = String(created.json.id);
    const oldKey = String(created.json.key);
    expect((await app.chat(oldKey, 'gpt-4o')).status).toBe(200);

    const rotated = await app.adminCall('POST', `/keys/${id}/rotate`, { gracePeriodSeconds: 600 });
    expect(rotated.status).toBe(200);
    const newKey = String(rotated.json.key);
    expect(newKey).not.toBe(oldKey);
    expect(rotated.json).toMatchObject({ id, status: 'active', rotatedAt: new Date(T0).toISOString(), previousSecretExpiresAt: new Date(T0 + 600_000).toISOString() });
    expect(rotated.json).not.toHaveProperty('previousSecretHash');

    expect((await app.chat(newKey, 'gpt-4o')).status).toBe(200);
    app.now = T0 + 599_999;
    expect((await app.chat(oldKey, 'gpt-4o')).status).toBe(200);
    app.now = T0 + 600_000;
    // The cached record is re-read after the key cache TTL; the grace end is checked on every request.
    expect((await app.chat(oldKey, 'gpt-4o')).status).toBe(401);
    expect((await app.chat(newKey, 'gpt-4o')).status).toBe(200);
  });

  it('rotates with the default grace of an hour, or none, and ends an older grace at the next rotation', async () => {
    const created = await app.adminCall('POST', '/keys', { team: teamId });
    const id = String(created.json.id);
    const first = String(created.json.key);
    const second = String((await app.adminCall('POST', `/keys/${id}/rotate`)).json.key);
    expect((await app.adminCall('GET', `/keys/${id}`)).json).toMatchObject({ previousSecretExpiresAt: new Date(T0 + 3_600_000).toISOString() });
    const third = String((await app.adminCall('POST', `/keys/${id}/rotate`, { gracePeriodSeconds: 0 })).json.key);
    expect((await app.chat(first, 'gpt-4o')).status).toBe(401);
    expect((await app.chat(second, 'gpt-4o')).status).toBe(401);
    expect((await app.chat(third, 'gpt-4o')).status).toBe(200);
    for (const grace of [-1, 2_592_001, 1.5, '60']) {
      const answer = await app.adminCall('POST', `/keys/${id}/rotate`, { gracePeriodSeconds: grace });
      expect([answer.status, errorParam(answer)]).toEqual([400, 'gracePeriodSeconds']);
    }
  });

  it('revokes by DELETE or POST …/revoke, at once, and refuses to rotate a revoked or unknown key', async () => {
    const a = await app.adminCall('POST', '/keys', { team: teamId });
    const b = await app.adminCall('POST', '/keys', { team: teamId });
    expect((await app.chat(String(a.json.key), 'gpt-4o')).status).toBe(200);
    const revoked = await app.adminCall('DELETE', `/keys/${String(a.json.id)}`);
    expect(revoked.json).toMatchObject({ status: 'revoked', revokedAt: new Date(T0).toISOString() });
    expect((await app.adminCall('POST', `/keys/${String(b.json.id)}/revoke`)).json).toMatchObject({ status: 'revoked' });
    expect((await app.chat(String(a.json.key), 'gpt-4o')).status).toBe(401);
    expect((await app.chat(String(b.json.key), 'gpt-4o')).status).toBe(401);

    const rotateRevoked = await app.adminCall('POST', `/keys/${String(a.json.id)}/rotate`);
    expect([rotateRevoked.status, errorCode(rotateRevoked)]).toEqual([409, 'conflict']);
    expect(JSON.stringify(rotateRevoked.json)).toContain('revoked');
    expect((await app.chat(String(a.json.key), 'gpt-4o')).status).toBe(401);
    const rotateUnknown = await app.adminCall('POST', '/keys/nokey/rotate');
    expect([rotateUnknown.status, errorCode(rotateUnknown)]).toEqual([404, 'key_not_found']);
    expect((await app.adminCall('DELETE', '/keys/nokey')).status).toBe(404);
  });

  it('lets exactly one of concurrent rotations win: no caller is handed a secret that does not work', async () => {
    const created = await app.adminCall('POST', '/keys', { team: teamId }, ACTOR);
    const id = String(created.json.id);
    const answers = await Promise.all(Array.from({ length: 8 }, () => app.adminCall('POST', `/keys/${id}/rotate`, { gracePeriodSeconds: 60 })));
    const winners = answers.filter((answer) => answer.status === 200);
    expect(winners).toHaveLength(1);
    expect(answers.filter((answer) => answer.status === 409)).toHaveLength(7);
    expect((await app.chat(String(winners[0]?.json.key), 'gpt-4o')).status).toBe(200);
    expect((await app.chat(String(created.json.key), 'gpt-4o')).status).toBe(200);
  });
});
